import re

import pytest
from django.urls import reverse

from apex.tests.fixtures import confirmation_link, sign_up
from profiles import services
from profiles.models import RacerProfile, Sponsor
from profiles.session import ACTIVE_RACER_KEY
from racing.models import Vehicle

HX = {"HX-Request": "true"}


# --- anonymous -------------------------------------------------------------


@pytest.mark.parametrize(
    "name,method",
    [
        ("racer_list", "get"),
        ("racer_create", "get"),
        ("racer_detail", "get"),
        ("racer_edit", "get"),
        ("racer_delete", "get"),
        ("racer_delete", "post"),
        ("racer_switch", "post"),
        ("racer_set_default", "post"),
    ],
)
def test_anonymous_is_sent_to_login(client, racers, name, method):
    args = [] if name in ("racer_list", "racer_create") else [racers[0].pk]
    url = reverse(name, args=args)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- another user ----------------------------------------------------------


@pytest.mark.parametrize(
    "name,method",
    [
        ("racer_detail", "get"),
        ("racer_edit", "get"),
        ("racer_edit", "post"),
        ("racer_delete", "get"),
        ("racer_delete", "post"),
        ("racer_switch", "post"),
        ("racer_set_default", "post"),
    ],
)
def test_other_user_gets_404_and_changes_nothing(other_client, racers, name, method):
    before = list(RacerProfile.objects.values_list("pk", "name", "is_default"))
    response = getattr(other_client, method)(reverse(name, args=[racers[1].pk]), {"name": "Hacked"})
    assert response.status_code == 404
    assert list(
        RacerProfile.objects.values_list("pk", "name", "is_default").filter(owner=racers[0].owner)
    ) == [row for row in before if row[0] in {racers[0].pk, racers[1].pk}]


def test_other_users_racers_are_not_listed(other_client, racers):
    response = other_client.get(reverse("racer_list"))
    assert response.status_code == 200
    assert "Alex" not in response.content.decode()
    # The intruder got their own first racer, named after them, on first request.
    assert "intruder" in response.content.decode()


# --- owner -----------------------------------------------------------------


def test_login_loads_the_default_racer(client, user, racers):
    services.racer_set_default(owner=user, racer_id=racers[1].pk)
    client.force_login(user)
    assert client.session[ACTIVE_RACER_KEY] == racers[1].pk
    response = client.get(reverse("home"))
    assert response.context["request"].racer == racers[1]


def test_new_user_gets_default_racer_on_first_login(client, user):
    client.force_login(user)
    racer = RacerProfile.objects.get(owner=user)
    assert racer.name == "owner" and racer.is_default
    assert client.session[ACTIVE_RACER_KEY] == racer.pk


def test_signup_then_the_emailed_link_logs_in_with_a_default_racer(client, db):
    response = sign_up(client, "newbie")
    assert response.status_code == 302
    assert not RacerProfile.objects.filter(owner__username="newbie").exists()  # not in yet
    assert client.post(confirmation_link("newbie@example.com"))["Location"] == reverse("home")
    racer = RacerProfile.objects.get(owner__username="newbie")
    assert racer.name == "newbie" and racer.is_default
    page = client.get(reverse("home")).content.decode()
    assert "Default Racer" not in page
    assert "<h1>newbie</h1>" in page


def test_every_page_shows_the_switcher_with_stars_and_vehicle_counts(owner_client, racers):
    Vehicle.objects.create(racer=racers[1], brand="Xray", model="XB4")
    page = owner_client.get(reverse("home")).content.decode()
    assert 'id="racer-switcher"' in page
    assert "Sam" in page and "1 vehicle" in page and "0 vehicles" in page
    assert "★" in page and "Make Sam the default racer" in page


def test_the_switcher_marks_the_active_racer_and_escapes_names(owner_client, racers):
    alex, sam = racers
    sam.name = 'Sam <b>"Fast"</b>'
    sam.save()
    owner_client.post(reverse("racer_switch", args=[sam.pk]), {"next": "/"})
    page = owner_client.get(reverse("home")).content.decode()
    switcher = page[page.index('id="racer-switcher"') : page.index("switcher-new")]
    rows = switcher.split('<li class="')[1:]
    assert [row.split('"', 1)[0] for row in rows] == ["switcher-row", "switcher-row is-active"]
    assert 'aria-current="true"' not in rows[0] and 'aria-current="true"' in rows[1]
    assert 'aria-pressed="true">★' in rows[0] and 'aria-pressed="false">☆' in rows[1]
    escaped = "Sam &lt;b&gt;&quot;Fast&quot;&lt;/b&gt;"
    assert f'title="Make {escaped} the default"' in rows[1]
    assert f'aria-label="Make {escaped} the default racer"' in rows[1]
    assert "<b>" not in switcher


def test_switch_is_a_plain_post_and_redirect(owner_client, racers):
    owner_client.get(reverse("home"))
    response = owner_client.post(reverse("racer_switch", args=[racers[1].pk]), {"next": "/racers/"})
    assert response.status_code == 302 and response["Location"] == "/racers/"
    assert owner_client.session[ACTIVE_RACER_KEY] == racers[1].pk


def test_switch_with_htmx_redirects_the_page(owner_client, racers):
    response = owner_client.post(
        reverse("racer_switch", args=[racers[1].pk]), {"next": "/racers/"}, headers=HX
    )
    assert response.status_code == 200 and response["HX-Redirect"] == "/racers/"
    assert owner_client.session[ACTIVE_RACER_KEY] == racers[1].pk


def test_switch_refuses_offsite_next(owner_client, racers):
    response = owner_client.post(
        reverse("racer_switch", args=[racers[1].pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_switch_clears_only_racer_session_keys(owner_client, racers):
    session = owner_client.session
    session["racing:library_target_vehicle"] = 1
    session["unrelated"] = "kept"
    session.save()
    owner_client.post(reverse("racer_switch", args=[racers[1].pk]))
    session = owner_client.session
    assert "racing:library_target_vehicle" not in session
    assert session["unrelated"] == "kept"


def test_star_sets_default_plain_and_htmx(owner_client, user, racers):
    response = owner_client.post(reverse("racer_set_default", args=[racers[1].pk]), {"next": "/"})
    assert response.status_code == 302
    assert RacerProfile.objects.owned_by(user).default() == racers[1]
    response = owner_client.post(reverse("racer_set_default", args=[racers[0].pk]), headers=HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<details class="switcher"') and "<html" not in body
    assert "HX-Request" in response["Vary"]
    assert RacerProfile.objects.owned_by(user).default() == racers[0]


def test_new_racer_inline_from_switcher(owner_client, user, racers):
    response = owner_client.post(reverse("racer_create"), {"name": "Kid", "from_switcher": "1"}, headers=HX)
    assert response.status_code == 200 and "Kid" in response.content.decode()
    assert RacerProfile.objects.filter(owner=user, name="Kid", is_default=False).exists()
    response = owner_client.post(reverse("racer_create"), {"name": "  ", "from_switcher": "1"}, headers=HX)
    assert "Give the racer a name" in response.content.decode()


def test_new_racer_refused_in_the_switcher_keeps_what_was_typed(owner_client, user, racers):
    long_name = "L" * 101
    response = owner_client.post(
        reverse("racer_create"), {"name": long_name, "from_switcher": "1"}, headers=HX
    )
    body = response.content.decode()
    assert "at most 100 characters" in body and f'value="{long_name}"' in body
    assert 'id="switcher-new-name"' in body and '<label for="switcher-new-name">New racer</label>' in body
    assert not RacerProfile.objects.filter(owner=user, name=long_name).exists()


def test_create_racer_full_form(owner_client, user):
    response = owner_client.post(reverse("racer_create"), {"name": "Teammate", "email": "bad"})
    assert response.status_code == 200 and "Enter a valid email address" in response.content.decode()
    response = owner_client.post(reverse("racer_create"), {"name": "Teammate", "email": "t@example.com"})
    racer = RacerProfile.objects.get(owner=user, name="Teammate")
    assert response.status_code == 302 and response["Location"] == racer.get_absolute_url()


def test_edit_racer_with_sponsors(owner_client, racers):
    racer = racers[0]
    data = {
        "name": "Alex R",
        "email": "",
        "facebook": "",
        "instagram": "@alex",
        "transponder": "99",
        "team": "",
        "sponsors-TOTAL_FORMS": "2",
        "sponsors-INITIAL_FORMS": "0",
        "sponsors-MIN_NUM_FORMS": "0",
        "sponsors-MAX_NUM_FORMS": "50",
        "sponsors-0-name": "Tamiya",
        "sponsors-1-name": "",
    }
    response = owner_client.post(reverse("racer_edit", args=[racer.pk]), data)
    assert response.status_code == 302
    racer.refresh_from_db()
    assert racer.name == "Alex R" and racer.transponder == "99"
    assert list(Sponsor.objects.filter(racer=racer).values_list("name", flat=True)) == ["Tamiya"]


def test_edit_page_labels_each_sponsor_and_offers_remove_for_saved_ones(owner_client, racers):
    racer = racers[0]
    saved = Sponsor.objects.create(racer=racer, name="Tamiya")
    body = owner_client.get(reverse("racer_edit", args=[racer.pk])).content.decode()
    for number in (1, 2, 3):  # with or without the label suffix the project's field template gives
        assert re.search(rf'<label for="id_sponsors-{number - 1}-name"[^>]*>Sponsor {number}:?</label>', body)
    assert body.count('type="checkbox"') == 1 and 'name="sponsors-0-DELETE"' in body
    data = {
        "name": racer.name,
        "sponsors-TOTAL_FORMS": "3",
        "sponsors-INITIAL_FORMS": "1",
        "sponsors-MIN_NUM_FORMS": "0",
        "sponsors-MAX_NUM_FORMS": "50",
        "sponsors-0-id": saved.pk,
        "sponsors-0-name": "Tamiya",
        "sponsors-0-DELETE": "on",
        "sponsors-1-name": "Yokomo",
        "sponsors-2-name": "",
    }
    assert owner_client.post(reverse("racer_edit", args=[racer.pk]), data).status_code == 302
    assert list(racer.sponsors.values_list("name", flat=True)) == ["Yokomo"]


def test_delete_asks_then_deletes_and_promotes(owner_client, user, racers):
    page = owner_client.get(reverse("racer_delete", args=[racers[0].pk]))
    assert page.status_code == 200 and "cannot be undone" in page.content.decode()
    fragment = owner_client.get(reverse("racer_delete", args=[racers[0].pk]), headers=HX)
    assert "<html" not in fragment.content.decode()
    response = owner_client.post(reverse("racer_delete", args=[racers[0].pk]))
    assert response.status_code == 302
    assert list(RacerProfile.objects.filter(owner=user).values_list("name", "is_default")) == [("Sam", True)]


def test_deleting_the_default_names_who_takes_over(owner_client, racers):
    page = owner_client.get(reverse("racer_delete", args=[racers[0].pk])).content.decode()
    assert "Alex is your default racer:</strong> Sam becomes the default." in page
    response = owner_client.post(reverse("racer_delete", args=[racers[0].pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Deleted racer Alex and everything recorded for them.",
        "Sam is now your default racer.",
    ]


def test_deleting_the_only_racer_says_a_new_one_takes_its_place(owner_client, user):
    only = services.racer_get_or_create_default(owner=user)
    page = owner_client.get(reverse("racer_delete", args=[only.pk])).content.decode()
    assert "is your only racer:</strong> Apex makes a new, empty racer in their place." in page
    assert "oldest remaining" not in page
    response = owner_client.post(reverse("racer_delete", args=[only.pk]), follow=True)
    new = RacerProfile.objects.get(owner=user)
    assert new.pk != only.pk and new.is_default
    assert [str(m) for m in response.context["messages"]] == [
        f"Deleted racer {only.name} and everything recorded for them.",
        f"That was your only racer, so Apex made a new one: {new.name}.",
    ]


def test_racer_list_fragment_for_htmx(owner_client, racers):
    full = owner_client.get(reverse("racer_list"))
    fragment = owner_client.get(reverse("racer_list"), headers=HX)
    assert "<html" in full.content.decode()
    assert "<html" not in fragment.content.decode() and "Sam" in fragment.content.decode()


def test_racer_list_query_count_is_constant(owner_client, user, django_assert_max_num_queries):
    for i in range(30):
        r = services.racer_create(owner=user, name=f"Racer {i}")
        Vehicle.objects.create(racer=r, brand="B", model=f"M{i}")
    owner_client.get(reverse("racer_list"))
    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse("racer_list"))
    assert response.content.decode().count("Switch to") >= 29


def test_switching_racer_and_back_keeps_saved_work(owner_client, racers):
    Vehicle.objects.create(racer=racers[0], brand="Associated", model="B7")
    owner_client.post(reverse("racer_switch", args=[racers[1].pk]))
    owner_client.post(reverse("racer_switch", args=[racers[0].pk]))
    page = owner_client.get(reverse("racer_detail", args=[racers[0].pk])).content.decode()
    assert "Associated B7" in page


def test_methods_not_allowed(owner_client, racers):
    assert owner_client.get(reverse("racer_switch", args=[racers[0].pk])).status_code == 405
    assert owner_client.put(reverse("racer_list")).status_code == 405
