"""apex.links builds the same paths reverse() does."""

import uuid

import pytest
from django.urls import reverse, set_script_prefix

from apex.links import link


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("vehicle_detail", [7]),
        ("baseline_version_detail", [12, 3]),
        ("sim_profile_unlink", [uuid.UUID("0b8e8f0e-64a1-4b52-9d7f-3f1f2b9c1e55")]),
        ("simulator_profiles", ["iracing"]),
        ("sim_profile_detail", ["acc", "70004113"]),
        ("sim_profile_detail", ["acc", "name~with:odd@chars%and ü"]),
        ("sim_profile_detail", ["acc", "{0}"]),
        ("raceday_start", []),
    ],
)
def test_link_is_what_reverse_gives(name, args):
    assert link(name, *args) == reverse(name, args=args)
    assert link(name, *args) == reverse(name, args=args)  # from the template the first call kept


def test_link_follows_the_script_prefix():
    try:
        set_script_prefix("/apex/")
        assert link("vehicle_detail", 7) == "/apex/garage/vehicles/7/" == reverse("vehicle_detail", args=[7])
    finally:
        set_script_prefix("/")
    assert link("vehicle_detail", 7) == "/garage/vehicles/7/"


def test_link_follows_the_urlconf(settings):
    before = link("vehicle_detail", 7)
    settings.ROOT_URLCONF = "apex.tests.test_links"
    assert link("vehicle_detail", 7) == "/elsewhere/7/"
    settings.ROOT_URLCONF = "apex.urls"
    assert link("vehicle_detail", 7) == before


def test_an_unknown_name_fails_like_reverse():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        link("no_such_page", 1)


def _view(request, pk):  # pragma: no cover - never requested
    raise AssertionError


from django.urls import path  # noqa: E402  (the urlconf test_link_follows_the_urlconf points at)

urlpatterns = [path("elsewhere/<int:pk>/", _view, name="vehicle_detail")]


def test_optional_link_is_reverse_or_nothing(settings):
    from apex.links import optional_link

    assert optional_link("vehicle_list") == reverse("vehicle_list")
    assert optional_link("no_such_page") == ""
    settings.ROOT_URLCONF = "apex.tests.test_links"  # has no garage
    assert optional_link("vehicle_list") == ""
    settings.ROOT_URLCONF = "apex.urls"
    assert optional_link("vehicle_list") == "/garage/"


def test_every_page_gets_the_header_links_reverse_gives(rf):
    from apex.context_processors import NAV_LINKS, nav

    links = nav(rf.get("/"))["nav"]
    assert links == {key: reverse(name) for key, name in NAV_LINKS.items()}
