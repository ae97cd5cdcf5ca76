from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from apex.http import HtmxHttpRequest
from profiles import services
from profiles.models import User
from profiles.session import activate_racer


@receiver(user_logged_in)
def load_default_racer(sender: type[User], request: HtmxHttpRequest, user: User, **kwargs: Any) -> None:
    """The default racer auto-loads at login (created on first login)."""
    activate_racer(request, services.racer_get_or_create_default(owner=user))
