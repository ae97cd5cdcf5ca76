"""Every API error as ``application/problem+json`` (RFC 9457): type, title, status, a clear detail.

Validation errors add ``errors``, one per field, each naming the field.
"""

import json
import logging
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

PROBLEM_CONTENT_TYPE = "application/problem+json"

logger = logging.getLogger(__name__)


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class ApiProblem(Exception):
    """Raised by an endpoint to answer with a problem; ``extra`` adds members (e.g. both baseline versions)."""

    def __init__(self, status: int, detail: str, *, errors: list[dict[str, str]] | None = None, **extra: Any):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.extra = status, detail, errors, extra


def field_problem(errors: Mapping[str, Iterable[object]], *, prefix: str = "") -> ApiProblem:
    """A 422 from a Django form's errors (``form.errors``): one entry per field, named as the API names it."""
    listed = [
        {
            "field": f"{prefix}{name}" if name != "__all__" else prefix.rstrip(".") or "body",
            "message": str(message),
        }
        for name, messages in errors.items()
        for message in messages
    ]
    detail = "; ".join(f"{item['field']}: {item['message']}" for item in listed)
    return ApiProblem(422, detail or "The request is not valid.", errors=listed)


def problem_response(
    status: int, detail: str, *, errors: list[dict[str, str]] | None = None, **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return HttpResponse(json.dumps(body, default=str), status=status, content_type=PROBLEM_CONTENT_TYPE)


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja puts where the value came from first ("body", "query", "path"); the
    # payload's own schema name comes next for bodies.
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
        if loc[0] == "body" and len(parts) > 1 and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
    errors = [
        {"field": _field_name(error.get("loc", ())), "message": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    detail = "; ".join(f"{error['field']}: {error['message']}" for error in errors)
    return problem_response(422, detail or "The request is not valid.", errors=errors)


def _http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        response = problem_response(
            401, "Send a valid API token: Authorization: Bearer <token> (create one on the API tokens page)."
        )
        response["WWW-Authenticate"] = 'Bearer realm="apex"'
        return response
    if isinstance(exc, Throttled):
        wait = f" Try again in {int(exc.wait) + 1} s." if exc.wait is not None else ""
        return problem_response(429, f"Too many requests for this token.{wait}")
    if exc.status_code == 400 and str(exc) == "Cannot parse request body":
        return problem_response(400, "The body is not valid JSON.")
    return problem_response(exc.status_code, str(exc))


def _api_problem(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem_response(exc.status, exc.detail, errors=exc.errors, **exc.extra)


def _not_found(request: HttpRequest, exc: Any) -> HttpResponse:
    detail = str(exc) if isinstance(exc, Http404) and str(exc) else "Not found."
    return problem_response(404, detail)


def _server_error(request: HttpRequest, exc: Any) -> HttpResponse:
    logger.exception("API error", exc_info=exc)
    request_id = getattr(request, "request_id", "")
    return problem_response(
        500, f"Something went wrong on our side. Quote request id {request_id} when reporting it."
    )


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(ApiProblem, _api_problem)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(Exception, _server_error)
