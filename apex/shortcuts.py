"""Rendering helpers shared by every app."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str,
    status: int = 200,
) -> HttpResponse:
    """One view per page: htmx asks for ``template#partial``, others get the page.

    The answer differs by the HX-Request header, so caches are told so. An
    htmx history restore (the back button after the cache missed) needs the
    whole page, so it gets one.
    """
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    wants_fragment = htmx is not None and bool(htmx) and not htmx.history_restore_request
    name = f"{template}#{partial}" if wants_fragment else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def safe_next(request: HttpRequest, default: str = "/") -> str:
    """The ``next`` parameter when it points inside this site, else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path: redirect() would take anything else for a URL name and
    # fail to reverse it ("next=abc" was a server error).
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def safe_referer(request: HttpRequest) -> str | None:
    """The page the user came from when it is on this site (for a "Back" link), else None."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return None


def redirect_whole_page(request: HttpRequest, url: str) -> HttpResponse:
    """Send the browser to ``url`` as a new page: HX-Redirect for htmx (not a fragment swap), 302 otherwise."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def redirect_next(request: HttpRequest, default: str = "/") -> HttpResponse:
    return redirect(safe_next(request, default))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for audit records.

    REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a
    trusted proxy rewrites it.
    """
    return request.META.get("REMOTE_ADDR") or None
