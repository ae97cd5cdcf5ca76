"""My Sim Profiles 20 a page, and the claim search reading the newest matches first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sims.models import SimProfile
from sims.tests.factories import make_profile, make_simulator

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def mine(user):
    simulator = make_simulator()
    return [make_profile(simulator, name=f"Mine {i:02d}", linked_user=user) for i in range(25)]


def test_my_list_is_20_a_page_with_older_pages_behind_next(owner_client, mine):
    first = owner_client.get(reverse("my_sim_profiles"))
    assert len(first.context["rows"]) == 20
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = owner_client.get(reverse("my_sim_profiles"), {"page": 2})
    shown = {r["pk"] for r in first.context["rows"]} | {r["pk"] for r in second.context["rows"]}
    assert len(second.context["rows"]) == 5 and shown == {p.pk for p in mine}
    assert 'rel="prev"' in second.content.decode() and 'rel="next"' not in second.content.decode()


def test_a_page_past_the_end_shows_the_first(owner_client, mine):
    response = owner_client.get(reverse("my_sim_profiles"), {"page": 99})
    assert response.context["page"].number == 1 and len(response.context["rows"]) == 20


def test_other_users_profiles_are_on_no_page(other_client, mine):
    for page in (1, 2):
        assert other_client.get(reverse("my_sim_profiles"), {"page": page}).context["rows"] == []


def test_toggling_visibility_on_page_2_refreshes_page_2(owner_client, mine):
    second = owner_client.get(reverse("my_sim_profiles"), {"page": 2})
    profile = SimProfile.objects.get(pk=second.context["rows"][0]["pk"])
    headers = {**HTMX, "HX-Current-URL": "http://testserver/users/profile/sim-profiles/?page=2"}
    response = owner_client.post(reverse("sim_profile_visibility", args=[profile.pk]), headers=headers)
    assert response.context["page"].number == 2
    assert profile.pk in {r["pk"] for r in response.context["rows"]}
    profile.refresh_from_db()
    assert profile.is_public is False


def test_row_links_are_the_reversed_urls(owner_client, user):
    profile = make_profile(
        make_simulator("acc", "ACC"), name="Link Lou", identifier="lou-1", linked_user=user
    )
    body = owner_client.get(reverse("my_sim_profiles")).content.decode()
    links: list[tuple[str, list[object]]] = [
        ("sim_profile_detail", ["acc", "lou-1"]),
        ("sim_profile_verify", [profile.pk]),
        ("sim_profile_visibility", [profile.pk]),
        ("sim_profile_unlink", [profile.pk]),
    ]
    for name, args in links:
        assert f'"{reverse(name, args=args)}"' in body


def test_claim_search_shows_the_20_newest_matches_by_name(owner_client):
    simulator = make_simulator()
    now = timezone.now()
    for i in range(25):
        profile = make_profile(simulator, name=f"Kim {24 - i:02d}")
        # Kim 24 is the oldest, Kim 00 the newest.
        SimProfile.objects.filter(pk=profile.pk).update(updated_at=now - datetime.timedelta(minutes=24 - i))
    response = owner_client.get(reverse("my_sim_profile_search"), {"q": "kim"})
    names = [p.profile_name for p in response.context["results"]]
    assert names == [f"Kim {i:02d}" for i in range(20)]
    body = response.content.decode()
    assert f'href="{reverse("sim_profile_link", args=[response.context["results"][0].pk])}"' in body
