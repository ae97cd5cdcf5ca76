from django.http import HttpRequest

from profiles import services


def racer_switcher(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Evaluated only when a template renders the switcher: one query.
    return {"switcher_racers": services.list_profiles(user)}
