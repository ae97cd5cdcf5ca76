"""Every page has its own title and a meta description (search results and shared links read them)."""

import re

import pytest
from django.urls import reverse

from library.tests.factories import make_library_setup
from racing.tests.factories import make_baseline, make_race_day, make_vehicle, racer_of
from sims.tests.factories import make_profile, make_simulator

TITLE = re.compile(r"<title>(.+?) · Apex</title>")
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]{20,})">')


def _meta(response) -> tuple[str, str]:
    page = response.content.decode()
    title, description = TITLE.search(page), DESCRIPTION.search(page)
    assert title and description, page[:500]
    return title.group(1).strip(), description.group(1)


def test_public_pages_have_titles_and_descriptions_of_their_own(client, db):
    profile = make_profile(make_simulator("iracing", "iRacing"), name="Max Public")
    setup = make_library_setup(track="Genk")
    pages = {
        reverse("home"): "Setups, race days and lap times for racers",
        reverse("sim_profile_browse"): None,
        reverse("simulator_profiles", args=["iracing"]): None,
        profile.get_absolute_url(): "Max Public · iRacing",
        reverse("library_list"): "Setup library",
        setup.get_absolute_url(): None,
        reverse("theory_list"): "Setup theory",
        reverse("account_login"): "Log in",
        reverse("account_signup"): "Sign up",
        reverse("account_email_verification_sent"): "Check your e-mail",
        reverse("account_confirm_email", args=["expired"]): "This link no longer works",
    }
    descriptions = set()
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        title, description = _meta(response)
        assert title != "Apex", url
        if expected:
            assert title == expected, url
        descriptions.add(description)
    assert "Max Public's iRacing driver profile and race results on Apex." in descriptions
    assert len(descriptions) >= 6  # the main public pages describe themselves


@pytest.mark.parametrize(
    "name",
    ["vehicle_list", "raceday_list", "tracklog_list", "racer_list", "my_sim_profiles", "vehicle_create"],
)
def test_logged_in_pages_have_a_title_and_description(owner_client, user, name):
    vehicle = make_vehicle(racer_of(user))
    make_baseline(vehicle)
    make_race_day(racer_of(user), vehicle)
    title, _ = _meta(owner_client.get(reverse(name)))
    assert title != "Apex"
