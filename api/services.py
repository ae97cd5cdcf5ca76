"""Writes for the API's own rows: tokens, webhooks and their deliveries.

Every function is keyword-only; the ones that write several rows run under
``transaction.atomic``.
"""

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.models import TOKEN_PREFIX, ApiToken, Webhook, WebhookDelivery, WebhookEvent, hash_token
from profiles.models import User

# Seconds before attempt 2, 3, …: doubling, so a receiver that is down for
# the night is tried about a dozen times, not a thousand.
RETRY_BASE_SECONDS = 30
MAX_ATTEMPTS = 8
DELIVERY_TIMEOUT_SECONDS = 10
# A delivery being sent is claimed for this long, so two workers never send it twice.
CLAIM_SECONDS = 60
LAST_USED_PRECISION = dt.timedelta(minutes=1)
SIGNATURE_HEADER = "X-Apex-Signature"


def token_create(*, user: User, name: str, scope: str = ApiToken.Scope.READ) -> tuple[ApiToken, str]:
    """A new token and its secret text, which is shown once and stored only as a hash."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, scope=scope, token_hash=hash_token(raw), prefix=raw[: len(TOKEN_PREFIX) + 6]
    )
    return token, raw


def token_revoke(*, user: User, token_id: int) -> bool:
    """Delete the user's token; False when there was none (already revoked, or not theirs)."""
    deleted, _ = ApiToken.objects.owned_by(user).filter(pk=token_id).delete()
    return bool(deleted)


def token_authenticate(raw: str) -> ApiToken | None:
    """The token with this secret text (with its user), or None.

    ``last_used_at`` is written at most once a minute per token: a busy
    script should not turn every read into a write.
    """
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# --- webhooks -----------------------------------------------------------------


def webhook_create(*, user: User, url: str, events: Iterable[str]) -> Webhook:
    return Webhook.objects.create(
        user=user, url=url, events=sorted(set(events)), secret=secrets.token_hex(32)
    )


def webhooks_enqueue(*, user_id: int, event: WebhookEvent, data: dict[str, Any]) -> int:
    """One pending delivery per webhook of the user that wants ``event``; how many were queued.

    Called inside the transaction that made the event, so a rolled-back
    change announces nothing.
    """
    now = timezone.now()
    hooks = [hook for hook in Webhook.objects.filter(user_id=user_id) if event.value in hook.events]
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            webhook=hook,
            event=event.value,
            payload={"event": event.value, "created_at": now.isoformat(), "data": data},
            next_attempt_at=now,
        )
        for hook in hooks
    )
    return len(hooks)


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> dt.timedelta:
    """How long after the ``attempts``-th failed attempt the next one is due."""
    return dt.timedelta(seconds=RETRY_BASE_SECONDS * 2 ** (attempts - 1))


class AddressNotAllowed(Exception):
    """The webhook's host is on a private network: Apex would be posting inside its own walls."""


def _check_address(url: str) -> None:
    """Refuse hosts that resolve to a non-public address unless ``WEBHOOK_PRIVATE_ADDRESSES`` is on.

    Any user can register a URL, so without this a webhook could make the
    server post to a database, a metadata service or an admin page on its
    own network.
    """
    if settings.WEBHOOK_PRIVATE_ADDRESSES:
        return
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as failure:
        raise OSError(f"cannot resolve {host}: {failure}") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise AddressNotAllowed(f"{host} is a private address ({address}); not delivered")


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    _check_address(url)
    # http(s) only: the API refuses any other scheme when the webhook is registered.
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=DELIVERY_TIMEOUT_SECONDS) as response:  # noqa: S310
        return int(response.status)


def delivery_attempt(*, delivery: WebhookDelivery, now: dt.datetime | None = None) -> WebhookDelivery:
    """Send one delivery once: delivered on a 2xx answer, else retried later or, after the last attempt, failed."""
    now = now or timezone.now()
    body = json.dumps({**delivery.payload, "delivery": delivery.pk}, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Apex-Webhooks/1",
        "X-Apex-Event": delivery.event,
        "X-Apex-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(delivery.webhook.secret, body),
    }
    status: int | None = None
    error = ""
    try:
        status = _post(delivery.webhook.url, body, headers)
    except urllib.error.HTTPError as answer:
        status, error = answer.code, f"HTTP {answer.code}"
    except AddressNotAllowed as refused:
        error = str(refused)[:300]
        delivery.attempts = MAX_ATTEMPTS - 1  # no retry can change the address
    except (urllib.error.URLError, OSError, ValueError) as failure:
        error = str(getattr(failure, "reason", failure))[:300] or failure.__class__.__name__
    delivery.attempts += 1
    delivery.response_status = status
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.next_attempt_at, delivery.delivered_at = (
            WebhookDelivery.Status.DELIVERED,
            None,
            timezone.now(),
        )
        delivery.last_error = ""
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at, delivery.last_error = (
            WebhookDelivery.Status.FAILED,
            None,
            error,
        )
    else:
        delivery.next_attempt_at, delivery.last_error = now + retry_delay(delivery.attempts), error
    delivery.save(
        update_fields=[
            "attempts",
            "response_status",
            "status",
            "next_attempt_at",
            "delivered_at",
            "last_error",
        ]
    )
    return delivery


def deliveries_send_due(*, now: dt.datetime | None = None, limit: int = 100) -> list[WebhookDelivery]:
    """Send every delivery that is due (up to ``limit``); each is claimed first, so workers never overlap."""
    now = now or timezone.now()
    sent = []
    for delivery in (
        WebhookDelivery.objects.due(now).select_related("webhook").order_by("next_attempt_at", "id")[:limit]
    ):
        claimed = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=WebhookDelivery.Status.PENDING, next_attempt_at=delivery.next_attempt_at
        ).update(next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))
        if claimed:
            sent.append(delivery_attempt(delivery=delivery, now=now))
    return sent


def webhook_delete(*, user: User, webhook_id: int) -> bool:
    with transaction.atomic():
        deleted, _ = Webhook.objects.owned_by(user).filter(pk=webhook_id).delete()
    return bool(deleted)
