from collections.abc import Callable
from typing import cast

from django.http import HttpResponse
from django.utils.functional import SimpleLazyObject

from apex.http import HtmxHttpRequest
from profiles import services
from profiles.models import RacerProfile
from profiles.session import ACTIVE_RACER_KEY, activate_racer


def _active_racer(request: HtmxHttpRequest) -> RacerProfile | None:
    user = request.user
    if not user.is_authenticated:
        return None
    racer_id = request.session.get(ACTIVE_RACER_KEY)
    if racer_id is not None:
        racer = RacerProfile.objects.owned_by(user).filter(pk=racer_id).first()
        if racer is not None:
            return racer
    # No racer chosen yet in this session, or it was deleted: the default loads.
    racer = services.racer_get_or_create_default(owner=user)
    activate_racer(request, racer)
    return racer


class ActiveRacerMiddleware:
    """Sets ``request.racer`` (lazily) to the session's active racer."""

    def __init__(self, get_response: Callable[[HtmxHttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest) -> HttpResponse:
        # The lazy object stands in for the racer (or None) until first used.
        request.racer = cast(RacerProfile | None, SimpleLazyObject(lambda: _active_racer(request)))
        return self.get_response(request)
