"""The public directory: browse, search, a simulator's drivers, a profile, an event."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from apex.tests.fixtures import make_user
from sims.models import SimProfile
from sims.tests.factories import make_event, make_profile, make_result, make_simulator

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def detail_url(profile: SimProfile) -> str:
    return reverse("sim_profile_detail", args=[profile.simulator.slug, profile.profile_identifier])


def spread(profiles):
    """Give profiles distinct activity times, first = newest."""
    now = timezone.now()
    for i, profile in enumerate(profiles):
        SimProfile.objects.filter(pk=profile.pk).update(updated_at=now - dt.timedelta(minutes=i))


def test_browse_lists_public_profiles_for_anonymous_newest_first(client):
    older = make_profile(name="Older Driver")
    newer = make_profile(name="Newer Driver")
    hidden = make_profile(name="Hidden Driver", is_public=False)
    spread([newer, older, hidden])
    response = client.get(reverse("sim_profile_browse"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hidden Driver" not in body
    assert body.index("Newer Driver") < body.index("Older Driver")
    assert response.headers["Vary"].count("HX-Request") == 1
    assert "<html" in body


def test_each_row_links_the_driver_and_simulator_and_says_who_holds_it(client):
    iracing = make_simulator("iracing", "iRacing")
    spread(
        [
            make_profile(
                iracing,
                name="Vera Verified",
                identifier="V1",
                is_verified=True,
                linked_user=make_user("vera"),
            ),
            make_profile(iracing, name="Lena Linked", identifier="L<1>", linked_user=make_user("lena")),
            make_profile(iracing, name="Ulf Unclaimed", identifier="U1"),
        ]
    )
    body = client.get(reverse("sim_profile_browse")).content.decode()
    rows = body.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 3
    for row, (name, identifier, who, badge) in zip(
        rows,
        [
            ("Vera Verified", "V1", "vera", '<span class="badge ok">Verified</span>'),
            ("Lena Linked", "L&lt;1&gt;", "lena", '<span class="badge">Linked</span>'),
            ("Ulf Unclaimed", "U1", None, '<span class="badge warn">Unclaimed</span>'),
        ],
        strict=True,
    ):
        profile = SimProfile.objects.get(profile_name=name)
        assert f'<a href="{detail_url(profile)}">{name}</a>' in row
        assert (f'<span class="muted">· {who}</span>' in row) == (who is not None)
        assert '<a href="/profiles/iracing/">iRacing</a>' in row
        assert f"<code>{identifier}</code>" in row
        assert badge in row


def test_browse_filters_by_simulator(client):
    make_profile(make_simulator("iracing"), name="Iracing Ian")
    make_profile(make_simulator("acc", "ACC"), name="Acc Anna")
    body = client.get(reverse("sim_profile_browse"), {"sim": "acc"}).content.decode()
    assert "Acc Anna" in body and "Iracing Ian" not in body


def test_simulator_page_lists_only_its_profiles_and_unknown_simulator_is_404(client):
    make_profile(make_simulator("iracing"), name="Iracing Ian")
    make_profile(make_simulator("acc", "ACC"), name="Acc Anna")
    body = client.get(reverse("simulator_profiles", args=["acc"])).content.decode()
    assert "Acc Anna" in body and "Iracing Ian" not in body
    assert client.get(reverse("simulator_profiles", args=["nope"])).status_code == 404


def test_search_matches_name_identifier_and_linked_users_names(client):
    racer = make_user("speedy", first_name="Lewis", last_name="Fastlap")
    make_profile(name="Plain Name", identifier="ID-777")
    make_profile(name="Team Car", linked_user=racer)
    make_profile(name="Unrelated")
    url = reverse("sim_profile_search")

    def names(q):
        response = client.get(url, {"q": q})
        return [p.profile_name for p in response.context["profiles"]]

    assert names("plain") == ["Plain Name"]
    assert names("id-777") == ["Plain Name"]
    assert names("speedy") == ["Team Car"]
    assert names("lewis fastlap") == ["Team Car"]
    assert names("nobody") == []


def test_search_hides_private_profiles(client):
    make_profile(name="Secret Sam", is_public=False)
    response = client.get(reverse("sim_profile_search"), {"q": "secret"})
    assert list(response.context["profiles"]) == []


def test_search_answers_htmx_with_the_results_fragment(client):
    make_profile(name="Fragment Fran")
    response = client.get(reverse("sim_profile_search"), {"q": "fran"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Fragment Fran" in body
    assert "<html" not in body and 'id="sim-results"' in body
    assert "HX-Request" in response.headers["Vary"]


def test_search_as_you_type_replaces_the_url_and_pages_push_it(client):
    body = client.get(reverse("sim_profile_browse")).content.decode()
    form = body[body.index('role="search"') : body.index("</form>")]
    # Typing "fran" is one history entry, not four; a page of results is one more.
    assert 'hx-replace-url="true"' in form and "hx-push-url" not in form
    assert (
        '<section id="sim-results"' in body
        and 'hx-push-url="true"' in body.split('id="sim-results"')[1][:300]
    )
    assert f'action="{reverse("sim_profile_search")}"' in body


def test_search_with_simulator_filter(client):
    make_profile(make_simulator("iracing"), name="Max One")
    make_profile(make_simulator("acc", "ACC"), name="Max Two")
    response = client.get(reverse("sim_profile_search"), {"q": "max", "sim": "acc"})
    assert [p.profile_name for p in response.context["profiles"]] == ["Max Two"]


def test_pagination_walks_forward_and_back_without_counting(client, django_assert_max_num_queries):
    simulator = make_simulator()
    profiles = [make_profile(simulator, name=f"Driver {i:02d}") for i in range(50)]
    spread(profiles)  # Driver 00 newest
    url = reverse("sim_profile_browse")

    page1 = client.get(url)
    assert [p.profile_name for p in page1.context["profiles"]] == [f"Driver {i:02d}" for i in range(24)]
    page = page1.context["page"]
    assert page.number == 1 and page.has_next and not page.has_previous
    assert "Page 1" in page1.content.decode()

    page2 = client.get(f"{url}?{page.next_query}")
    assert [p.profile_name for p in page2.context["profiles"]][0] == "Driver 24"
    page3 = client.get(f"{url}?{page2.context['page'].next_query}")
    assert [p.profile_name for p in page3.context["profiles"]] == ["Driver 48", "Driver 49"]
    assert page3.context["page"].number == 3 and not page3.context["page"].has_next
    assert "Page 3" in page3.content.decode()

    back = client.get(f"{url}?{page3.context['page'].previous_query}")
    assert [p.profile_name for p in back.context["profiles"]][0] == "Driver 24"
    assert back.context["page"].number == 2 and back.context["page"].has_previous

    with django_assert_max_num_queries(3) as captured:
        client.get(f"{url}?{page.next_query}")
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


def test_browse_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    owner = make_user("linked")
    for i in range(30):
        make_profile(name=f"D{i}", linked_user=owner if i % 2 else None)
    with django_assert_max_num_queries(3):
        client.get(reverse("sim_profile_browse"))
    with django_assert_max_num_queries(3):
        client.get(reverse("sim_profile_search"), {"q": "d"})


def test_bad_cursor_falls_back_to_first_page(client):
    make_profile(name="Only One")
    response = client.get(reverse("sim_profile_browse"), {"after": "garbage", "page": "x"})
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_profile_page_shows_badge_and_results_to_anonymous(client):
    profile = make_profile(name="Badge Bob", is_verified=True, linked_user=make_user("bob"))
    event = make_event(profile.simulator, name="Night Race")
    make_result(event, profile, position=2, laps=20, best_lap_ms=83_456)
    response = client.get(detail_url(profile))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Verified" in body and "Night Race" in body and "1:23.456" in body and "P2" in body
    assert "Unlink" not in body


def test_profile_page_shows_manage_links_to_its_owner_only(client, user, other_user):
    profile = make_profile(name="Own Olly", linked_user=user)
    client.force_login(user)
    assert (
        reverse("sim_profile_unlink", args=[profile.pk]) in client.get(detail_url(profile)).content.decode()
    )
    client.force_login(other_user)
    assert (
        reverse("sim_profile_unlink", args=[profile.pk])
        not in client.get(detail_url(profile)).content.decode()
    )


def test_private_profile_is_404_for_everyone_but_its_linked_user(client, user, other_user, staff_user):
    profile = make_profile(name="Private Pat", is_public=False, linked_user=user)
    assert client.get(detail_url(profile)).status_code == 404
    client.force_login(other_user)
    assert client.get(detail_url(profile)).status_code == 404
    client.force_login(staff_user)
    assert client.get(detail_url(profile)).status_code == 404
    client.force_login(user)
    response = client.get(detail_url(profile))
    assert response.status_code == 200 and "Private" in response.content.decode()


def test_unknown_profile_is_404(client):
    make_simulator()
    assert client.get(reverse("sim_profile_detail", args=["iracing", "nope"])).status_code == 404


def test_event_page_links_public_drivers_and_hides_private_ones(client):
    simulator = make_simulator()
    event = make_event(simulator, name="Grand Prix")
    shown = make_profile(simulator, name="Shown Sue")
    hidden = make_profile(simulator, name="Hidden Hal", is_public=False)
    make_result(event, shown, position=1)
    make_result(event, hidden, position=2)
    body = client.get(reverse("sim_event_detail", args=[event.pk])).content.decode()
    assert detail_url(shown) in body
    assert "Hidden Hal" not in body and detail_url(hidden) not in body
    assert "Private driver" in body


def test_event_page_query_count_is_constant(client, django_assert_max_num_queries):
    simulator = make_simulator()
    event = make_event(simulator)
    for i in range(15):
        make_result(event, make_profile(simulator, name=f"R{i}"), position=i + 1)
    with django_assert_max_num_queries(2):
        client.get(reverse("sim_event_detail", args=[event.pk]))


@override_settings(ENABLE_PUBLIC_PROFILES=False)
def test_switched_off_directory_is_404_and_leaves_the_nav(client, user):
    profile = make_profile(name="Any")
    event = make_event(profile.simulator)
    for url in [
        reverse("sim_profile_browse"),
        reverse("sim_profile_search"),
        reverse("simulator_profiles", args=[profile.simulator.slug]),
        detail_url(profile),
        reverse("sim_event_detail", args=[event.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    client.force_login(user)
    body = client.get(reverse("my_sim_profiles")).content.decode()
    assert "Driver Profiles" not in body
    assert "My Sim Profiles" in body


@override_settings(ENABLE_PUBLIC_PROFILES=False)
def test_switched_off_directory_still_shows_a_linked_user_their_own_profile(client, user):
    profile = make_profile(name="Mine", linked_user=user)
    client.force_login(user)
    assert client.get(detail_url(profile)).status_code == 200


def test_nav_links_to_the_directory_when_on(client):
    body = client.get(reverse("sim_profile_browse")).content.decode()
    assert "Driver Profiles" in body
    assert "My Sim Profiles" not in body  # anonymous


def test_profile_page_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    profile = make_profile(name="Busy Bee")
    for i in range(12):
        make_result(make_event(profile.simulator, name=f"Race {i}"), profile, position=i + 1)
    with django_assert_max_num_queries(2):
        response = client.get(detail_url(profile))
    assert response.content.decode().count("Race ") >= 12
