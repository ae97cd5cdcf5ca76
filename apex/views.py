import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from apex.dashboard import dashboard_for
from apex.http import HtmxHttpRequest, is_authenticated
from apex.shortcuts import safe_referer

logger = logging.getLogger(__name__)


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    """Visitors see what Apex does; a logged-in racer sees their dashboard."""
    context = {}
    if is_authenticated(request):
        context["dashboard"] = dashboard_for(racer=request.racer, user=request.user)
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the container healthcheck and load balancer.

    Open to anyone, touches neither the session nor the user, and asks the
    database one trivial question.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to reach the database means "unhealthy"
        logger.exception("healthz: database check failed")
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page, saying why when the refusal gives a reason.

    Views refuse with ``PermissionDenied("Only the person who ...")``; the
    page shows that sentence and a way back to where the user came from.
    """
    context = {"exception": str(exception), "back_url": safe_referer(request)}
    return render(request, "403.html", context, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, showing the request id a user can quote.

    Rendered without the request so no context processor runs: the database
    may be what failed. If even the template fails, a plain page still
    carries the id.
    """
    request_id = getattr(request, "request_id", "")
    body: str
    try:
        body = loader.render_to_string("500.html", {"request_id": request_id})
    except Exception:
        logger.exception("500 page failed to render")
        body = (
            "<!DOCTYPE html><title>Server error</title><h1>Something went wrong</h1>"
            f"<p>Reference: <code>{escape(request_id)}</code></p>"
        )
    return HttpResponseServerError(body)
