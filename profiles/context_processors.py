from django.http import HttpRequest

from profiles.forms import NewRacerForm
from profiles.models import RacerProfile


def racer_switcher(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The page shows another racer's rows (profiles.session.show_racer_page): base.html says
    # so with a one-tap switch, and disables the page's forms until then.
    page_racer: RacerProfile | None = getattr(request, "page_racer", None)
    active: RacerProfile | None = getattr(request, "racer", None)
    other_racer = page_racer if page_racer and active and page_racer.pk != active.pk else None
    # Evaluated only when a template renders the switcher: one query.
    return {
        "switcher_racers": RacerProfile.objects.owned_by(user).with_vehicle_count().default_first(),
        "switcher_form": NewRacerForm(),
        "other_racer": other_racer,
    }
