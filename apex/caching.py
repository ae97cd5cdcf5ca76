"""A short-lived cache of public pages for visitors without cookies.

A visitor with no cookies has no session, no messages and no CSRF token, so
the page they get depends on the URL (and the htmx headers) alone: it can be
served from the cache. Anyone with a cookie (logged in, or holding a CSRF
token from a form) always gets a freshly rendered page.

Any save or delete of what these pages show bumps a generation number kept
in the cache, which retires every cached page at once. With a shared cache
(``CACHE_URL``) that reaches every app process at once; with the default
per-process cache, other processes may serve a page up to
``PUBLIC_PAGE_CACHE_SECONDS`` old.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

HEADER = "X-Apex-Cache"
GENERATION_KEY = "apex:public-page-generation"


def invalidate_public_pages(**kwargs) -> None:
    """Retire every cached public page (also a signal receiver)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(GENERATION_KEY, 1, None)


def invalidate_on_commit() -> None:
    """For writes made with update() or bulk_create(), which send no signals."""
    transaction.on_commit(invalidate_public_pages)


def invalidate_on_change(*models) -> None:
    """Retire cached public pages whenever one of these models is saved or deleted."""
    for model in models:
        post_save.connect(
            invalidate_public_pages, sender=model, dispatch_uid=f"public-pages-save-{model._meta.label}"
        )
        post_delete.connect(
            invalidate_public_pages, sender=model, dispatch_uid=f"public-pages-delete-{model._meta.label}"
        )


def _key(request) -> str:
    htmx = getattr(request, "htmx", None)
    variant = "page"
    if htmx:
        variant = "history" if htmx.history_restore_request else f"htmx:{htmx.target or ''}"
    generation = cache.get(GENERATION_KEY, 0)
    raw = f"{generation}|{variant}|{request.get_full_path()}".encode("utf-8", "surrogateescape")
    return "apex:public-page:" + hashlib.sha256(raw).hexdigest()


def cache_public_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        timeout = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0)
        if timeout <= 0 or request.method not in ("GET", "HEAD") or request.COOKIES:
            return view(request, *args, **kwargs)
        key = _key(request)
        response = cache.get(key)
        if response is not None:
            response[HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, response, timeout)
            response[HEADER] = "miss"
        return response

    return wrapped
