"""Typed request classes, declared once for every view."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from profiles.models import RacerProfile, User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User
    racer: RacerProfile
