"""Tokens (page and command), Idempotency-Key, rate limits and webhooks."""

import hashlib
import hmac
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apex.tests.fixtures import all_succeeded, run_together
from api import services
from api.models import ApiToken, WebhookDelivery, hash_token
from api.tests.factories import bearer, make_token
from api.throttling import THROTTLE
from racing.models import IdempotencyKey, RaceDayRound
from racing.tests.factories import make_race_day, racer_of

pytestmark = pytest.mark.django_db


# --- tokens ---------------------------------------------------------------------


def test_tokens_page_needs_login(client):
    response = client.get("/api-tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_created_token_is_shown_once_and_stored_hashed(owner_client, user):
    response = owner_client.post("/api-tokens/", {"name": "timing laptop", "scope": "write"}, follow=True)
    assert response.redirect_chain == [("/api-tokens/", 302)]
    raw = response.context["created"]
    assert raw.startswith("apex_") and raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=user)
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash
    assert token.scope == "write" and token.last_used_at is None
    again = owner_client.get("/api-tokens/")
    assert raw not in again.content.decode() and "timing laptop" in again.content.decode()


def test_token_records_last_use(client, user):
    raw = make_token(user, "read")
    client.get("/api/v1/racers", headers=bearer(raw))
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_revoke_is_the_owners_alone(client, user, other_user):
    token, raw = services.token_create(user=user, name="laptop")
    client.force_login(other_user)
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(user)
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.exists()
    assert client.get("/api/v1/racers", headers=bearer(raw)).status_code == 401


def test_create_api_token_command_prints_the_token_last(user):
    out = StringIO()
    call_command(
        "create_api_token",
        user.username,
        "--name",
        "club results",
        "--scope",
        "write",
        stdout=out,
        stderr=StringIO(),
    )
    raw = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(token_hash=hash_token(raw))
    assert (token.name, token.scope, token.user) == ("club results", "write", user)


def test_create_api_token_command_refuses_unknown_user_without_traceback(db):
    with pytest.raises(CommandError, match="No user 'ghost'"):
        call_command("create_api_token", "ghost")


# --- idempotency ------------------------------------------------------------------


def _round(client, race_day, token, key, result="P1"):
    return client.post(
        f"/api/v1/race-days/{race_day.pk}/rounds",
        {"kind": "main", "result": result},
        content_type="application/json",
        headers={**bearer(token), "Idempotency-Key": key},
    )


def test_same_idempotency_key_replays_the_first_answer(client, user):
    race_day = make_race_day(racer_of(user))
    token = make_token(user)
    first = _round(client, race_day, token, "round-1")
    again = _round(client, race_day, token, "round-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert RaceDayRound.objects.count() == 1
    assert _round(client, race_day, token, "round-2").status_code == 201
    assert RaceDayRound.objects.count() == 2


def test_idempotency_key_reused_for_another_request_is_refused(client, user):
    race_day = make_race_day(racer_of(user))
    token = make_token(user)
    _round(client, race_day, token, "k")
    other = _round(client, race_day, token, "k", result="P9")
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert RaceDayRound.objects.count() == 1


def test_idempotency_keys_are_per_account(client, user, other_user):
    race_day = make_race_day(racer_of(user))
    _round(client, race_day, make_token(user), "shared")
    # Another account's same key runs its own request (a 404 here: not their race day).
    assert _round(client, race_day, make_token(other_user), "shared").status_code == 404


def test_api_keys_are_stored_in_the_key_table_with_the_forms_keys(client, user):
    race_day = make_race_day(racer_of(user))
    token = make_token(user)
    key = str(uuid.uuid4())
    assert _round(client, race_day, token, key).status_code == 201
    assert IdempotencyKey.objects.filter(user=user, key=uuid.UUID(key)).count() == 1
    # A key the API has used is used: a form posting it gets no second round.
    client.force_login(user)
    form = client.post(
        reverse("raceday_round_add", args=[race_day.pk]),
        {"kind": "main", "result": "P1", "idempotency_key": key},
    )
    assert form.status_code == 422
    assert RaceDayRound.objects.count() == 1


def test_a_refused_request_keeps_no_key_so_the_corrected_one_runs(client, user):
    race_day = make_race_day(racer_of(user))
    token = make_token(user)
    bad = client.post(
        f"/api/v1/race-days/{race_day.pk}/rounds",
        {"kind": "main", "laps": ["abc"]},
        content_type="application/json",
        headers={**bearer(token), "Idempotency-Key": "fix-me"},
    )
    assert bad.status_code == 422 and not IdempotencyKey.objects.exists()
    assert _round(client, race_day, token, "fix-me").status_code == 201


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_copies_at_once_through_the_api_store_one_round(user):
    race_day = make_race_day(racer_of(user))
    token = make_token(user)

    def send():
        response = _round(Client(), race_day, token, "same-round")
        return response.status_code, response.json()["id"]

    answers = all_succeeded(run_together(send, send))
    assert [status for status, _ in answers] == [201, 201] and answers[0][1] == answers[1][1]
    assert RaceDayRound.objects.count() == 1 and IdempotencyKey.objects.count() == 1


# --- rate limits --------------------------------------------------------------------


def test_too_many_requests_get_429_with_retry_after(client, user, monkeypatch):
    monkeypatch.setattr(THROTTLE, "num_requests", 2)
    token = make_token(user, "read")
    other = make_token(user, "read", name="second")
    assert [client.get("/api/v1/racers", headers=bearer(token)).status_code for _ in range(2)] == [200, 200]
    limited = client.get("/api/v1/racers", headers=bearer(token))
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert limited["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/racers", headers=bearer(other)).status_code == 200  # per token


# --- webhooks -------------------------------------------------------------------------


class _Receiver(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).answers.pop(0) if type(self).answers else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_PRIVATE_ADDRESSES = True  # the receiver listens on 127.0.0.1
    _Receiver.answers, _Receiver.received = [], []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, _Receiver
    server.shutdown()
    server.server_close()


def _register(client, token, port, events):
    response = client.post(
        "/api/v1/webhooks",
        {"url": f"http://127.0.0.1:{port}/hook", "events": events},
        content_type="application/json",
        headers=bearer(token),
    )
    assert response.status_code == 201
    return response.json()


def test_race_day_closed_is_delivered_signed(client, user, receiver):
    server, handler = receiver
    token = make_token(user)
    hook = _register(client, token, server.server_port, ["race_day.closed"])
    race_day = make_race_day(racer_of(user))
    closed = client.post(
        f"/api/v1/race-days/{race_day.pk}/close", {}, content_type="application/json", headers=bearer(token)
    )
    assert closed.status_code == 200
    assert len(handler.received) == 0  # nothing is sent inside the request
    out = StringIO()
    call_command("deliver_webhooks", "--once", stdout=out)
    assert "delivered" in out.getvalue()
    headers, body = handler.received[0]
    expected = "sha256=" + hmac.new(hook["secret"].encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Apex-Signature"] == expected
    assert headers["X-Apex-Event"] == "race_day.closed"
    assert json.loads(body)["data"]["race_day"] == race_day.pk
    listed = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=bearer(token)).json()["items"]
    assert [(d["status"], d["attempts"], d["response_status"]) for d in listed] == [("delivered", 1, 200)]


def test_failed_delivery_is_retried_with_backoff_then_given_up(user, receiver, client):
    server, handler = receiver
    token = make_token(user)
    _register(client, token, server.server_port, ["baseline.saved"])
    handler.answers = [500] * services.MAX_ATTEMPTS
    from racing.tests.factories import make_baseline, make_vehicle

    make_baseline(make_vehicle(racer_of(user)))
    delivery = WebhookDelivery.objects.get()
    now = timezone.now()
    services.deliveries_send_due(now=now)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    assert delivery.next_attempt_at == now + services.retry_delay(1)
    assert services.deliveries_send_due(now=now) == []  # not due yet
    for attempt in range(2, services.MAX_ATTEMPTS + 1):
        now = delivery.next_attempt_at
        services.deliveries_send_due(now=now)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        if attempt < services.MAX_ATTEMPTS:
            assert delivery.next_attempt_at - now == services.retry_delay(attempt)
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    assert len(handler.received) == services.MAX_ATTEMPTS


def test_private_addresses_are_not_posted_to(user, settings):
    settings.WEBHOOK_PRIVATE_ADDRESSES = False
    for url in ("http://127.0.0.1:9/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/x"):
        hook = services.webhook_create(user=user, url=url, events=["baseline.saved"])
        delivery = WebhookDelivery.objects.create(
            webhook=hook, event="baseline.saved", payload={}, next_attempt_at=timezone.now()
        )
        services.delivery_attempt(delivery=delivery)
        delivery.refresh_from_db()
        assert delivery.status == "failed" and "private address" in delivery.last_error


def test_unreachable_receiver_is_a_retry_with_its_reason(user, settings):
    settings.WEBHOOK_PRIVATE_ADDRESSES = True
    hook = services.webhook_create(user=user, url="http://127.0.0.1:9/closed-port", events=["baseline.saved"])
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="baseline.saved", payload={}, next_attempt_at=timezone.now()
    )
    services.deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_error


def test_webhook_needs_an_http_url_and_known_events(client, user):
    token = bearer(make_token(user))
    bad_url = client.post(
        "/api/v1/webhooks",
        {"url": "ftp://x", "events": ["baseline.saved"]},
        content_type="application/json",
        headers=token,
    )
    assert bad_url.status_code == 422 and bad_url.json()["errors"][0]["field"] == "url"
    bad_event = client.post(
        "/api/v1/webhooks",
        {"url": "https://x.example", "events": ["nope"]},
        content_type="application/json",
        headers=token,
    )
    assert bad_event.status_code == 422 and bad_event.json()["errors"][0]["field"].startswith("events")
