"""Random and hostile values in every form, query parameter and URL segment.

Whatever arrives, the answer is never a server error; a rejected form says
why (a field or page error is on the page); and markup comes back escaped,
on the answer itself and on the page a successful POST redirects to. NUL
bytes get a sentence of their own: PostgreSQL refuses them in text, so a
NUL that slipped past a form would be a 500 there and silently stored on
SQLite.

Each example runs in a savepoint that is rolled back, so every example
starts from the same world (see ``apex/tests/world.py``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apex.tests import hostile
from apex.tests.world import World, build_world
from racing.tests.factories import SETUP
from sims.models import AddRequest
from sims.services import add_request_open


def _waiting(w: World) -> AddRequest:
    """The owner's ID waiting to be added (the same one each time while it waits)."""
    return add_request_open(simulator=w.simulator, identifier="waiting-1", name="W", user=w.owner, ip=None)


# How many examples, the deadline and CI's derandomizing come from the profile
# in conftest.py. Every example starts from the same world (rolled back), so
# the function-scoped fixtures are safe to share between examples.
EXAMPLES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

ERROR_MARKERS = ('class="errorlist', "message error")


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def owner(world) -> Client:
    client = Client()
    client.force_login(world.owner)
    return client


def _body(response) -> str:
    if not response.get("Content-Type", "").startswith("text/"):
        return ""
    return response.content.decode("utf-8", errors="replace")


def assert_sane(response, label: str) -> str:
    """No server error, and no hostile markup rendered raw. Returns the body."""
    assert response.status_code < 500, f"{label}: {response.status_code}"
    body = _body(response)
    for payload in hostile.MARKUP_PAYLOADS:
        assert payload not in body, f"{label}: {payload!r} rendered unescaped"
    return body


# A browser always sends the token field, so a real form's POST is never empty.
TOKEN = {"csrfmiddlewaretoken": "x"}


def post_and_check(client: Client, url: str, data: dict, label: str):
    with transaction.atomic():
        response = client.post(url, {**TOKEN, **data}, follow=True)
        body = assert_sane(response, label)
        if not response.redirect_chain and response.status_code in (200, 422):
            # The form came back: it must say what was wrong.
            assert any(marker in body for marker in ERROR_MARKERS), f"{label}: rejected without a message"
        transaction.set_rollback(True)
    return response


def get_and_check(client: Client, url: str, params: dict, label: str, **extra):
    with transaction.atomic():
        response = client.get(url, params, **extra)
        assert_sane(response, label)
        transaction.set_rollback(True)
    return response


# --- forms ---------------------------------------------------------------------

SETUP_FIELDS = {name: str(value) for name, value in SETUP.items()}


@dataclass
class Form:
    name: str
    kwargs: Callable[[World], dict]
    valid: Callable[[World], dict]
    # Fields where a NUL is not text (a checkbox is "on" whatever it says).
    nul_ok: tuple = ()
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name


NONE: Callable[[object], dict] = lambda w: {}  # noqa: E731

FORMS = [
    Form(
        "racer_create",
        NONE,
        lambda w: {
            "name": "Racer",
            "email": "r@example.com",
            "facebook": "fb",
            "instagram": "@ig",
            "transponder": "1234",
        },
    ),
    Form("racer_create", NONE, lambda w: {"from_switcher": "1", "name": "Quick"}, nul_ok=("from_switcher",)),
    Form(
        "racer_edit",
        lambda w: {"pk": w.racer.pk},
        lambda w: {
            "name": "Renamed",
            "transponder": "99",
            "sponsors-TOTAL_FORMS": "1",
            "sponsors-INITIAL_FORMS": "1",
            "sponsors-MAX_NUM_FORMS": "50",
            "sponsors-0-id": str(w.sponsor.pk),
            "sponsors-0-racer": str(w.racer.pk),
            "sponsors-0-name": "Sponsor",
        },
        # A hidden field the formset ignores (it uses the instance) and its own bookkeeping.
        nul_ok=("sponsors-0-racer", "sponsors-MAX_NUM_FORMS"),
        extra={"sponsors-TOTAL_FORMS": hostile.numbers(), "sponsors-INITIAL_FORMS": hostile.numbers()},
    ),
    Form(
        "vehicle_create",
        NONE,
        lambda w: {"brand": "Mugen", "model": "MBX9", "nickname": "", "transponder": ""},
    ),
    Form(
        "vehicle_edit",
        lambda w: {"pk": w.vehicle.pk},
        lambda w: {"brand": "Mugen", "model": "MBX8R", "nickname": "Spare", "transponder": "7"},
    ),
    Form(
        "baseline_edit",
        lambda w: {"pk": w.vehicle.pk},
        lambda w: {"based_on": "2", "note": "posted", **SETUP_FIELDS},
    ),
    Form(
        "raceday_start",
        NONE,
        lambda w: {
            "vehicle": str(w.spare_vehicle.pk),
            "track": "Genk",
            "date": "2025-06-01",
            "surface": "dirt",
            "grip": "high",
            "temperature": "21.5",
            "weather": "sun",
        },
        extra={"date": hostile.dates(), "temperature": hostile.numbers()},
    ),
    Form(
        "raceday_change_add",
        lambda w: {"pk": w.race_day.pk},
        lambda w: {
            "parameter": "dc",
            "old_value": "10000",
            "new_value": "12000",
            "reason": "more steering",
            "status": "planned",
        },
    ),
    Form(
        "raceday_change_status",
        lambda w: {"pk": w.race_day.pk, "change_pk": w.change.pk},
        lambda w: {"status": "kept"},
    ),
    Form(
        "raceday_round_add",
        lambda w: {"pk": w.race_day.pk},
        lambda w: {"kind": "main", "result": "P1", "note": "won", "laps": "32.451 1:02.004"},
    ),
    Form("raceday_close", lambda w: {"pk": w.race_day.pk}, lambda w: {"note": "good day"}),
    Form(
        "tracklog_create",
        NONE,
        lambda w: {
            "timestamp": "2025-06-01T10:00",
            "track": "Genk",
            "vehicle": str(w.vehicle.pk),
            "event": "Club",
            "note": "n",
        },
        # Django's datetime parsing ignores what follows a valid date and time:
        # a trailing NUL never reaches the database.
        nul_ok=("timestamp",),
        extra={"timestamp": hostile.dates()},
    ),
    Form(
        "tracklog_edit",
        lambda w: {"pk": w.track_log.pk},
        lambda w: {"timestamp": "2025-06-01T10:00", "track": "Genk", "vehicle": "", "event": "", "note": ""},
        nul_ok=("timestamp",),
        extra={"timestamp": hostile.dates()},
    ),
    Form(
        "library_create",
        NONE,
        lambda w: {
            "track": "Rijswijk",
            "brand": "Mugen",
            "vehicle": "MBX8R",
            "condition": "dry",
            "date": "2025-05-01",
            "source": "team",
            **SETUP_FIELDS,
        },
        extra={"date": hostile.dates()},
    ),
    Form(
        "library_edit",
        lambda w: {"pk": w.library_setup.pk},
        lambda w: {"track": "Rijswijk", "brand": "Mugen", "vehicle": "MBX8R", **SETUP_FIELDS},
    ),
    Form("library_use", lambda w: {"pk": w.library_setup.pk}, lambda w: {"vehicle": str(w.spare_vehicle.pk)}),
    Form(
        "sim_profile_add",
        NONE,
        lambda w: {
            "simulator": str(w.simulator.pk),
            "profile_identifier": "new-77",
            "profile_name": "New Driver",
        },
        extra={"profile_identifier": hostile.slugs() | hostile.hostile()},
    ),
    Form(
        "sim_profile_visibility",
        lambda w: {"pk": w.sim_profile.pk},
        lambda w: {"is_public": "on"},
        nul_ok=("is_public",),
    ),
    Form("sim_profile_verify", lambda w: {"pk": w.sim_profile.pk}, lambda w: {}),
    Form("sim_add_request_cancel", lambda w: {"pk": _waiting(w).pk}, lambda w: {}),
    Form("racer_switch", lambda w: {"pk": w.racer.pk}, lambda w: {"next": "/garage/"}, nul_ok=("next",)),
    Form("racer_set_default", lambda w: {"pk": w.racer.pk}, lambda w: {"next": "/garage/"}, nul_ok=("next",)),
]


@pytest.mark.parametrize("form", FORMS, ids=str)
@EXAMPLES
@given(data=st.data())
def test_hostile_posts_never_break_a_form(owner, world, form, data):
    url = reverse(form.name, kwargs=form.kwargs(world))
    values = data.draw(hostile.field_values(form.valid(world), form.extra), label="POST")
    response = post_and_check(owner, url, values, f"POST {url}")
    for location, _status in response.redirect_chain:
        # Wherever "next" pointed, the redirect stays on this site.
        parts = urlsplit(location)
        assert not parts.scheme and not parts.netloc, location


@pytest.mark.parametrize(
    "form", [f for f in FORMS if f.name not in ("sim_profile_verify", "sim_add_request_cancel")], ids=str
)
def test_nul_in_any_field_is_refused_with_a_message(owner, world, form):
    url = reverse(form.name, kwargs=form.kwargs(world))
    valid = form.valid(world)
    for name in valid:
        if name in form.nul_ok:
            continue
        for value in (f"{valid[name]}\x00", "\x00"):
            label = f"POST {url} {name}={value!r}"
            with transaction.atomic():
                response = owner.post(url, {**TOKEN, **valid, name: value}, follow=True)
                body = assert_sane(response, label)
                assert any(marker in body for marker in ERROR_MARKERS), f"{label}: NUL accepted"
                transaction.set_rollback(True)


def test_the_valid_values_really_are_valid(owner, world):
    """Otherwise "mixing valid values in" would never reach the database."""
    for form in FORMS:
        url = reverse(form.name, kwargs=form.kwargs(world))
        with transaction.atomic():
            response = owner.post(url, form.valid(world))
            assert response.status_code == 302, f"{form}: {response.status_code}"
            transaction.set_rollback(True)


# --- query parameters ------------------------------------------------------------


@dataclass
class Query:
    name: str
    kwargs: Callable[[World], dict]
    params: list[str]
    extra: dict = field(default_factory=dict)
    anonymous: bool = False
    htmx: bool = False

    def __str__(self) -> str:
        return self.name + (" (htmx)" if self.htmx else "")


PAGING = {"page": hostile.numbers(), "after": hostile.hostile(), "before": hostile.hostile()}

QUERIES = [
    Query("library_list", NONE, ["q", "track", "brand", "vehicle", "condition", "page"], anonymous=True),
    Query("library_list", NONE, ["q", "page"], htmx=True),
    Query("tracklog_list", NONE, ["track", "vehicle", "page"], extra={"vehicle": hostile.numbers()}),
    Query("raceday_list", NONE, ["page"]),
    Query("raceday_start", NONE, ["vehicle"], extra={"vehicle": hostile.numbers()}),
    Query("baseline_versions", lambda w: {"pk": w.vehicle.pk}, ["page"]),
    Query(
        "baseline_diff",
        lambda w: {"pk": w.vehicle.pk},
        ["a", "b"],
        extra={"a": hostile.numbers(), "b": hostile.numbers()},
    ),
    Query("raceday_detail", lambda w: {"pk": w.race_day.pk}, ["parameter", "new_value", "reason", "status"]),
    Query(
        "laps_compare",
        NONE,
        ["a", "b"],
        extra={
            "a": st.sampled_from(["round:", "day:"]).flatmap(
                lambda k: hostile.numbers().map(lambda n: k + n)
            ),
            "b": st.sampled_from(["round:", "day:"]).flatmap(
                lambda k: hostile.numbers().map(lambda n: k + n)
            ),
        },
    ),
    Query("vehicle_lap_history", lambda w: {"pk": w.vehicle.pk}, ["track"]),
    Query(
        "compare",
        NONE,
        ["a", "b"],
        extra={
            "a": st.sampled_from(["baseline:", "library:", "raceday:"]).flatmap(
                lambda k: hostile.numbers().map(lambda n: k + n)
            )
            | hostile.hostile()
        },
        anonymous=True,
    ),
    Query("sim_profile_browse", NONE, ["q", "sim", "page", "after", "before"], extra=PAGING, anonymous=True),
    Query(
        "sim_profile_search",
        NONE,
        ["q", "sim", "page", "after", "before"],
        extra={**PAGING, "sim": hostile.slugs()},
        anonymous=True,
    ),
    Query("sim_profile_search", NONE, ["q", "page"], htmx=True),
    Query(
        "simulator_profiles",
        lambda w: {"simulator_slug": w.simulator.slug},
        ["q", "page", "after", "before"],
        extra=PAGING,
    ),
    Query("my_sim_profile_search", NONE, ["q"]),
    Query(
        "sim_profile_detail", lambda w: {"simulator_slug": "iracing", "profile_identifier": "4242"}, ["page"]
    ),
]


@pytest.mark.parametrize("query", QUERIES, ids=str)
@EXAMPLES
@given(data=st.data())
def test_hostile_query_parameters_never_break_a_page(owner, world, query, data):
    url = reverse(query.name, kwargs=query.kwargs(world))
    params = data.draw(hostile.query_values(query.params, query.extra), label="GET")
    client = Client() if query.anonymous else owner
    headers = {"HX-Request": "true"} if query.htmx else {}
    response = get_and_check(client, url, params, f"GET {url} {params!r}", headers=headers)
    # 400: Django refuses to redirect to login with a query string over 16,384 characters.
    assert response.status_code in (200, 302, 400, 404), response.status_code


@pytest.mark.parametrize(
    ("name", "q"),
    [
        ("library_list", "Rijs\x00wijk"),
        ("sim_profile_search", "Own\x00er"),
        ("my_sim_profile_search", "\x00"),
    ],
)
def test_nul_in_a_search_is_a_message_not_a_server_error(owner, world, name, q):
    response = get_and_check(owner, reverse(name), {"q": q}, f"GET {name} q={q!r}")
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


# --- URL segments ----------------------------------------------------------------


@EXAMPLES
@given(identifier=hostile.hostile().filter(lambda s: s and "/" not in s), slug=hostile.slugs())
def test_hostile_profile_addresses_are_404_not_errors(owner, world, identifier, slug):
    for simulator_slug in ("iracing", slug):
        path = f"/profiles/{_quote(simulator_slug)}/{_quote(identifier)}/"
        response = get_and_check(owner, path, {}, f"GET {path}")
        assert response.status_code in (200, 301, 404), f"{path}: {response.status_code}"


@EXAMPLES
@given(number=hostile.absent_ids())
def test_enormous_ids_in_the_path_are_404(owner, world, number):
    for name, kwargs in [
        ("racer_detail", {"pk": number}),
        ("vehicle_detail", {"pk": number}),
        ("baseline_version_detail", {"pk": world.vehicle.pk, "number": number}),
        ("raceday_change_status", {"pk": world.race_day.pk, "change_pk": number}),
        ("library_detail", {"pk": number}),
        ("sim_event_detail", {"pk": number}),
    ]:
        url = reverse(name, kwargs=kwargs)
        method = owner.post if name == "raceday_change_status" else owner.get
        with transaction.atomic():
            response = method(url)
            assert response.status_code == 404, f"{url}: {response.status_code}"
            transaction.set_rollback(True)


@pytest.mark.parametrize("raw", hostile.AWKWARD_UUIDS)
def test_malformed_sim_profile_ids_are_404(owner, world, raw):
    response = owner.get(f"/users/profile/sim-profiles/{_quote(raw)}/verify/")
    assert response.status_code == 404


def _quote(segment: str) -> str:
    return quote(segment, safe="")
