"""Every API operation as its owner, another user, anonymous and a token without the needed scope."""

import datetime
import json
from dataclasses import dataclass

import pytest

from api.main import api
from api.tests.factories import bearer, make_token
from library.models import LibrarySetup
from racing.models import BaselineVersion, RaceDay, RaceDayRound
from racing.tests.factories import make_baseline, make_race_day, make_vehicle, racer_of
from sims.models import SimProfile
from sims.tests.factories import make_profile, make_simulator

pytestmark = pytest.mark.django_db


@dataclass
class World:
    owner_write: str
    owner_read: str
    other_write: str
    vehicle: int
    race_day: int
    racer: int
    claimable: str
    mine: str
    webhook: int


@pytest.fixture
def world(user, other_user, client):
    racer = racer_of(user)
    vehicle = make_vehicle(racer)
    make_baseline(vehicle)
    race_day = make_race_day(racer, make_vehicle(racer))
    simulator = make_simulator()
    claimable = make_profile(simulator, name="Free Driver")
    mine = make_profile(simulator, name="My Driver", linked_user=user)
    racer_of(other_user)
    owner_write = make_token(user, "write")
    response = client.post(
        "/api/v1/webhooks",
        {"url": "http://127.0.0.1:9/hook", "events": ["race_day.closed"]},
        content_type="application/json",
        headers=bearer(owner_write),
    )
    return World(
        owner_write=owner_write,
        owner_read=make_token(user, "read"),
        other_write=make_token(other_user, "write"),
        vehicle=vehicle.pk,
        race_day=race_day.pk,
        racer=racer.pk,
        claimable=str(claimable.pk),
        mine=str(mine.pk),
        webhook=response.json()["id"],
    )


@dataclass(frozen=True)
class Op:
    method: str
    path: str
    body: dict | None = None
    write: bool = False
    public: bool = False
    owned: bool = True  # another user gets 404 (else: an empty list)
    status: int = 200


OPS = [
    Op("get", "/api/v1/racers", owned=False),
    Op("post", "/api/v1/racers/{racer}/default", {}, write=True),
    Op("get", "/api/v1/vehicles", owned=False),
    Op("get", "/api/v1/vehicles/{vehicle}"),
    Op("get", "/api/v1/vehicles/{vehicle}/baseline"),
    Op("get", "/api/v1/vehicles/{vehicle}/baseline/versions"),
    Op(
        "post",
        "/api/v1/vehicles/{vehicle}/baseline/versions",
        {"based_on": 1, "note": "softer", "values": {"df": 5000}},
        write=True,
        status=201,
    ),
    Op("get", "/api/v1/race-days", owned=False),
    Op(
        "post",
        "/api/v1/race-days",
        {"vehicle": "{vehicle}", "track": "Genk", "date": "2026-12-01"},
        write=True,
        status=201,
    ),
    Op("get", "/api/v1/race-days/{race_day}"),
    Op(
        "post",
        "/api/v1/race-days/{race_day}/changes",
        {"parameter": "df", "old_value": "7000", "new_value": "6000", "status": "tried"},
        write=True,
        status=201,
    ),
    Op(
        "post",
        "/api/v1/race-days/{race_day}/rounds",
        {"kind": "main", "result": "P3"},
        write=True,
        status=201,
    ),
    Op("post", "/api/v1/race-days/{race_day}/close", {"note": "dusty"}, write=True),
    Op("get", "/api/v1/track-log", owned=False),
    Op("get", "/api/v1/library", public=True),
    Op("post", "/api/v1/advisor", {"symptoms": ["entry_understeer"], "vehicle": "{vehicle}"}),
    Op("get", "/api/v1/sim-profiles", public=True),
    Op("get", "/api/v1/sim-profiles/iracing/{claimable_identifier}", public=True),
    Op("get", "/api/v1/me/sim-profiles", owned=False),
    Op("post", "/api/v1/me/sim-profiles/{claimable}/link", {}, write=True, owned=False),
    Op("post", "/api/v1/me/sim-profiles/{mine}/unlink", {}, write=True),
    Op("get", "/api/v1/webhooks", owned=False),
    Op(
        "post",
        "/api/v1/webhooks",
        {"url": "https://example.com/hook", "events": ["baseline.saved"]},
        write=True,
        owned=False,
        status=201,
    ),
    Op("delete", "/api/v1/webhooks/{webhook}", None, write=True, status=204),
    Op("get", "/api/v1/webhooks/{webhook}/deliveries"),
]


def _fill(value, world):
    identifier = SimProfile.objects.get(pk=world.claimable).profile_identifier
    names = {**world.__dict__, "claimable_identifier": identifier}
    if isinstance(value, str):
        filled = value.format(**names)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


def _call(client, op, world, token=None):
    path = _fill(op.path, world)
    headers = bearer(token) if token else {}
    if op.body is None:
        return getattr(client, op.method)(path, headers=headers)
    return getattr(client, op.method)(
        path, json.dumps(_fill(op.body, world)), content_type="application/json", headers=headers
    )


def test_every_operation_is_in_this_table():
    schema = api.get_openapi_schema(path_prefix="/api")
    documented = {(method, path) for path, item in schema["paths"].items() for method in item}
    tested = {(op.method, op.path.replace("{racer}", "{racer_id}")) for op in OPS}
    normalise = {
        "{vehicle}": "{vehicle_id}",
        "{race_day}": "{race_day_id}",
        "{claimable}": "{profile_id}",
        "{mine}": "{profile_id}",
        "{webhook}": "{webhook_id}",
        "iracing/{claimable_identifier}": "{simulator}/{identifier}",
    }
    for before, after in normalise.items():
        tested = {(m, p.replace(before, after)) for m, p in tested}
    assert documented == tested


@pytest.mark.parametrize("op", OPS, ids=lambda op: f"{op.method} {op.path}")
def test_owner_succeeds(client, world, op):
    response = _call(client, op, world, world.owner_write)
    assert response.status_code == op.status, response.content
    if op.status != 204:
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("op", OPS, ids=lambda op: f"{op.method} {op.path}")
def test_anonymous_needs_a_token_except_on_public_endpoints(client, world, op):
    response = _call(client, op, world)
    if op.public:
        assert response.status_code == 200
        return
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize("op", [op for op in OPS if op.write], ids=lambda op: f"{op.method} {op.path}")
def test_read_token_cannot_write_and_nothing_changes(client, world, op):
    counts = (BaselineVersion.objects.count(), RaceDay.objects.count(), RaceDayRound.objects.count())
    response = _call(client, op, world, world.owner_read)
    assert response.status_code == 403
    assert "write scope" in response.json()["detail"]
    assert counts == (BaselineVersion.objects.count(), RaceDay.objects.count(), RaceDayRound.objects.count())


@pytest.mark.parametrize("op", [op for op in OPS if not op.public], ids=lambda op: f"{op.method} {op.path}")
def test_other_user_sees_nothing_of_the_owner(client, world, op):
    response = _call(client, op, world, world.other_write)
    if op.owned:
        assert response.status_code == 404, response.content
        assert response["Content-Type"] == "application/problem+json"
    else:
        assert response.status_code in (200, 201), response.content
        if op.method == "get":
            assert response.json()["items"] == [] or op.path.endswith("/racers")
            if op.path.endswith("/racers"):
                assert world.racer not in [r["id"] for r in response.json()["items"]]


def test_session_login_is_not_accepted_on_writes(client, user, world):
    client.force_login(user)
    response = client.post(
        f"/api/v1/race-days/{world.race_day}/rounds", {"kind": "main"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert not RaceDayRound.objects.exists()


def test_a_revoked_or_made_up_token_is_refused(client, world, user):
    user.api_tokens.all().delete()
    assert client.get("/api/v1/racers", headers=bearer(world.owner_write)).status_code == 401
    assert client.get("/api/v1/racers", headers=bearer("apex_made-up")).status_code == 401


def test_stale_baseline_save_is_refused_with_both_versions(client, world):
    response = client.post(
        f"/api/v1/vehicles/{world.vehicle}/baseline/versions",
        {"based_on": 0, "note": "mine", "values": {"df": 5000}},
        content_type="application/json",
        headers=bearer(world.owner_write),
    )
    assert response.status_code == 409
    body = response.json()
    assert body["current"]["number"] == 1 and body["current"]["values"]["df"] == "7000"
    assert body["yours"]["values"]["df"] == "5000" and body["yours"]["based_on"] == 0
    assert "version 1" in body["detail"]
    assert BaselineVersion.objects.filter(vehicle_id=world.vehicle).count() == 1


def test_validation_errors_name_the_field(client, world):
    response = client.post(
        f"/api/v1/race-days/{world.race_day}/changes",
        {"parameter": "df", "old_value": "7000", "new_value": "lots"},
        content_type="application/json",
        headers=bearer(world.owner_write),
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"field": "new_value", "message": "Front diff oil must be a whole number."}
    ]
    missing = client.post(
        "/api/v1/race-days",
        {"track": "Genk"},
        content_type="application/json",
        headers=bearer(world.owner_write),
    )
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"vehicle", "date"}


def test_closed_race_day_takes_no_more_rounds(client, world):
    token = bearer(world.owner_write)
    assert (
        client.post(
            f"/api/v1/race-days/{world.race_day}/close", {}, content_type="application/json", headers=token
        ).status_code
        == 200
    )
    again = client.post(
        f"/api/v1/race-days/{world.race_day}/rounds",
        {"kind": "main"},
        content_type="application/json",
        headers=token,
    )
    assert again.status_code == 409
    assert "closed" in again.json()["detail"]


def test_a_round_is_pushed_with_its_laps_and_read_back(client, world):
    token = bearer(world.owner_write)
    response = client.post(
        f"/api/v1/race-days/{world.race_day}/rounds",
        {"kind": "main", "result": "P2", "laps": [32.451, "32.398", "1:02.004"]},
        content_type="application/json",
        headers=token,
    )
    assert response.status_code == 201, response.content
    assert response.json()["laps"] == ["32.451", "32.398", "62.004"]
    laps = RaceDayRound.objects.get().laps.order_by("lap_no")
    assert [(lap.lap_no, str(lap.time)) for lap in laps] == [(1, "32.451"), (2, "32.398"), (3, "62.004")]
    detail = client.get(f"/api/v1/race-days/{world.race_day}", headers=bearer(world.owner_read)).json()
    assert detail["rounds"][0]["laps"] == ["32.451", "32.398", "62.004"]


def test_a_bad_lap_is_refused_quoted_and_nothing_is_stored(client, world):
    response = client.post(
        f"/api/v1/race-days/{world.race_day}/rounds",
        {"kind": "main", "laps": ["32.4", "1:75.0"]},
        content_type="application/json",
        headers=bearer(world.owner_write),
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "laps" and "1:75.0" in error["message"]
    assert not RaceDayRound.objects.exists()


def test_lists_page_by_cursor_without_count(client, world, user, django_assert_max_num_queries):
    racer = racer_of(user)
    for _ in range(4):
        make_race_day(racer, date=datetime.date(2026, 1, 1))
    token = bearer(world.owner_read)
    seen, cursor = [], None
    while True:
        url = "/api/v1/race-days?limit=2" + (f"&cursor={cursor}" if cursor else "")
        with django_assert_max_num_queries(4) as queries:
            page = client.get(url, headers=token).json()
        assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
        seen += [day["id"] for day in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(RaceDay.objects.order_by("-date", "-id").values_list("pk", flat=True))
    bad = client.get("/api/v1/race-days?cursor=nonsense", headers=token)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


def test_filters_match_the_pages(client, world, user):
    racer = racer_of(user)
    make_race_day(racer, track="Mol")
    token = bearer(world.owner_read)
    open_days = client.get("/api/v1/race-days?status=open", headers=token).json()["items"]
    assert {d["track"] for d in open_days} == {"Genk", "Mol"}
    LibrarySetup.objects.create(track="Genk", brand="Mugen", vehicle="MBX8R")
    LibrarySetup.objects.create(track="Mol", brand="Xray", vehicle="XB8")
    found = client.get("/api/v1/library?q=mugen").json()["items"]
    assert [s["brand"] for s in found] == ["Mugen"]
    assert [s["track"] for s in client.get("/api/v1/library?track=mol").json()["items"]] == ["Mol"]


def test_directory_pages_with_the_directory_keyset(client, world):
    simulator = make_simulator("acc", "ACC")
    for n in range(3):
        make_profile(simulator, name=f"Racer {n}")
    first = client.get("/api/v1/sim-profiles?sim=acc&limit=2").json()
    second = client.get(f"/api/v1/sim-profiles?sim=acc&limit=2&cursor={first['next_cursor']}").json()
    names = [p["name"] for p in first["items"] + second["items"]]
    assert sorted(names) == ["Racer 0", "Racer 1", "Racer 2"] and second["next_cursor"] is None
    assert client.get("/api/v1/sim-profiles?sim=nope").status_code == 422


def test_private_profile_is_not_in_the_public_detail(client, world):
    profile = SimProfile.objects.get(pk=world.claimable)
    profile.is_public = False
    profile.save()
    response = client.get(f"/api/v1/sim-profiles/iracing/{profile.profile_identifier}")
    assert response.status_code == 404


def test_link_taken_by_someone_else_is_409(client, world):
    token = bearer(world.other_write)
    assert (
        client.post(
            f"/api/v1/me/sim-profiles/{world.claimable}/link",
            {},
            content_type="application/json",
            headers=token,
        ).status_code
        == 200
    )
    mine = client.post(
        f"/api/v1/me/sim-profiles/{world.claimable}/link",
        {},
        content_type="application/json",
        headers=bearer(world.owner_write),
    )
    assert mine.status_code == 409 and "another account" in mine.json()["detail"]


def test_advisor_on_a_race_day_and_either_setup_required(client, world):
    token = bearer(world.owner_read)
    on_day = client.post(
        "/api/v1/advisor",
        {"symptoms": ["traction_roll"], "race_day": world.race_day},
        content_type="application/json",
        headers=token,
    )
    assert on_day.status_code == 200 and on_day.json()
    assert all("traction_roll" in s["symptoms"] for s in on_day.json())
    neither = client.post(
        "/api/v1/advisor", {"symptoms": ["traction_roll"]}, content_type="application/json", headers=token
    )
    assert neither.status_code == 422 and neither.json()["errors"][0]["field"] == "race_day"
    unknown = client.post(
        "/api/v1/advisor",
        {"symptoms": ["wobbles"], "race_day": world.race_day},
        content_type="application/json",
        headers=token,
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "symptoms"


def test_linking_and_saving_queue_webhook_events(client, world, user):
    from api.models import WebhookDelivery

    token = bearer(world.owner_write)
    client.post(
        "/api/v1/webhooks",
        {"url": "https://hooks.example.com/apex", "events": ["sim_profile.linked", "baseline.saved"]},
        content_type="application/json",
        headers=token,
    )
    client.post(
        f"/api/v1/me/sim-profiles/{world.claimable}/link", {}, content_type="application/json", headers=token
    )
    client.post(
        f"/api/v1/vehicles/{world.vehicle}/baseline/versions",
        {"based_on": 1, "values": {"df": 6000}},
        content_type="application/json",
        headers=token,
    )
    queued = WebhookDelivery.objects.filter(webhook__url="https://hooks.example.com/apex").order_by("id")
    assert [(d.event, d.status) for d in queued] == [
        ("sim_profile.linked", "pending"),
        ("baseline.saved", "pending"),
    ]
    assert queued[0].payload["data"]["sim_profile"] == world.claimable
    assert queued[1].payload["data"]["number"] == 2
