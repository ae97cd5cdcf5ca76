"""Writes and reads that span several racers of one owner.

Every write locks the owner's row first, so two requests for the same
account (two tabs, two devices) run one after the other and the
"exactly one default racer" invariant holds under concurrency. The partial
unique constraint ``one_default_racer_per_owner`` backs it up in the
database.
"""

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When

from profiles.models import DEFAULT_RACER_NAME, RacerProfile, RacerProfileQuerySet, User


def _lock_owner(owner: User) -> None:
    User.objects.select_for_update().filter(pk=owner.pk).first()


def _oldest_first(racers: RacerProfileQuerySet) -> RacerProfileQuerySet:
    """The backfill rule: "Default Racer" by name first, then the oldest."""
    return racers.order_by(
        Case(When(name=DEFAULT_RACER_NAME, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "created_at",
        "id",
    )


def list_profiles(owner: User) -> RacerProfileQuerySet:
    """The owner's racers, default first, each with ``vehicle_count`` (one query)."""
    return RacerProfile.objects.owned_by(owner).with_vehicle_count().order_by("-is_default", "name", "id")


def get_default_profile(owner: User) -> RacerProfile | None:
    return RacerProfile.objects.owned_by(owner).filter(is_default=True).first()


def set_default_profile(owner: User, profile_id: int) -> RacerProfile:
    """Make the racer the owner's only default.

    Raises ``RacerProfile.DoesNotExist`` when the racer is not the owner's.
    """
    with transaction.atomic():
        _lock_owner(owner)
        profile = RacerProfile.objects.owned_by(owner).get(pk=profile_id)
        RacerProfile.objects.owned_by(owner).filter(is_default=True).exclude(pk=profile.pk).update(
            is_default=False
        )
        if not profile.is_default:
            RacerProfile.objects.filter(pk=profile.pk).update(is_default=True)
            profile.is_default = True
        return profile


def create_profile(owner: User, name: str, **fields) -> RacerProfile:
    """Create a racer; the owner's first racer becomes the default."""
    sponsors = fields.pop("sponsors", ())
    with transaction.atomic():
        _lock_owner(owner)
        is_default = not RacerProfile.objects.owned_by(owner).filter(is_default=True).exists()
        profile = RacerProfile.objects.create(owner=owner, name=name, is_default=is_default, **fields)
        for sponsor in sponsors:
            profile.sponsors.create(name=sponsor)
        return profile


def get_or_create_default_profile(owner: User) -> RacerProfile:
    """The owner's default racer.

    An owner with no racers gets a new "Default Racer". An owner whose racers
    somehow have no default (data from before the default existed) gets one
    promoted by the backfill rule rather than an extra racer.
    """
    profile = get_default_profile(owner)
    if profile is not None:
        return profile
    with transaction.atomic():
        _lock_owner(owner)
        profile = get_default_profile(owner)
        if profile is not None:
            return profile
        candidate = _oldest_first(RacerProfile.objects.owned_by(owner)).first()
        if candidate is None:
            return RacerProfile.objects.create(owner=owner, name=DEFAULT_RACER_NAME, is_default=True)
        RacerProfile.objects.filter(pk=candidate.pk).update(is_default=True)
        candidate.is_default = True
        return candidate


def delete_profile(owner: User, profile_id: int) -> RacerProfile | None:
    """Delete a racer and everything that is theirs.

    Deleting the default promotes the oldest remaining racer, which is
    returned (``None`` when the default did not change or no racer is left).
    """
    with transaction.atomic():
        _lock_owner(owner)
        profile = RacerProfile.objects.owned_by(owner).get(pk=profile_id)
        was_default = profile.is_default
        profile.delete()
        if not was_default:
            return None
        successor = RacerProfile.objects.owned_by(owner).order_by("created_at", "id").first()
        if successor is not None:
            RacerProfile.objects.filter(pk=successor.pk).update(is_default=True)
            successor.is_default = True
        return successor
