from collections.abc import Callable
from typing import cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.middleware import get_user
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django_htmx.http import HttpResponseClientRedirect

from apex.compiled import compiled
from apex.http import HtmxHttpRequest
from apex.shortcuts import safe_referer
from profiles import services
from profiles.models import RacerProfile, RacerProfileQuerySet, User
from profiles.session import ACTIVE_RACER_KEY, RacerNotActive, activate_racer


def _racer_with_owner(racer_id: int, owner_id: int) -> "RacerProfileQuerySet":
    # Compiled once per process (apex.compiled): building this join took longer than running it.
    return RacerProfile.objects.owned_by(owner_id).filter(pk=racer_id).select_related("owner").order_by()


def _preload_user_and_racer(request: HtmxHttpRequest) -> None:
    """The session's user and active racer in one query, when the session names both.

    Every logged-in page needs both; Django reads the user in one query and
    the racer took a second. The user found here is handed to Django's
    authentication middleware only when Django would accept it too: the
    session's backend is a configured one, the backend lets the user log in
    (active) and the session's hash matches the user's password hash under
    the current secret key. Anything else (no racer chosen yet, the racer
    gone, a changed password, a rotated key) leaves the user to Django's
    own ``get_user()``, which decides as it always does.
    """
    session = request.session
    try:
        user_id = session[auth.SESSION_KEY]
        backend_path = session[auth.BACKEND_SESSION_KEY]
        session_hash = session[auth.HASH_SESSION_KEY]
        racer_id = session[ACTIVE_RACER_KEY]
    except KeyError:
        return
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return
    try:
        found = compiled(_racer_with_owner, int(racer_id), int(user_id))
    except (ValueError, TypeError):  # not ids: not a session this app wrote
        return
    if not found:
        return
    racer = found[0]
    user = racer.owner
    if not auth.load_backend(backend_path).user_can_authenticate(user):  # type: ignore[attr-defined]
        return
    if not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return
    request._cached_user = user  # type: ignore[attr-defined]  # what AuthenticationMiddleware's get_user() keeps
    request._preloaded_racer = racer  # type: ignore[attr-defined]


def _user(request: HtmxHttpRequest) -> object:
    if not hasattr(request, "_cached_user"):
        _preload_user_and_racer(request)
    return get_user(request)


def _active_racer(request: HtmxHttpRequest) -> RacerProfile | None:
    user = request.user
    preloaded = getattr(request, "_preloaded_racer", None)
    if preloaded is not None:
        return preloaded
    if not user.is_authenticated:
        return None
    racer_id = request.session.get(ACTIVE_RACER_KEY)
    if racer_id is not None:
        # get(), not first(): first() orders by the model's three ordering
        # columns, about 0.5 ms of query building on every logged-in page.
        try:
            return RacerProfile.objects.owned_by(user).get(pk=racer_id)
        except RacerProfile.DoesNotExist:
            pass
    # No racer chosen yet in this session, or it was deleted: the default loads.
    racer = services.racer_get_or_create_default(owner=user)
    activate_racer(request, racer)
    return racer


class ActiveRacerMiddleware:
    """Sets ``request.racer`` (lazily) to the session's active racer; answers writes to another racer's rows."""

    def __init__(self, get_response: Callable[[HtmxHttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest) -> HttpResponse:
        # Django's lazy user, replaced by one that reads the active racer in
        # the same query; nothing before this middleware looks at the user.
        request.user = cast("User | AnonymousUser", SimpleLazyObject(lambda: _user(request)))
        # The lazy object stands in for the racer (or None) until first used.
        request.racer = cast(RacerProfile | None, SimpleLazyObject(lambda: _active_racer(request)))
        request.page_racer = None
        return self.get_response(request)

    def process_exception(self, request: HtmxHttpRequest, exception: Exception) -> HttpResponse | None:
        """409 for a write to a racer that is not the active one; nothing was saved.

        htmx is sent back to the page the form was on, which now shows the
        banner and the reason; a plain form gets a page that says why and
        offers the switch. Either way the browser keeps what was typed as a
        draft (static/js/apex.js) until it is saved under the right racer.
        """
        if not isinstance(exception, RacerNotActive):
            return None
        referer = urlsplit(safe_referer(request) or "")
        back = referer.path + (f"?{referer.query}" if referer.query else "") or reverse("home")
        if request.htmx:
            messages.error(request, str(exception), extra_tags="not-saved")
            response: HttpResponse = HttpResponseClientRedirect(back)
        else:
            context = {"refused": exception, "back": back}
            response = render(request, "profiles/racer_not_active.html", context)
        response.status_code = 409
        return response
