"""One pagination module and one partial for every list."""

import re

import pytest
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.test import RequestFactory

from apex.pagination import counted_page, uncounted_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    Group.objects.bulk_create([Group(name=f"g{i:02d}") for i in range(45)])
    return Group.objects.order_by("name")


def _get(query: str = ""):
    return RequestFactory().get(f"/list/?{query}")


def test_counted_page_links_keep_the_filters(groups):
    page = counted_page(_get("track=Genk&page=2"), groups)
    assert (page.number, page.num_pages) == (2, 3)
    assert page.previous_query == "track=Genk&page=1"
    assert page.next_query == "track=Genk&page=3"
    assert [g.name for g in page][:1] == ["g20"]


def test_counted_page_past_the_end_shows_the_last_page(groups):
    page = counted_page(_get("page=99"), groups)
    assert page.number == 3 and not page.has_next() and page.next_query == ""


def test_uncounted_page_knows_the_next_page_exists_not_how_many(groups, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = uncounted_page(_get("q=g&page=2"), groups)
    assert page.num_pages is None and page.has_next and page.has_previous
    assert (page.previous_query, page.next_query) == ("q=g&page=1", "q=g&page=3")
    last = uncounted_page(_get("page=3"), groups)
    assert len(last) == 5 and not last.has_next and last.next_query == ""


@pytest.mark.parametrize("raw", ["0", "-3", "abc", str(10**30)])
def test_uncounted_page_survives_any_page_number(groups, raw):
    assert uncounted_page(_get(f"page={raw}"), groups).number == 1


def test_the_partial_has_real_hrefs_and_boosts_them_without_repeating_htmx_attributes(groups):
    html = render_to_string(
        "_pagination.html",
        {"page": counted_page(_get("track=Genk&page=2"), groups), "previous_label": "Newer"},
    )
    assert 'hx-boost="true"' in html
    assert re.findall(r'href="([^"]+)"', html) == ["?track=Genk&amp;page=1", "?track=Genk&amp;page=3"]
    assert "Page 2 of 3" in html and "← Newer" in html and "Next →" in html
    for attribute in ("hx-get", "hx-target", "hx-swap", "hx-push-url"):
        assert attribute not in html  # set once on the list's container


def test_one_page_needs_no_links(groups):
    html = render_to_string("_pagination.html", {"page": counted_page(_get(), groups[:3])})
    assert "<nav" not in html
