"""Public pages are served from a short-lived cache to visitors without cookies."""

import pytest
from django.test import Client
from django.urls import reverse

from apex.caching import HEADER
from apex.tests.fixtures import make_user
from library.models import LibrarySetup
from sims.models import SimProfile, Simulator


@pytest.fixture
def cached(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30


@pytest.fixture
def directory(db):
    sim = Simulator.objects.create(name="iRacing", slug="iracing")
    profile = SimProfile.objects.create(simulator=sim, profile_identifier="1001", profile_name="Ayrton Cache")
    return sim, profile


def test_second_anonymous_request_is_a_hit_and_sets_no_cookie(cached, directory):
    first = Client().get(reverse("sim_profile_browse"))
    second = Client().get(reverse("sim_profile_browse"))
    assert first[HEADER] == "miss" and second[HEADER] == "hit"
    assert "Ayrton Cache" in second.content.decode()
    # No CSRF token or session for an anonymous visitor: nothing makes the page personal.
    assert not first.cookies and "csrfmiddlewaretoken" not in first.content.decode()


def test_a_change_retires_cached_pages(cached, directory):
    sim, profile = directory
    Client().get(reverse("sim_profile_browse"))
    profile.profile_name = "Renamed Driver"
    profile.save()
    page = Client().get(reverse("sim_profile_browse"))
    assert page[HEADER] == "miss" and "Renamed Driver" in page.content.decode()


def test_making_a_profile_private_hides_the_cached_detail_page(
    cached, directory, django_capture_on_commit_callbacks
):
    sim, profile = directory
    owner = make_user("driver")
    profile.link_to_user(owner)
    url = profile.get_absolute_url()
    assert Client().get(url).status_code == 200
    owner_client = Client()
    owner_client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("sim_profile_visibility", args=[profile.pk]), {})
    assert response.status_code in (200, 302)
    assert Client().get(url).status_code == 404


def test_htmx_fragment_and_full_page_are_cached_apart(cached, directory):
    url = reverse("sim_profile_search") + "?q=ayr"
    full = Client().get(url)
    fragment = Client().get(url, headers={"HX-Request": "true"})
    assert "<html" in full.content.decode() and "<html" not in fragment.content.decode()
    assert Client().get(url, headers={"HX-Request": "true"})[HEADER] == "hit"


def test_visitors_with_cookies_and_logged_in_users_always_get_fresh_pages(cached, directory):
    Client().get(reverse("library_list"))
    with_cookie = Client()
    with_cookie.cookies["csrftoken"] = "x" * 32
    assert HEADER not in with_cookie.get(reverse("library_list"))
    user_client = Client()
    user_client.force_login(make_user("racer"))
    LibrarySetup.objects.create(track="Monza", brand="Xray", vehicle="XB8")
    page = user_client.get(reverse("library_list"))
    assert HEADER not in page and "Monza" in page.content.decode()


def test_not_found_is_never_cached(cached, directory):
    assert Client().get("/profiles/iracing/nobody/").status_code == 404
    assert HEADER not in Client().get("/profiles/iracing/nobody/")


def test_cache_off_by_default_in_tests(directory):
    assert HEADER not in Client().get(reverse("sim_profile_browse"))


def test_logging_in_keeps_cached_public_pages(cached, directory, client):
    make_user("racer", password="pw-for-tests-123")
    Client().get(reverse("sim_profile_browse"))
    Client().get(reverse("library_list"))
    assert client.login(username="racer", password="pw-for-tests-123")  # stamps last_login
    assert Client().get(reverse("sim_profile_browse"))[HEADER] == "hit"
    assert Client().get(reverse("library_list"))[HEADER] == "hit"


def test_renaming_a_user_retires_pages_that_show_their_name(cached, directory):
    sim, profile = directory
    owner = make_user("driver")
    profile.link_to_user(owner)
    Client().get(reverse("sim_profile_browse"))
    owner.first_name = "Ayrton"
    owner.save(update_fields=["first_name"])
    assert Client().get(reverse("sim_profile_browse"))[HEADER] == "miss"


def test_a_library_change_keeps_directory_pages_and_retires_library_pages(cached, directory):
    Client().get(reverse("sim_profile_browse"))
    Client().get(reverse("library_list"))
    LibrarySetup.objects.create(track="Monza", brand="Xray", vehicle="XB8")
    assert Client().get(reverse("sim_profile_browse"))[HEADER] == "hit"
    page = Client().get(reverse("library_list"))
    assert page[HEADER] == "miss" and "Monza" in page.content.decode()


def test_library_filter_choices_follow_saves_made_outside_the_views(db, staff_client):
    setup = LibrarySetup.objects.create(track="Monza", brand="Xray", vehicle="XB8")
    assert '<option value="Monza"' in Client().get(reverse("library_list")).content.decode()
    response = staff_client.post(
        reverse("admin:library_librarysetup_change", args=[setup.pk]),
        {"track": "Imola", "brand": "Xray", "vehicle": "XB8", "condition": "", "date": "", "source": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = Client().get(reverse("library_list")).content.decode()
    assert '<option value="Imola"' in page and '<option value="Monza"' not in page
