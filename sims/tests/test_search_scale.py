"""The driver search means the same on SQLite and PostgreSQL, and stays index-friendly.

On PostgreSQL the search reads a trigger-maintained ``search_text`` column
(migration 0007); on SQLite it joins the user table. The reference below is
the meaning both must have, so running this module on both databases proves
they agree.
"""

import threading

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from apex.tests.fixtures import make_user
from profiles.models import User
from sims.models import SimProfile
from sims.tests.factories import make_profile, make_simulator

pytestmark = pytest.mark.django_db

QUERIES = [
    "ann",
    "ANN",
    "verst",
    "stappen",
    "max verst",
    "70001",
    "ma",
    "a",
    "x",
    "hu",
    "fastlap",
    "lewis ham",
    "50%",
    "a_b",
    "zzq",
    "",
]


def _reference(profile: SimProfile, q: str) -> bool:
    """Every word is in a field (3+ characters) or starts one (1–2 characters), ignoring case."""
    user = profile.linked_user
    fields = [profile.profile_name, profile.profile_identifier]
    if user is not None:
        fields += [user.username, user.first_name, user.last_name]
    fields = [f.casefold() for f in fields]
    for word in q.casefold().split()[:8]:
        if len(word) >= 3:
            if not any(word in f for f in fields):
                return False
        elif not any(f.startswith(word) for f in fields):
            return False
    return True


@pytest.fixture
def drivers():
    sim = make_simulator()
    lewis = make_user("lh44", first_name="Lewis", last_name="Fastlap")
    anna = make_user("annika", first_name="", last_name="Hulme")
    rows = [
        make_profile(sim, name="Max Verstappen", identifier="70001"),
        make_profile(sim, name="Anna Schmidt", identifier="70002"),
        make_profile(sim, name="Team Car", identifier="80001", linked_user=lewis),
        make_profile(sim, name="Hannah Martin", identifier="80002", linked_user=anna),
        make_profile(sim, name="Maya 50% Bold", identifier="a_b"),
        make_profile(sim, name="AxB", identifier="99"),
        make_profile(sim, name="Xavier Ma", identifier="x-1"),
    ]
    return SimProfile.objects.select_related("linked_user").filter(pk__in=[p.pk for p in rows])


@pytest.mark.parametrize("q", QUERIES)
def test_search_matches_the_reference_meaning(drivers, q):
    expected = {p.profile_name for p in drivers if _reference(p, q)}
    assert set(SimProfile.objects.search(q).values_list("profile_name", flat=True)) == expected


def test_short_words_match_the_start_of_a_field_only(drivers):
    assert set(SimProfile.objects.search("ma").values_list("profile_name", flat=True)) == {
        "Max Verstappen",
        "Maya 50% Bold",
    }
    # "ar" is inside "Hannah Martin" and "Team Car" but starts no field.
    assert not SimProfile.objects.search("ar").exists()
    assert set(SimProfile.objects.search("art").values_list("profile_name", flat=True)) == {"Hannah Martin"}


def test_like_wildcards_in_the_query_are_plain_characters(drivers):
    assert list(SimProfile.objects.search("50%").values_list("profile_name", flat=True)) == ["Maya 50% Bold"]
    assert list(SimProfile.objects.search("a_b").values_list("profile_name", flat=True)) == ["Maya 50% Bold"]
    assert not SimProfile.objects.search("x%b").exists()


def test_search_chains_with_visibility_and_simulator(drivers):
    other = make_simulator("acc", "ACC")
    make_profile(other, name="Anna Other", identifier="1")
    make_profile(other, name="Anna Hidden", identifier="2", is_public=False)
    names = (
        SimProfile.objects.public().for_simulator(other).search("anna").values_list("profile_name", flat=True)
    )
    assert list(names) == ["Anna Other"]


def test_search_page_runs_no_count(client, drivers, django_assert_max_num_queries):
    with django_assert_max_num_queries(3) as captured:
        response = client.get(reverse("sim_profile_search"), {"q": "verst"})
    assert [p.profile_name for p in response.context["profiles"]] == ["Max Verstappen"]
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


# --- PostgreSQL: the search column follows every change ---------------------------


def _found(q: str) -> set[str]:
    return set(SimProfile.objects.search(q).values_list("profile_name", flat=True))


@pytest.mark.postgres
def test_search_uses_the_trigram_index_on_postgresql(drivers):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = SimProfile.objects.search("verst").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "sim_profile_search_text_trgm" in plan


@pytest.mark.postgres
def test_link_unlink_and_user_rename_update_the_search(drivers):
    profile = SimProfile.objects.get(profile_name="Anna Schmidt")
    racer = make_user("quickbrown", first_name="Zed", last_name="Zorro")
    assert "Anna Schmidt" not in _found("quickbrown")

    profile.link_to_user(racer)
    assert "Anna Schmidt" in _found("quickbrown") and "Anna Schmidt" in _found("zorro")

    racer.username, racer.last_name = "slowgreen", "Zebra"
    racer.save()
    assert "Anna Schmidt" not in _found("quickbrown") and "Anna Schmidt" not in _found("zorro")
    assert "Anna Schmidt" in _found("slowgreen") and "Anna Schmidt" in _found("zebra")

    profile.unlink_from_user()
    assert "Anna Schmidt" not in _found("slowgreen")


@pytest.mark.postgres
def test_renaming_a_profile_and_deleting_its_user_update_the_search(drivers):
    SimProfile.objects.filter(profile_name="Team Car").update(profile_name="Works Car")
    assert _found("works") == {"Works Car"} and _found("team") == set()
    assert _found("fastlap") == {"Works Car"}
    User.objects.get(username="lh44").delete()
    assert _found("fastlap") == set() and _found("works") == {"Works Car"}


def test_search_works_inside_a_subquery(drivers):
    inner = SimProfile.objects.search("verst").values("pk")
    outer = SimProfile.objects.exclude(profile_name="Anna Schmidt").filter(pk__in=inner)
    assert list(outer.values_list("profile_name", flat=True)) == ["Max Verstappen"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_link_made_while_the_user_is_renamed_gets_the_new_name():
    profile = make_profile(make_simulator(), name="Raced Meanwhile")
    racer = make_user("oldhandle")

    def link():
        try:
            SimProfile.objects.filter(pk=profile.pk).update(linked_user=racer)
        finally:
            connections.close_all()

    with transaction.atomic():
        User.objects.filter(pk=racer.pk).update(username="newhandle")
        linker = threading.Thread(target=link)
        linker.start()
        linker.join(timeout=1)  # lets the link run (or wait for the rename) before the rename commits
    linker.join(timeout=10)
    assert _found("newhandle") == {"Raced Meanwhile"} and _found("oldhandle") == set()
