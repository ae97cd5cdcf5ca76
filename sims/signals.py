from typing import Any

from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from profiles.models import User
from sims.models import SimProfile


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="sims_unlink_deleted_user")
def unlink_profiles_of_deleted_user(sender: type[User], instance: User, **kwargs: Any) -> None:
    """SET_NULL alone would leave a verified profile with nobody behind the badge."""
    SimProfile.objects.filter(linked_user=instance).update(
        linked_user=None, linked_at=None, is_verified=False
    )
