"""Typed request classes, declared once for every view."""

from collections.abc import Callable
from typing import TypeGuard, TypeVar

from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from profiles.models import RacerProfile, User

# A view function, for decorators that hand back one with the same signature.
View = TypeVar("View", bound=Callable[..., HttpResponse])


class HtmxHttpRequest(HttpRequest):
    """Any request as the middleware leaves it (``apex.middleware``, django-htmx, ``profiles.middleware``)."""

    request_id: str
    htmx: HtmxDetails
    # The session's active racer, looked up on first use; None for visitors.
    racer: RacerProfile | None
    # The racer whose rows the page shows, when it shows one racer's (``profiles.session.show_racer_page``).
    page_racer: RacerProfile | None


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User
    racer: RacerProfile


def is_authenticated(request: HtmxHttpRequest) -> TypeGuard[AuthenticatedHttpRequest]:
    """Whether a logged-in user made the request (and so it has their ``user`` and ``racer``)."""
    return request.user.is_authenticated
