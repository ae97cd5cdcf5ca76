from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apex.caching import invalidate_scopes, owner_scope
from apex.http import HtmxHttpRequest
from profiles import services
from profiles.models import RacerProfile, User
from profiles.session import activate_racer


@receiver(user_logged_in)
def load_default_racer(sender: type[User], request: HtmxHttpRequest, user: User, **kwargs: Any) -> None:
    """The default racer auto-loads at login (created on first login)."""
    activate_racer(request, services.racer_get_or_create_default(owner=user))


def _retire_switcher(sender: type[RacerProfile], instance: RacerProfile, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"name", "is_default"} & set(update_fields):
        return  # nothing the switcher shows
    invalidate_scopes(owner_scope(instance.owner_id))


post_save.connect(_retire_switcher, sender=RacerProfile, dispatch_uid="switcher-racer-save")
post_delete.connect(_retire_switcher, sender=RacerProfile, dispatch_uid="switcher-racer-delete")
