"""Request ids and one structured log line per request.

Every request gets an id: the caller's ``X-Request-ID`` when it is
well-formed (a proxy or load balancer may have set it), else a new uuid4 hex.
The id is on ``request.request_id``, in the ``X-Request-ID`` response header,
in the request's log line and in any exception logged for it, and on the 500
page, so a user can quote it and we can find the traceback.
"""

import json
import logging
import re
import time
import uuid

from django.core.signals import got_request_exception
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

logger = logging.getLogger("apex.request")

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
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """Sets ``request.request_id`` and logs one JSON line per request to ``apex.request``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request)
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response[REQUEST_ID_HEADER] = request.request_id
        line = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": _user_id(request),
            "request_id": request.request_id,
        }
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        logger.log(level, json.dumps(line), extra={"request_id": request.request_id})
        return response


@receiver(got_request_exception, dispatch_uid="apex.middleware.log_exception")
def log_exception(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """An unhandled exception, with the traceback and the request id.

    Django sends this signal from inside its exception handler, so the
    exception being handled is still current for ``exc_info``.
    """
    request_id = getattr(request, "request_id", None)
    line = {
        "event": "exception",
        "method": getattr(request, "method", None),
        "path": getattr(request, "path", None),
        "request_id": request_id,
    }
    logger.error(json.dumps(line), exc_info=True, extra={"request_id": request_id})
