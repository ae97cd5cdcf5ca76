"""Rate limits per token (per address for the public endpoints), counted in Django's cache."""

from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from apex.shortcuts import client_ip
from api.models import ApiToken

# Generous for a timing laptop or an app; a runaway script is told to wait.
RATE = "120/m"


class PerTokenThrottle(SimpleRateThrottle):
    scope = "apex-api"

    def get_cache_key(self, request: HttpRequest) -> str:
        auth = getattr(request, "auth", None)
        ident = f"token-{auth.pk}" if isinstance(auth, ApiToken) else f"ip-{client_ip(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


THROTTLE = PerTokenThrottle(RATE)
