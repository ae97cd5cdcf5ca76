"""One pagination module and one partial for every list."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from apex.compiled import _PLACEHOLDER, _offsets_as_parameters
from apex.pagination import compiled_uncounted_page, counted_page, uncounted_page
from apex.tests.fixtures import make_user
from profiles.models import RacerProfile
from racing.models import Vehicle
from racing.tests.factories import racer_of

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


@pytest.fixture
def vehicles() -> RacerProfile:
    racer = racer_of(make_user("alex"))
    Vehicle.objects.bulk_create([Vehicle(racer=racer, brand=f"b{i:02d}", model="M") for i in range(45)])
    Vehicle.objects.create(racer=racer_of(make_user("sam")), brand="b00", model="Theirs")
    return racer


def _vehicles_of(racer_id: int) -> "QuerySet[Vehicle]":
    return Vehicle.objects.filter(racer_id=racer_id).order_by("brand")


@pytest.mark.parametrize("query", ["page=1", "page=2", "q=g&page=3", "page=4", "page=99", "page=abc"])
def test_a_compiled_page_is_the_querysets_page(vehicles, query):
    expected = uncounted_page(_get(query), _vehicles_of(vehicles.pk))
    page = compiled_uncounted_page(_get(query), _vehicles_of, vehicles.pk)
    assert [v.pk for v in page] == [v.pk for v in expected]
    assert "Theirs" not in {v.model for v in page}
    assert (page.number, page.has_next, page.previous_query, page.next_query) == (
        expected.number,
        expected.has_next,
        expected.previous_query,
        expected.next_query,
    )


def test_a_compiled_page_is_one_query_with_its_offset_as_a_parameter(vehicles):
    compiled_uncounted_page(_get("page=2"), _vehicles_of, vehicles.pk)
    with CaptureQueriesContext(connection) as captured:
        page = compiled_uncounted_page(_get("page=3"), _vehicles_of, vehicles.pk)
    assert [v.brand for v in page] == [f"b{i}" for i in range(40, 45)]
    (query,) = captured.captured_queries
    assert "OFFSET 40" in query["sql"]  # the offset of this call, not the one it was compiled with


def _groups_from(first_id: int) -> "QuerySet[Group]":
    return Group.objects.filter(id__gte=first_id).order_by("name")


def test_ids_of_32_bit_columns_are_refused_where_the_database_has_them(groups):
    if connection.vendor == "postgresql":  # auth's Group has a 32-bit id: the placeholder cannot be one
        with pytest.raises(ValueError, match="64-bit"):
            compiled_uncounted_page(_get(), _groups_from, 1)
    else:  # every SQLite integer is 64-bit
        page = compiled_uncounted_page(_get("page=2"), _groups_from, 1)
        assert [g.name for g in page] == [f"g{i}" for i in range(20, 40)]


def test_an_offset_becomes_a_parameter_at_its_place():
    sql = f"SELECT a FROM t WHERE a = %s AND b LIKE '%%s' AND id IN (SELECT id LIMIT 21 OFFSET {_PLACEHOLDER + 1}) AND c = %s"
    made, params = _offsets_as_parameters(sql, ["p0", "p2"], 2)
    assert (
        made
        == "SELECT a FROM t WHERE a = %s AND b LIKE '%%s' AND id IN (SELECT id LIMIT 21 OFFSET %s) AND c = %s"
    )
    assert params == ["p0", _PLACEHOLDER + 1, "p2"]


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
