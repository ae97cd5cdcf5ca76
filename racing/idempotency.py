"""Exactly-once writes: a request carries a key, and a repeat of the key answers as the first time.

Forms carry a hidden ``idempotency_key`` made when the page was rendered
(``{% idempotency_key_field %}``); other clients send an ``Idempotency-Key``
header. ``@idempotent`` goes under ``@login_required`` on a view that writes.
The key is claimed, the view run and its answer stored in one transaction:
a second request with the key waits on the unique (user, key) row and then
gets the stored answer. An answer of 400 or more is not stored, so a
request refused for bad input can be corrected and sent again with its key.
"""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.response import HttpResponseBase

from apex.http import AuthenticatedHttpRequest, View
from racing.models import IdempotencyKey

FIELD = "idempotency_key"
HEADER = "Idempotency-Key"
# What a replay needs to answer the same way: where it sent the user, and how to read the body.
KEPT_HEADERS = ("Location", "Content-Type", "HX-Redirect", "HX-Refresh", "HX-Trigger", "HX-Location")


def new_key() -> str:
    return str(uuid.uuid4())


def wants_json(request: AuthenticatedHttpRequest) -> bool:
    """A client (the offline queue, an API caller) that reads JSON answers, not pages."""
    return request.headers.get("Accept", "").startswith("application/json")


def _stored(record: IdempotencyKey, response: HttpResponse) -> None:
    record.status_code = response.status_code
    record.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    record.body = response.content.decode(response.charset or "utf-8", errors="replace")
    record.save(update_fields=["status_code", "headers", "body"])


def _replay(request: AuthenticatedHttpRequest, record: IdempotencyKey) -> HttpResponse:
    if record.path != request.path:
        message = "This idempotency key was already used for another request: send a new key."
        if wants_json(request):
            return JsonResponse({"error": message}, status=422)
        return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
    response = HttpResponse(record.body, status=record.status_code)
    for name, value in record.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    if 300 <= record.status_code < 400 and not request.htmx and not wants_json(request):
        messages.info(request, "Already saved: that was sent before, so nothing was added twice.")
    return response


def idempotent(view: View) -> View:
    """Run a POST once per (user, key); a request without a key runs as usual."""

    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        raw = request.headers.get(HEADER) or request.POST.get(FIELD, "")
        if not raw:
            return view(request, *args, **kwargs)
        try:
            key = uuid.UUID(raw.strip())
        except ValueError:
            return HttpResponseBadRequest(
                "The idempotency key must be a UUID.", content_type="text/plain; charset=utf-8"
            )
        return run_once(
            user_id=request.user.pk,
            key=key,
            path=request.path,
            run=lambda: view(request, *args, **kwargs),
            replay=lambda record: _replay(request, record),
        )

    return cast(View, wrapped)


def run_once(
    *,
    user_id: int,
    key: uuid.UUID,
    path: str,
    run: Callable[[], HttpResponseBase],
    replay: Callable[[IdempotencyKey], HttpResponseBase],
) -> HttpResponseBase:
    """Claim (user, key), run the write and keep its answer, in one transaction; a repeat gets ``replay``.

    A copy arriving meanwhile waits on the key's row, then is replayed. An
    answer of 400 or more (or a streamed one) is not kept, so a corrected
    request can be sent again with its key. Shared by the pages and the API.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user_id=user_id, key=key, path=path, status_code=0)
        except IntegrityError:  # used before, or by a copy of this request that got there first
            return replay(IdempotencyKey.objects.get(user_id=user_id, key=key))
        response = run()
        if response.status_code >= 400 or not isinstance(response, HttpResponse):
            record.delete()
        else:
            _stored(record, response)
        return response
