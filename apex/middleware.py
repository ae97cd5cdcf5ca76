"""Request ids and one structured log line per request.

Every request gets an id: the caller's ``X-Request-ID`` when it is
well-formed (a proxy or load balancer may have set it), else a new uuid4 hex.
The id is on ``request.request_id``, in the ``X-Request-ID`` response header,
on every record logged while the request is handled (a context variable
that apex/logs.py merges in) and so on the one ``django.request`` record with
the traceback of an unhandled exception, and on the 500 page, so a user can
quote it and we can find the traceback.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.functional import SimpleLazyObject, empty

from apex.http import HtmxHttpRequest

logger = structlog.stdlib.get_logger("apex.request")

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and . _ - only, so a caller cannot forge log lines or headers.
_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def request_id_for(request: HttpRequest) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if _WELL_FORMED_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    """The logged-in user's id, if the request already looked the user up.

    A request that never touched ``request.user`` (healthz, a static file)
    is not made to read the session and user from the database just for the
    log line.
    """
    user = getattr(request, "user", None)
    # SimpleLazyObject has no public way to ask whether it was evaluated.
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):  # type: ignore[attr-defined]
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """Sets ``request.request_id`` and logs one JSON line per request to ``apex.request``.

    Written here rather than taken from django-structlog, whose middleware logs
    two lines per request, trusts any incoming X-Request-ID and loads the user
    (a session and a user query) for requests that never needed one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request)
        # Bound until the response is closed (forget_request_id), not just
        # while this runs: Django logs a 4xx to django.request after the
        # middleware has returned, and that record needs the id too.
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request.request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response[REQUEST_ID_HEADER] = request.request_id
        logger.log(
            logging.ERROR if response.status_code >= 500 else logging.INFO,
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=duration_ms,
            user_id=_user_id(request),
        )
        return response


@receiver(request_finished, dispatch_uid="apex.middleware.forget_request_id")
def forget_request_id(sender: object, **kwargs: Any) -> None:
    """The request is over: what this thread logs next is not part of it."""
    structlog.contextvars.clear_contextvars()


class RequestSizeLimitMiddleware:
    """Refuses a body larger than the path allows (413) before anything reads it.

    Every path allows ``REQUEST_MAX_BYTES``; upload pages (``UPLOAD_PATHS``)
    allow ``UPLOAD_MAX_BYTES``. The declared ``Content-Length`` is what counts:
    without one Django reads no body at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.upload_paths = [re.compile(pattern) for pattern in settings.UPLOAD_PATHS]

    def limit_for(self, path: str) -> int:
        if any(pattern.match(path) for pattern in self.upload_paths):
            return int(settings.UPLOAD_MAX_BYTES)
        return int(settings.REQUEST_MAX_BYTES)

    def __call__(self, request: HtmxHttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads no body for a malformed length either
        limit = self.limit_for(request.path_info)
        if declared > limit:
            body = loader.render_to_string(
                "413.html", {"limit_mb": max(1, limit // (1024 * 1024)), "request_id": request.request_id}
            )
            return HttpResponse(body, status=413)
        return self.get_response(request)
