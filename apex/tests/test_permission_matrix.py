"""Every URL of the project, as anonymous, owner, another user and staff.

The URL list comes from the resolver, not from this file: a pattern with no
row in ``MATRIX`` fails ``test_every_url_pattern_has_an_expectation`` by
name, so a new page cannot ship without deciding who may see it. Only the
Django admin (with the sim profile admin's link and unlink pages) and
allauth's account pages are left out (``NOT_HERE``); they have tests of
their own, and the allow-list is checked to still be exactly what those
prefixes serve.

Each cell is one of:

    200    the page (or the form again, with its errors)
    302    a redirect somewhere other than the login page (the action happened,
           or the view explains why not in a message)
    301    a permanent redirect
    login  a redirect to the login page, with ``next``
    403    refused, with a page that says why
    404    as if the object did not exist
    405    the method is not accepted

Every request runs in its own savepoint that is rolled back afterwards, so
one cell's POST (a delete, say) never changes what the next cell sees. For
every POST by someone other than the owner, the owner's rows are
snapshotted before and after, and must not have changed.
"""

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from advisor.tests.factories import make_theory_document
from apex.tests.world import World, build_world, owner_rows
from api.services import token_create
from racing.tests.factories import SETUP
from sims.services import add_request_open

ACTORS = ("anon", "owner", "other", "staff")

# Prefixes left to their own tests, and the code that must serve every URL under each.
NOT_HERE = {
    # SimProfileAdmin's link/unlink pages sit behind the admin's staff check;
    # sims/tests/test_admin.py tries them as anonymous, user, view-only staff and staff.
    # The add-request admin's approve/reject buttons likewise: sims/tests/test_add_request_admin.py.
    "admin/": ("django.", "sims.admin.SimProfileAdmin.", "sims.admin.AddRequestAdmin."),
    # The log-in pause's unlock link is tried in profiles/tests/test_login_limits.py; the
    # "check your e-mail" page and its send-again in profiles/tests/test_email_confirmation.py.
    "accounts/": (
        "allauth.",
        "profiles.views.login_unlock",
        "profiles.views.email_verification_sent",
        "profiles.views.email_verification_resend",
    ),
    # The JSON API takes tokens, not logins: api/tests/test_endpoints.py runs
    # every operation as owner, other user, anonymous and a read-only token.
    "api/": ("ninja.", "api."),
}


# --- the expectations ---------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One URL pattern (or one variant of it) and its answers.

    ``get``/``post`` give the answers for anonymous, owner, other, staff, in
    that order, as one string; None means the method is refused (405 for
    everyone). ``refused`` is one method the view does not accept.
    """

    name: str
    kwargs: str  # key into url_kwargs()
    get: str | None
    post: str | None
    refused: str
    query: str = ""
    data: str = ""  # key into post_data(); the POST a real form sends
    variant: str = ""
    staff_may_change: bool = False  # staff moderate the library; nothing else of the owner's


# Shorthands for readability: answers of anonymous, owner, other, staff.
OWNED_PAGE = "login 200 404 404"
OWNED_ACTION = "login 302 404 404"
OWN_SCOPE_PAGE = "login 200 200 200"  # each user sees their own racer's data
PUBLIC = "200 200 200 200"

# fmt: off
MATRIX = [
    #   name                        kwargs          GET                 POST                   refused
    Row("home",                     "none",         PUBLIC,             None,                  "POST"),
    Row("healthz",                  "none",         PUBLIC,             None,                  "POST"),
    Row("web_manifest",             "none",         PUBLIC,             None,                  "POST"),
    Row("service_worker",           "none",         PUBLIC,             None,                  "POST"),
    # racers
    Row("racer_list",               "none",         OWN_SCOPE_PAGE,     None,                  "POST"),
    Row("racer_create",             "none",         OWN_SCOPE_PAGE,     "login 302 302 302",   "PUT", data="racer"),
    Row("racer_detail",             "racer",        OWNED_PAGE,         None,                  "POST"),
    Row("racer_edit",               "racer",        OWNED_PAGE,         OWNED_ACTION,          "PUT", data="racer_edit"),
    Row("racer_delete",             "racer",        OWNED_PAGE,         OWNED_ACTION,          "PUT"),
    Row("racer_switch",             "racer",        None,               OWNED_ACTION,          "GET"),
    Row("racer_set_default",        "racer",        None,               OWNED_ACTION,          "GET"),
    # garage
    Row("vehicle_list",             "none",         OWN_SCOPE_PAGE,     None,                  "POST"),
    Row("vehicle_create",           "none",         OWN_SCOPE_PAGE,     "login 302 302 302",   "PUT", data="vehicle"),
    Row("vehicle_detail",           "vehicle",      OWNED_PAGE,         None,                  "POST"),
    Row("vehicle_edit",             "vehicle",      OWNED_PAGE,         OWNED_ACTION,          "PUT", data="vehicle"),
    Row("vehicle_delete",           "vehicle",      OWNED_PAGE,         OWNED_ACTION,          "PUT"),
    Row("baseline_edit",            "vehicle",      OWNED_PAGE,         OWNED_ACTION,          "PUT", data="baseline"),
    Row("baseline_versions",        "vehicle",      OWNED_PAGE,         None,                  "POST"),
    Row("baseline_version_detail",  "version",      OWNED_PAGE,         None,                  "POST"),
    Row("baseline_restore",         "version",      OWNED_PAGE,         OWNED_ACTION,          "PUT"),
    Row("baseline_diff",            "vehicle",      OWNED_PAGE,         None,                  "POST", query="a=1&b=2"),
    Row("vehicle_lap_history",      "vehicle",      OWNED_PAGE,         None,                  "POST"),
    # race days
    Row("raceday_list",             "none",         OWN_SCOPE_PAGE,     None,                  "POST"),
    # Another user's form offers only their own vehicles: the owner's is "not a valid choice".
    Row("raceday_start",            "none",         OWN_SCOPE_PAGE,     "login 302 200 200",   "PUT", data="raceday_start"),
    Row("raceday_detail",           "race_day",     OWNED_PAGE,         None,                  "POST"),
    Row("raceday_change_add",       "race_day",     None,               OWNED_ACTION,          "GET", data="change"),
    Row("raceday_change_status",    "change",       None,               OWNED_ACTION,          "GET", data="status"),
    Row("raceday_round_add",        "race_day",     None,               OWNED_ACTION,          "GET", data="round"),
    Row("raceday_close",            "race_day",     OWNED_PAGE,         OWNED_ACTION,          "PUT", data="close"),
    Row("raceday_analysis",         "race_day",     OWNED_PAGE,         None,                  "POST"),
    Row("raceday_laps_csv",         "race_day",     OWNED_PAGE,         None,                  "POST"),
    Row("raceday_laps_import",      "race_day",     OWNED_PAGE,         OWNED_ACTION,          "PUT", data="laps_import"),
    Row("laps_compare",             "none",         OWN_SCOPE_PAGE,     None,                  "POST"),
    Row("raceday_promote",          "race_day",     OWNED_PAGE,         OWNED_ACTION,          "PUT"),
    # track log
    Row("tracklog_list",            "none",         OWN_SCOPE_PAGE,     None,                  "POST"),
    # As above: the owner's vehicle is not one of theirs to log.
    Row("tracklog_create",          "none",         OWN_SCOPE_PAGE,     "login 302 200 200",   "PUT", data="tracklog"),
    Row("tracklog_edit",            "track_log",    OWNED_PAGE,         OWNED_ACTION,          "PUT", data="tracklog"),
    Row("tracklog_delete",          "track_log",    OWNED_PAGE,         OWNED_ACTION,          "PUT"),
    # setup library: public to read, the author (or staff) edits
    Row("library_list",             "none",         PUBLIC,             None,                  "POST"),
    Row("library_create",           "none",         OWN_SCOPE_PAGE,     "login 302 302 302",   "PUT", data="library"),
    Row("library_detail",           "library",      PUBLIC,             None,                  "POST"),
    Row("library_edit",             "library",      "login 200 403 200", "login 302 403 302",  "PUT", data="library",
        staff_may_change=True),
    Row("library_delete",           "library",      "login 200 403 200", "login 302 403 302",  "PUT",
        staff_may_change=True),
    # Anyone may copy a public setup, but only into their own vehicle: the owner's is refused.
    Row("library_use",              "library",      None,               "login 302 302 302",   "GET", data="library_use"),
    Row("compare",                  "none",         PUBLIC,             None,                  "POST"),
    Row("compare",                  "none",         "login 200 404 404", None,                 "POST",
        query="owned", variant="an owned baseline"),
    Row("legacy_csv_download",      "none",         OWN_SCOPE_PAGE,     None,                  "POST"),
    # setup theory: public to read, staff add documents (an empty form comes back with its errors)
    Row("theory_list",              "none",         PUBLIC,             None,                  "POST", query="q=roll"),
    Row("theory_detail",            "theory",       PUBLIC,             None,                  "POST"),
    Row("api_tokens",               "none",         OWN_SCOPE_PAGE,     "login 422 422 422",   "PUT"),
    Row("api_token_revoke",         "api_token",    None,               OWNED_ACTION,          "GET"),
    Row("theory_upload",            "none",         "login 403 403 200", "login 403 403 422",  "PUT"),
    # the advisor: on the owner's race day ("Try it" plans a change) and baseline
    Row("raceday_advice",           "race_day",     OWNED_PAGE,         None,                  "POST", query="symptom=traction_roll"),
    Row("raceday_advice_try",       "race_day",     None,               OWNED_ACTION,          "GET", data="try_it"),
    Row("baseline_advice",          "vehicle",      OWNED_PAGE,         None,                  "POST", query="symptom=exit_oversteer"),
    # sim profiles: the public directory
    Row("sim_profile_browse",       "none",         PUBLIC,             None,                  "POST"),
    Row("sim_profile_search",       "none",         PUBLIC,             None,                  "POST", query="q=owner"),
    Row("sim_event_detail",         "event",        PUBLIC,             None,                  "POST"),
    Row("simulator_profiles",       "simulator",    PUBLIC,             None,                  "POST"),
    Row("sim_profile_detail",       "profile_page", PUBLIC,             None,                  "POST"),
    Row("sim_profile_detail",       "private_page", "404 200 404 404",  None,                  "POST",
        variant="a private profile"),
    # sim profiles: managing my own
    Row("my_sim_profiles",          "none",         OWN_SCOPE_PAGE,     None,                  "POST"),
    Row("my_sim_profile_search",    "none",         OWN_SCOPE_PAGE,     None,                  "POST", query="q=owner"),
    Row("sim_profile_add",          "none",         OWN_SCOPE_PAGE,     "login 302 302 302",   "PUT", data="sim_profile_add"),
    # The owner's private profile's ID gets the same answer as a new one, and stays as it is.
    Row("sim_profile_add",          "none",         OWN_SCOPE_PAGE,     "login 302 302 302",   "PUT",
        data="sim_profile_add_hidden", variant="a private profile's ID"),
    Row("sim_add_request_cancel",   "add_request",  OWNED_PAGE,         OWNED_ACTION,          "PUT"),
    # Linking needs the profile to be visible: a private one is its owner's alone.
    Row("sim_profile_link",         "private",      OWNED_PAGE,         OWNED_ACTION,          "PUT"),
    # A public profile already linked to the owner: others are told it is taken.
    Row("sim_profile_link",         "profile",      "login 200 200 200", "login 302 302 302",   "PUT", variant="a linked public profile"),
    Row("sim_profile_unlink",       "profile",      OWNED_PAGE,         OWNED_ACTION,          "PUT"),
    Row("sim_profile_visibility",   "profile",      None,               OWNED_ACTION,          "GET", data="visibility"),
    Row("sim_profile_verify",       "profile",      OWNED_PAGE,         OWNED_ACTION,          "PUT"),
    Row("sim_profiles_legacy",      "legacy",       "301 301 301 301",  None,                  "POST"),
]
# fmt: on


def url_kwargs(w: World, key: str) -> dict:
    if key == "theory":
        return {"pk": make_theory_document().pk}
    if key == "api_token":
        return {"pk": token_create(user=w.owner, name="matrix")[0].pk}
    if key == "add_request":
        waiting = add_request_open(
            simulator=w.simulator, identifier="waiting-1", name="W", user=w.owner, ip=None
        )
        return {"pk": waiting.pk}
    kwargs: dict[str, dict] = {
        "none": {},
        "racer": {"pk": w.racer.pk},
        "vehicle": {"pk": w.vehicle.pk},
        "version": {"pk": w.vehicle.pk, "number": 1},
        "race_day": {"pk": w.race_day.pk},
        "change": {"pk": w.race_day.pk, "change_pk": w.change.pk},
        "track_log": {"pk": w.track_log.pk},
        "library": {"pk": w.library_setup.pk},
        "event": {"pk": w.event.pk},
        "simulator": {"simulator_slug": w.simulator.slug},
        "profile_page": {"simulator_slug": w.simulator.slug, "profile_identifier": "4242"},
        "private_page": {"simulator_slug": w.simulator.slug, "profile_identifier": "private-7"},
        "profile": {"pk": w.sim_profile.pk},
        "private": {"pk": w.private_profile.pk},
        "legacy": {"rest": ""},
    }
    return kwargs[key]


def post_data(w: World, key: str) -> dict:
    setup_fields = {name: str(value) for name, value in SETUP.items()}
    data: dict[str, dict] = {
        "": {},
        "racer": {"name": "Posted racer"},
        "racer_edit": {
            "name": "Renamed",
            "sponsors-TOTAL_FORMS": "1",
            "sponsors-INITIAL_FORMS": "1",
            "sponsors-0-id": str(w.sponsor.pk),
            "sponsors-0-racer": str(w.racer.pk),
            "sponsors-0-name": "Renamed sponsor",
        },
        "vehicle": {"brand": "Posted", "model": "Car"},
        "baseline": {"based_on": "2", "note": "posted", **setup_fields, "df": "5000"},
        "raceday_start": {"vehicle": str(w.spare_vehicle.pk), "track": "Posted", "date": "2025-06-01"},
        "change": {"parameter": "dc", "old_value": "10000", "new_value": "12000", "status": "planned"},
        "status": {"status": "kept"},
        "round": {"kind": "qualifier", "result": "P1", "laps": "32.1 31.9"},
        "laps_import": {
            "file": SimpleUploadedFile("laps.csv", f"Lap,{w.racer.name}\n1,32.1\n2,31.9\n".encode()),
            "kind": "main",
        },
        "tracklog": {"timestamp": "2025-06-01T10:00", "track": "Posted", "vehicle": str(w.vehicle.pk)},
        "library": {"track": "Posted", "brand": "B", "vehicle": "V", **setup_fields},
        "library_use": {"vehicle": str(w.vehicle.pk)},
        "sim_profile_add": {
            "simulator": str(w.simulator.pk),
            "profile_identifier": "new-1",
            "profile_name": "N",
        },
        "sim_profile_add_hidden": {
            "simulator": str(w.simulator.pk),
            "profile_identifier": w.private_profile.profile_identifier,
            "profile_name": "N",
        },
        "visibility": {},
        "close": {"note": ""},
        "try_it": {"parameter": "df", "new_value": "6000", "symptom": "entry_understeer"},
    }
    return data[key]


def query_for(w: World, row: Row) -> str:
    if row.query == "owned":
        version = w.vehicle.baseline_versions.get(number=1)
        return f"a=baseline:{version.pk}&b=library:{w.library_setup.pk}"
    return row.query


# --- the walk over the resolver -----------------------------------------------


def walk(resolver=None, prefix: str = ""):
    """(route, name, view path) for every URLPattern, through every include."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name, entry.lookup_str


def _left_out(route: str) -> str | None:
    return next((prefix for prefix in NOT_HERE if route.lstrip("^").startswith(prefix)), None)


def test_every_url_pattern_has_an_expectation():
    names_in_matrix = {row.name for row in MATRIX}
    missing = [
        f"{name} ({route})"
        for route, name, _view in walk()
        if not _left_out(route) and name not in names_in_matrix
    ]
    assert missing == [], f"URL patterns with no row in the permission matrix: {missing}"


def test_matrix_has_no_rows_for_urls_that_are_gone():
    names = {name for _route, name, _view in walk()}
    assert [row.name for row in MATRIX if row.name not in names] == []


def test_left_out_prefixes_serve_only_admin_and_allauth():
    served: dict[str, list[tuple]] = {prefix: [] for prefix in NOT_HERE}
    for route, name, view in walk():
        prefix = _left_out(route)
        if prefix:
            served[prefix].append((name, view))
    for prefix, packages in NOT_HERE.items():
        assert served[prefix], f"nothing is served under {prefix}: drop it from NOT_HERE"
        strays = [name for name, view in served[prefix] if not view.startswith(packages)]
        assert strays == [], f"project views under {prefix} escape the matrix: {strays}"


def test_every_row_is_well_formed():
    for row in MATRIX:
        for answers in (row.get, row.post):
            assert answers is None or len(answers.split()) == len(ACTORS), row
        assert row.refused not in {m for m, a in (("GET", row.get), ("POST", row.post)) if a}, row


# --- the requests ---------------------------------------------------------------


def _check(response, expected: str, label: str) -> None:
    status = response.status_code
    location = response.headers.get("Location", "")
    login = reverse(settings.LOGIN_URL)
    if expected == "login":
        assert status == 302 and urlsplit(location).path == login and "next=" in location, (
            f"{label}: expected a redirect to login, got {status} {location}"
        )
    elif expected == "302":
        assert status == 302 and urlsplit(location).path != login, (
            f"{label}: expected a redirect elsewhere, got {status} {location}"
        )
    else:
        assert status == int(expected), f"{label}: expected {expected}, got {status} {location}"


def _row_id(row: Row) -> str:
    return f"{row.name}[{row.variant}]" if row.variant else row.name


@pytest.mark.parametrize("row", MATRIX, ids=_row_id)
def test_permission_matrix(db, row: Row):
    w = build_world()
    clients = {"anon": Client()}
    for actor, user in (("owner", w.owner), ("other", w.other), ("staff", w.staff)):
        clients[actor] = Client()
        clients[actor].force_login(user)
    url = reverse(row.name, kwargs=url_kwargs(w, row.kwargs))
    query = query_for(w, row)
    if query:
        url = f"{url}?{query}"

    refused = " ".join(["405"] * len(ACTORS))
    plan = [(row.refused, refused), ("GET", row.get or refused), ("POST", row.post or refused)]
    for method, answers in plan:
        for actor, expected in zip(ACTORS, answers.split(), strict=True):
            label = f"{method} {url} as {actor}"
            with transaction.atomic():
                checked = actor != "owner" and not (actor == "staff" and row.staff_may_change)
                before = owner_rows(w) if checked else None
                if method == "POST":
                    response = clients[actor].post(url, post_data(w, row.data))
                else:
                    response = clients[actor].generic(method, url)
                _check(response, expected, label)
                if before is not None and method not in ("GET", "HEAD"):
                    assert owner_rows(w) == before, f"{label} changed the owner's rows"
                transaction.set_rollback(True)


def test_the_world_is_what_the_matrix_assumes(db):
    """Guards the rows above: if these change, the answers would mean something else."""
    w = build_world()
    assert w.racer.owner == w.owner and w.racer.is_default
    assert list(w.vehicle.baseline_versions.values_list("number", flat=True).order_by("number")) == [1, 2]
    assert w.race_day.is_open and w.race_day.changes.count() == 1 and w.race_day.rounds.count() == 1
    assert w.sim_profile.is_public and not w.private_profile.is_public
    assert w.library_setup.can_edit(w.owner) and not w.library_setup.can_edit(w.other)
    assert settings.ENABLE_PUBLIC_PROFILES
    assert uuid.UUID(str(w.sim_profile.pk))
