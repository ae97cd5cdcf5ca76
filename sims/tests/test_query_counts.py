"""Sim profile list pages run the same number of queries for 2 rows as for 30."""

import pytest
from django.urls import reverse

from apex.tests.fixtures import make_user
from sims import services
from sims.tests.factories import make_profile, make_simulator

pytestmark = pytest.mark.django_db


def _queries_for(client, url, params, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(url, params)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 30])
def test_my_sim_profiles_page_is_constant(owner_client, user, rows, django_assert_max_num_queries):
    sims = [make_simulator("iracing"), make_simulator("acc", "ACC")]
    for i in range(rows):
        profile = make_profile(sims[i % 2], name=f"Mine {i}", linked_user=user)
        if i % 3 == 0:
            profile.is_verified = True
            profile.save()
        elif i % 3 == 1:
            services.add_request_open(
                simulator=sims[i % 2], identifier=f"WAIT-{i}", name="W", user=user, ip=None
            )
    _queries_for(
        owner_client, reverse("my_sim_profiles"), {}, django_assert_max_num_queries, 7
    )  # + the pending codes, + the IDs waiting to be added


@pytest.mark.parametrize("rows", [2, 30])
def test_simulator_page_is_constant(client, rows, django_assert_max_num_queries):
    sim = make_simulator("acc", "ACC")
    owner = make_user("linked")
    for i in range(rows):
        make_profile(sim, name=f"Acc {i}", linked_user=owner if i % 2 else None)
    _queries_for(client, reverse("simulator_profiles", args=["acc"]), {}, django_assert_max_num_queries, 3)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed in"])
@pytest.mark.parametrize("rows", [2, 30])
def test_search_with_linked_users_is_constant(
    request, client, signed_in, rows, django_assert_max_num_queries
):
    """Signed in, the search is rendered for the racer (no public-page cache) and still bounded."""
    sim = make_simulator()
    for i in range(rows):
        owner = make_user(f"driver{i}", last_name="Fastlap")
        make_profile(sim, name=f"Racer {i}", linked_user=owner)
    # owner_client logs the same test client in: asked for only when signed in, with
    # two more queries (the session; its user and racer in one).
    visitor, limit = (request.getfixturevalue("owner_client"), 5) if signed_in else (client, 3)
    _queries_for(
        visitor, reverse("sim_profile_search"), {"q": "fastlap"}, django_assert_max_num_queries, limit
    )
    _queries_for(
        visitor,
        reverse("sim_profile_search"),
        {"q": "ra", "sim": "iracing"},
        django_assert_max_num_queries,
        limit,
    )


@pytest.mark.parametrize("rows", [2, 30])
def test_claim_search_is_constant(owner_client, rows, django_assert_max_num_queries):
    for i in range(rows):
        make_profile(name=f"Unclaimed {i}")
    url = reverse("my_sim_profile_search")
    _queries_for(owner_client, url, {"q": "unclaimed"}, django_assert_max_num_queries, 5)
