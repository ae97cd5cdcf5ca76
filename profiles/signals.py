from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from profiles import services
from profiles.session import activate_racer


@receiver(user_logged_in)
def load_default_racer(sender, request, user, **kwargs) -> None:
    """The default racer auto-loads at login (created on first login)."""
    activate_racer(request, services.racer_get_or_create_default(owner=user))
