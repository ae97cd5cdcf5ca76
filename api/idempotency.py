"""``Idempotency-Key`` on writes: the same key from the same account replays the first answer.

A timing laptop on a poor connection resends a round it never heard back
about; with the same key it gets the first answer again and nothing is
recorded twice. ``replay_or_run`` is the one place that stores and finds
keys (in the same table as the race day's forms and offline queue): the
rest of the API only calls it (through ``idempotent``).
"""

import hashlib
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from api.auth import bearer_token
from api.problems import problem_response
from racing.idempotency import run_once
from racing.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Keys that are not UUIDs are stored as name-based UUIDs in this namespace.
KEY_NAMESPACE = uuid.UUID("6f1d3c52-9a0e-4c5b-8e3f-2b7a1d4c9e60")

Run = Callable[[], HttpResponseBase]


def _as_uuid(key: str) -> uuid.UUID:
    """The key as the key table stores it: a UUID as itself, any other text as its name-based UUID."""
    try:
        return uuid.UUID(key)
    except ValueError:
        return uuid.uuid5(KEY_NAMESPACE, key)


def replay_or_run(*, user_id: int, key: str, fingerprint: str, run: Run) -> HttpResponseBase:
    """The stored answer for ``(user_id, key)``, or ``run()``'s answer, stored for next time.

    Keys are the race day's and the track log's (``racing.IdempotencyKey``,
    unique per user in the database), so a key is used once whether it
    came from a form, the offline queue or the API. The key is claimed, the
    operation run and its answer stored in one transaction: a copy arriving
    meanwhile waits on the key's row, then gets the stored answer.

    - the same key with another request (method, path or body differ): 422,
      nothing runs;
    - answers of 400 and over are not kept, so a corrected request can be
      sent again with its key.
    """
    path = f"api {fingerprint}"

    def replay(record: IdempotencyKey) -> HttpResponseBase:
        if record.path != path:
            return problem_response(
                422,
                f"This {HEADER} was used for a different request; use a new key for a new request.",
                errors=[{"field": HEADER, "message": "Already used for a different request."}],
            )
        replayed = HttpResponse(
            record.body,
            status=record.status_code,
            content_type=record.headers.get("Content-Type", "application/json"),
        )
        replayed["Idempotent-Replayed"] = "true"
        return replayed

    return run_once(user_id=user_id, key=_as_uuid(key), path=path, run=run, replay=replay)


def idempotent(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Apply to a write operation with ``ninja.decorators.decorate_view``."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if key is None:
            return view(request, *args, **kwargs)
        if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            return problem_response(
                422,
                f"{HEADER}: give 1 to {MAX_KEY_LENGTH} printable characters.",
                errors=[{"field": HEADER, "message": f"1 to {MAX_KEY_LENGTH} printable characters."}],
            )
        token = bearer_token(request)
        if token is None:  # the operation answers 401 itself
            return view(request, *args, **kwargs)
        fingerprint = hashlib.sha256(
            b"\n".join([cast(str, request.method).encode(), request.get_full_path().encode(), request.body])
        ).hexdigest()
        return replay_or_run(
            user_id=token.user_id,
            key=key,
            fingerprint=fingerprint,
            run=lambda: view(request, *args, **kwargs),
        )

    return wrapped
