from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token

from apex.links import optional_link

# The links base.html shows on every page (header, menu, footer), by the
# name templates use: {{ nav.garage }}. "" for a URL name not installed.
NAV_LINKS = {
    "home": "home",
    "web_manifest": "web_manifest",
    "racers": "racer_list",
    "racer_create": "racer_create",
    "garage": "vehicle_list",
    "race_days": "raceday_list",
    "track_log": "tracklog_list",
    "library": "library_list",
    "theory": "theory_list",
    "driver_profiles": "sim_profile_browse",
    "my_sim_profiles": "my_sim_profiles",
    "change_password": "account_change_password",
    "logout": "account_logout",
    "login": "account_login",
    "signup": "account_signup",
    "api_docs": "api:openapi-view",
    "api_tokens": "api_tokens",
}


def features(request: HttpRequest) -> dict[str, bool]:
    return {"ENABLE_PUBLIC_PROFILES": settings.ENABLE_PUBLIC_PROFILES}


def nav(request: HttpRequest) -> dict[str, dict[str, str]]:
    """The header's and footer's links, each reversed once per process (``apex.links``)."""
    return {"nav": {key: optional_link(name) for key, name in NAV_LINKS.items()}}


def csrf_token_text(request: HttpRequest) -> dict[str, str]:
    """A logged-in page's CSRF token as text, where Django's context gives a lazy object.

    Every logged-in page writes the token (the header's forms, a form per
    row of some lists), and each {% csrf_token %} spent ~55 µs going through
    the lazy object's proxies. Visitors who are not logged in keep Django's
    lazy token: a public page that writes none sets no CSRF cookie and stays
    cacheable (apex.caching).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"csrf_token": get_token(request)}
