import logging
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
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


# One database check at a time per process, off the request thread: a
# database that accepts connections and never answers holds that thread
# (until the connect or statement timeout), not the health check.
_health_checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")
_health_lock = threading.Lock()
_health_check: "Future[None] | None" = None


def _ask_the_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # this thread's own connection; the next check opens a fresh one


def _database_check() -> "Future[None]":
    """The check in flight, or a new one: a hung check is waited on, never piled up."""
    global _health_check
    with _health_lock:
        if _health_check is None or _health_check.done():
            _health_check = _health_checker.submit(_ask_the_database)
        return _health_check


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the container healthcheck and load balancer.

    Open to anyone, touches neither the session nor the user, and asks the
    database one trivial question, giving up after HEALTHZ_DATABASE_TIMEOUT.
    """
    try:
        _database_check().result(timeout=settings.HEALTHZ_DATABASE_TIMEOUT)
    except FutureTimeout:
        logger.error("healthz: the database did not answer in %ss", settings.HEALTHZ_DATABASE_TIMEOUT)
        return JsonResponse({"status": "error", "database": "timeout"}, status=503)
    except Exception:  # any failure to reach the database means "unhealthy"
        logger.exception("healthz: database check failed")
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def web_manifest(request: HttpRequest) -> JsonResponse:
    """What a phone needs to install Apex on its home screen (icons by their static, hashed URLs)."""
    icons = [
        ("img/icon-192.png", "192x192", "any"),
        ("img/icon-512.png", "512x512", "any"),
        ("img/icon-maskable-512.png", "512x512", "maskable"),
    ]
    manifest = {
        "name": "Apex",
        "short_name": "Apex",
        "description": "Setups, race days and sim profiles for racers.",
        "start_url": "/race-days/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f9",
        "theme_color": "#14181d",
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in icons
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js, served at the root so it may look after every page (its scope is "/").

    Never cached by the browser: a new version of the file reaches phones on their next visit.
    """
    found = finders.find("js/sw.js")
    if not isinstance(found, str):
        raise Http404("No service worker.")
    response = HttpResponse(Path(found).read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page, saying why when the refusal gives a reason.

    Views refuse with ``PermissionDenied("Only the person who ...")``; the
    page shows that sentence and a way back to where the user came from.
    """
    context = {"exception": str(exception), "back_url": safe_referer(request)}
    return render(request, "403.html", context, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or 503 when the database is what failed, showing the request id.

    Rendered without the request so no context processor runs: the database
    may be what failed. If even the template fails, a plain page still
    carries the id.
    """
    request_id = getattr(request, "request_id", "")
    # Django calls this inside its except block: the error is still at hand.
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    body: str
    try:
        body = loader.render_to_string("503.html" if unavailable else "500.html", {"request_id": request_id})
    except Exception:
        logger.exception("error page failed to render")
        body = (
            "<!DOCTYPE html><title>Server error</title><h1>Something went wrong</h1>"
            f"<p>Reference: <code>{escape(request_id)}</code></p>"
        )
    if unavailable:
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(body)
