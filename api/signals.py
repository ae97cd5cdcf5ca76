"""Webhook events, queued in the transaction that makes them (whichever page, command or API call did).

Delivery happens later, outside any request: ``manage.py deliver_webhooks``.
"""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from api.models import WebhookEvent
from api.services import webhooks_enqueue
from profiles.models import RacerProfile
from racing.models import BaselineVersion, RaceDay
from sims.models import AuditEntry


def _owner_of_vehicle(vehicle_id: int) -> int | None:
    return RacerProfile.objects.filter(vehicles=vehicle_id).values_list("owner_id", flat=True).first()


@receiver(post_save, sender=BaselineVersion, dispatch_uid="api_baseline_saved")
def baseline_saved(
    sender: type[BaselineVersion], instance: BaselineVersion, created: bool, **kwargs: Any
) -> None:
    if not created or kwargs.get("raw"):
        return
    owner_id = _owner_of_vehicle(instance.vehicle_id)
    if owner_id is not None:
        data = {"vehicle": instance.vehicle_id, "number": instance.number, "note": instance.note}
        webhooks_enqueue(user_id=owner_id, event=WebhookEvent.BASELINE_SAVED, data=data)


@receiver(post_save, sender=RaceDay, dispatch_uid="api_race_day_closed")
def race_day_closed(sender: type[RaceDay], instance: RaceDay, created: bool, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields") or ()
    if created or "status" not in update_fields or instance.status != RaceDay.Status.CLOSED:
        return
    owner_id = RacerProfile.objects.filter(pk=instance.racer_id).values_list("owner_id", flat=True).first()
    if owner_id is not None:
        data = {
            "race_day": instance.pk,
            "vehicle": instance.vehicle_id,
            "track": instance.track,
            "date": instance.date.isoformat(),
            "closed_at": instance.closed_at.isoformat() if instance.closed_at else None,
        }
        webhooks_enqueue(user_id=owner_id, event=WebhookEvent.RACE_DAY_CLOSED, data=data)


@receiver(post_save, sender=AuditEntry, dispatch_uid="api_sim_profile_linked")
def sim_profile_linked(sender: type[AuditEntry], instance: AuditEntry, created: bool, **kwargs: Any) -> None:
    """Every link, by the user or by staff for them, is audited; the audit entry is the event."""
    if not created or instance.action != AuditEntry.Action.LINK or instance.profile is None:
        return
    profile = instance.profile
    if profile.linked_user_id is not None:
        data = {
            "sim_profile": str(profile.pk),
            "simulator": profile.simulator.slug,
            "identifier": profile.profile_identifier,
            "name": profile.profile_name,
        }
        webhooks_enqueue(user_id=profile.linked_user_id, event=WebhookEvent.SIM_PROFILE_LINKED, data=data)
