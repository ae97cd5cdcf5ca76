from django.http import HttpRequest

from profiles.forms import NewRacerForm
from profiles.models import RacerProfile


def racer_switcher(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Evaluated only when a template renders the switcher: one query.
    return {
        "switcher_racers": RacerProfile.objects.owned_by(user).with_vehicle_count().default_first(),
        "switcher_form": NewRacerForm(),
    }
