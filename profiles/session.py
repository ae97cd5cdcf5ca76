"""The active racer, kept per browser session.

Only the keys listed in ``RACER_SESSION_KEYS`` belong to a racer; switching
racer clears exactly those. Everything a racer saves lives on the server in
that racer's rows, so clearing these keys never loses saved work.
"""

from django.core.exceptions import PermissionDenied

from apex.http import AuthenticatedHttpRequest, HtmxHttpRequest
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


class RacerNotActive(PermissionDenied):
    """A write to one racer's rows while another racer is active (switched in another tab, say)."""

    def __init__(self, *, racer: RacerProfile, active: RacerProfile) -> None:
        self.racer = racer
        self.active = active
        super().__init__(
            f"Not saved: this belongs to {racer.name}, and {active.name} is the active racer. "
            f"Switch to {racer.name} to save it."
        )


def show_racer_page(request: AuthenticatedHttpRequest, racer: RacerProfile) -> None:
    """The page shows ``racer``'s rows: a banner offers the switch when another racer is active.

    Until the switch, the page's forms are disabled and a write to them
    (a tab opened before switching elsewhere) is refused: a racer's data
    changes only while that racer is the active one.
    """
    request.page_racer = racer
    if racer.pk != request.racer.pk and request.method not in ("GET", "HEAD", "OPTIONS"):
        raise RacerNotActive(racer=racer, active=request.racer)
