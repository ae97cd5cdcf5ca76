"""The setup library's search means the same on SQLite and PostgreSQL, and its list never counts."""

import pytest
from django.db import connection
from django.urls import reverse

from library.models import LibrarySetup
from library.tests.factories import make_library_setup
from racing.setup_params import FIELD_NAMES

pytestmark = pytest.mark.django_db

QUERIES = [
    "genk",
    "GENK",
    "mugen rijs",
    "xb",
    "x",
    "ge",
    "nk",
    "wet",
    "club",
    "50%",
    "a_b",
    "zzq",
    "8r",
    "mbx",
]


def _reference(setup: LibrarySetup, q: str) -> bool:
    """Every word is in a field (3+ characters) or starts one (1–2 characters), ignoring case."""
    fields = [f.casefold() for f in (setup.track, setup.brand, setup.vehicle, setup.condition, setup.source)]
    for word in q.casefold().split():
        if len(word) >= 3:
            if not any(word in f for f in fields):
                return False
        elif not any(f.startswith(word) for f in fields):
            return False
    return True


@pytest.fixture
def library():
    return [
        make_library_setup(track="Rijswijk", brand="Mugen", vehicle="MBX8R", condition="wet"),
        make_library_setup(track="Genk", brand="Xray", vehicle="XB8", condition="dry", source="Club night"),
        make_library_setup(track="Genk", brand="Mugen", vehicle="MBX8R", condition="", source="50% diff a_b"),
        make_library_setup(track="Lommel", brand="Kyosho", vehicle="MP10", condition="damp"),
    ]


@pytest.mark.parametrize("q", QUERIES)
def test_search_matches_the_reference_meaning(library, q):
    expected = {s.pk for s in library if _reference(s, q)}
    assert set(LibrarySetup.objects.search(q).values_list("pk", flat=True)) == expected


def test_short_words_match_the_start_of_a_field(library):
    genk_xray = library[1]
    assert set(LibrarySetup.objects.search("xb")) == {genk_xray}
    assert not LibrarySetup.objects.search("nk").exists()  # inside "Genk", starts nothing


def test_search_chains_with_filters(library):
    assert list(LibrarySetup.objects.search("genk").filtered(brand="MUGEN")) == [library[2]]


@pytest.mark.postgres
def test_search_and_filters_use_the_indexes_on_postgresql(library):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plans = []
        for qs in (LibrarySetup.objects.search("genk"), LibrarySetup.objects.filtered(track="genk")):
            sql, params = qs.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert "library_search_trgm" in plans[0]
    assert "library_track_upper_idx" in plans[1]


# --- the list page -----------------------------------------------------------------


def _no_count(captured) -> bool:
    return not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


@pytest.mark.parametrize("params", [{}, {"q": "track"}, {"q": "track", "brand": "Mugen"}, {"page": 2}])
def test_list_never_counts_and_its_queries_do_not_grow(client, db, params, django_assert_max_num_queries):
    for i in range(45):
        make_library_setup(track=f"Track {i}")
    client.get(reverse("library_list"))  # fills the filter choices cache
    with django_assert_max_num_queries(3) as captured:
        response = client.get(reverse("library_list"), params)
    assert response.status_code == 200 and _no_count(captured)
    assert len(response.context["page"]) == 20


def test_pages_walk_forward_without_a_total(client, db):
    for i in range(45):
        make_library_setup(track=f"Track {i:02d}")
    first = client.get(reverse("library_list"))
    assert first.context["page"].has_next and not first.context["page"].has_previous
    assert "page=2" in first.content.decode() and "Not counted" in first.content.decode()
    last = client.get(reverse("library_list"), {"page": 3})
    assert len(last.context["page"]) == 5 and not last.context["page"].has_next


def test_results_say_how_many_when_they_fit_on_one_page(client, library):
    assert "4 setups" in client.get(reverse("library_list")).content.decode()
    assert "1 setup<" in client.get(reverse("library_list"), {"q": "xray"}).content.decode()


def test_a_page_past_the_end_shows_the_first_page(client, library):
    response = client.get(reverse("library_list"), {"page": 99})
    assert response.context["page"].number == 1 and "Rijswijk" in response.content.decode()


def test_filter_choices_are_cached_and_refreshed_when_a_setup_is_added(owner_client, library):
    owner_client.get(reverse("library_list"))
    form = {
        "track": "Zolder",
        "brand": "Xray",
        "vehicle": "XB2",
        "condition": "dry",
        "date": "",
        "source": "",
    }
    owner_client.post(reverse("library_create"), {**{name: "" for name in FIELD_NAMES}, **form})
    assert '<option value="Zolder">' in owner_client.get(reverse("library_list")).content.decode()


def test_filter_choices_come_from_the_cache_until_the_library_changes(
    client, library, django_assert_max_num_queries
):
    client.get(reverse("library_list"))
    with django_assert_max_num_queries(1):  # the page's rows; the four DISTINCTs are cached
        page = client.get(reverse("library_list")).content.decode()
    assert '<option value="Genk">' in page

    make_library_setup(track="Added Since")
    page = client.get(reverse("library_list")).content.decode()
    assert '<option value="Added Since">' in page


def test_search_works_inside_a_subquery(library):
    inner = LibrarySetup.objects.search("genk xray").values("pk")
    assert list(LibrarySetup.objects.filter(pk__in=inner)) == [library[1]]
