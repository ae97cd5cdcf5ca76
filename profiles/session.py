"""The active racer, kept per browser session.

Only the keys listed in ``RACER_SESSION_KEYS`` belong to a racer; switching
racer clears exactly those. Everything a racer saves lives on the server in
that racer's rows, so clearing these keys never loses saved work.
"""

from apex.http import HtmxHttpRequest
from profiles.models import RacerProfile

ACTIVE_RACER_KEY = "active_racer_id"

# Session keys that belong to the active racer (cleared on switch). Add a
# key here when a view stores racer-specific state in the session.
RACER_SESSION_KEYS = (
    ACTIVE_RACER_KEY,
    "racing:library_target_vehicle",  # the vehicle "Use as my baseline" offers first
)


def activate_racer(request: HtmxHttpRequest, racer: RacerProfile) -> None:
    for key in RACER_SESSION_KEYS:
        request.session.pop(key, None)
    request.session[ACTIVE_RACER_KEY] = racer.pk
    request.racer = racer
