"""``Idempotency-Key`` on writes: the same key from the same account replays the first answer.

A timing laptop on a poor connection resends a round it never heard back
about; with the same key it gets the first answer again and nothing is
recorded twice. ``replay_or_run`` is the one place that stores and finds
keys: the rest of the API only calls it (through ``idempotent``).
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from api.auth import bearer_token
from api.problems import problem_response

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
KEEP_SECONDS = 24 * 60 * 60
IN_PROGRESS_SECONDS = 60

Run = Callable[[], HttpResponseBase]


def replay_or_run(*, user_id: int, key: str, fingerprint: str, run: Run) -> HttpResponseBase:
    """The stored answer for ``(user_id, key)``, or ``run()``'s answer, stored for next time.

    - the same key with another request (method, path or body differ): 422,
      nothing runs;
    - the same key while the first request is still running: 409, retry later;
    - answers of 5xx and 429 are not kept, so a retry runs again.

    Keys live in Django's cache for 24 hours.
    """
    slot = f"api-idempotency:{user_id}:{hashlib.sha256(key.encode()).hexdigest()}"
    stored = cache.get(slot)
    if stored is None:
        if not cache.add(f"{slot}:running", 1, IN_PROGRESS_SECONDS):
            return problem_response(
                409, "A request with this Idempotency-Key is still running; retry shortly."
            )
        try:
            response = run()
            if (
                response.status_code < 500
                and response.status_code != 429
                and isinstance(response, HttpResponse)
            ):
                stored = {
                    "fingerprint": fingerprint,
                    "status": response.status_code,
                    "content": response.content,
                    "content_type": response["Content-Type"],
                }
                cache.set(slot, stored, KEEP_SECONDS)
            return response
        finally:
            cache.delete(f"{slot}:running")
    if stored["fingerprint"] != fingerprint:
        return problem_response(
            422,
            f"This {HEADER} was used for a different request; use a new key for a new request.",
            errors=[{"field": HEADER, "message": "Already used for a different request."}],
        )
    replayed = HttpResponse(stored["content"], status=stored["status"], content_type=stored["content_type"])
    replayed["Idempotent-Replayed"] = "true"
    return replayed


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
