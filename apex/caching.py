"""A short-lived cache of public pages for visitors without cookies.

A visitor with no cookies has no session, no messages and no CSRF token, so
the page they get depends on the URL (and the htmx headers) alone: it can be
served from the cache. Anyone with a cookie (logged in, or holding a CSRF
token from a form) always gets a freshly rendered page.

Public pages come in namespaces (the driver directory, the setup library),
each with a generation number kept in the cache. A write that changes what a
namespace's pages show bumps that namespace's generation, which retires its
cached pages (and anything else cached under the generation, such as the
library's filter choices) at once; a write nobody sees on those pages (a
``last_login`` stamped at log-in) retires nothing. With a shared cache
(``CACHE_URL``) a bump reaches every app process at once; with the default
per-process cache, other processes may serve a page up to
``PUBLIC_PAGE_CACHE_SECONDS`` old.
"""

import hashlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from apex.http import View

HEADER = "X-Apex-Cache"

# What public pages show, each namespace retired on its own.
DIRECTORY = "directory"  # the sim-profile directory, profiles and events
LIBRARY = "library"  # the community setup library
NAMESPACES = (DIRECTORY, LIBRARY)

T = TypeVar("T")


def _generation_key(namespace: str) -> str:
    if namespace not in NAMESPACES:
        raise ValueError(f"Unknown public-page namespace {namespace!r}.")
    return f"apex:public-page-generation:{namespace}"


def generation(namespace: str) -> int:
    return cache.get(_generation_key(namespace), 0)


def invalidate(*namespaces: str) -> None:
    """Retire every page (and generation-keyed value) cached in these namespaces."""
    for namespace in namespaces or NAMESPACES:
        key = _generation_key(namespace)
        try:
            cache.incr(key)
        except ValueError:  # not set yet (or evicted)
            cache.set(key, generation(namespace) + 1, None)


def invalidate_on_commit(*namespaces: str) -> None:
    """For writes made with update() or bulk_create(), which send no signals."""
    transaction.on_commit(lambda: invalidate(*namespaces))


def invalidate_on_change(
    model: type[Model], *, namespaces: Iterable[str], fields: Iterable[str] | None = None
) -> None:
    """Retire the namespaces' pages when ``model`` is saved or deleted.

    With ``fields``, a save that names its ``update_fields`` and touches none
    of them changes nothing the pages show, so it retires nothing.
    """
    spaces = tuple(namespaces)
    for namespace in spaces:
        _generation_key(namespace)  # fail at start-up on a typo, not on the first save
    shown = frozenset(fields) if fields is not None else None

    def on_save(sender: type[Model], update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
        if shown is not None and update_fields is not None and not shown & set(update_fields):
            return
        invalidate(*spaces)

    def on_delete(sender: type[Model], **kwargs: Any) -> None:
        invalidate(*spaces)

    label = model._meta.label
    post_save.connect(on_save, sender=model, weak=False, dispatch_uid=f"public-pages-save-{label}")
    post_delete.connect(on_delete, sender=model, weak=False, dispatch_uid=f"public-pages-delete-{label}")


def cached_in_generation(namespace: str, name: str, compute: Callable[[], T], timeout: int) -> T:
    """``compute()``, cached until ``timeout`` or the namespace's next generation."""
    key = f"apex:{namespace}:{generation(namespace)}:{name}"
    # The cache's signature allows None (a None default); compute() returns a T.
    return cast(T, cache.get_or_set(key, compute, timeout))


def _key(request: HttpRequest, namespace: str) -> str:
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    variant = "page"
    if htmx:
        variant = "history" if htmx.history_restore_request else f"htmx:{htmx.target or ''}"
    raw = f"{generation(namespace)}|{variant}|{request.get_full_path()}".encode("utf-8", "surrogateescape")
    return f"apex:public-page:{namespace}:" + hashlib.sha256(raw).hexdigest()


def cache_public_page(namespace: str) -> Callable[[View], View]:
    """Serve the view's 200 answers from the cache to visitors without cookies."""
    _generation_key(namespace)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            timeout = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0)
            if timeout <= 0 or request.method not in ("GET", "HEAD") or request.COOKIES:
                return view(request, *args, **kwargs)
            key = _key(request, namespace)
            cached: HttpResponse | None = cache.get(key)
            if cached is not None:
                cached[HEADER] = "hit"
                return cached
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies and not response.streaming:
                cache.set(key, response, timeout)
                response[HEADER] = "miss"
            return response

        return cast(View, wrapped)

    return decorator


# --- Per-account caches ----------------------------------------------------------
#
# What a logged-in page shows of one account or one racer (the switcher's
# racers, a racer's tracks) is cached under that scope's own generation,
# bumped by every write that changes it. The generation lives in the cache
# like the public namespaces' (see the module docstring): with several app
# processes, a shared CACHE_URL makes a bump reach them all at once.

ACCOUNT_CACHE_SECONDS = 24 * 60 * 60  # retired by writes, not by age


def owner_scope(owner_id: int) -> str:
    return f"owner:{owner_id}"


def racer_scope(racer_id: int) -> str:
    return f"racer:{racer_id}"


def _scope_key(scope: str) -> str:
    return f"apex:scope-generation:{scope}"


def invalidate_scopes(*scopes: str) -> None:
    """Retire everything cached in these scopes."""
    for scope in scopes:
        key = _scope_key(scope)
        try:
            cache.incr(key)
        except ValueError:  # not set yet, or evicted
            cache.set(key, _fresh_generation(), None)


def _fresh_generation() -> int:
    # Never a number used before: after an eviction, counting again from 0
    # would reach values still cached under an old generation.
    return time.time_ns()


def invalidate_scopes_on_commit(*scopes: str) -> None:
    """For writes made with update() or bulk_create(), which send no signals."""
    transaction.on_commit(lambda: invalidate_scopes(*scopes))


def cached_in_scopes(scopes: Sequence[str], name: str, compute: Callable[[], T]) -> T:
    """``compute()``, cached until the next generation of any of ``scopes``."""
    return cast(T, cached_in_scopes_many(scopes, {name: compute})[name])


def cached_in_scopes_many(scopes: Sequence[str], computes: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
    """Each ``computes[name]()``, cached until the next generation of any of ``scopes``.

    One cache round trip when everything is cached: the scopes' generations
    and the values come in one ``get_many``. Each value is kept under its
    scopes and name with the generations it was computed under, and is used
    only while they are still the scopes' current ones; a value computed
    under an older generation (a write bumped it meanwhile) is computed
    again, never served.
    """
    generation_keys = [_scope_key(scope) for scope in scopes]
    value_keys = {name: f"apex:scope:{'|'.join(scopes)}:{name}" for name in computes}
    found = cache.get_many([*generation_keys, *value_keys.values()])
    missing = [key for key in generation_keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _fresh_generation(), None)
        found.update(cache.get_many(missing))
    stamp = tuple(found.get(key, 0) for key in generation_keys)
    values: dict[str, Any] = {}
    fresh: dict[str, Any] = {}
    for name, compute in computes.items():
        cached = found.get(value_keys[name])
        if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == stamp:
            values[name] = cached[1]
        else:
            values[name] = compute()
            fresh[value_keys[name]] = (stamp, values[name])
    if fresh:
        cache.set_many(fresh, ACCOUNT_CACHE_SECONDS)
    return values
