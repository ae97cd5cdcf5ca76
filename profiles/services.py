"""Writes that span several racers of one owner.

Every write locks the owner's row first, so two requests for the same
account (two tabs, two devices) run one after the other and the
"exactly one default racer" invariant holds under concurrency. The partial
unique constraint ``one_default_racer_per_owner`` backs it up in the
database.

Reads are QuerySet methods: ``RacerProfile.objects.owned_by(user)
.with_vehicle_count().default_first()``, ``.owned_by(user).default()``.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from apex.caching import invalidate_scopes_on_commit, owner_scope
from profiles.models import RacerProfile, RacerProfileQuerySet, User


def owner_lock(*, owner: User) -> None:
    """Lock the owner's row until the transaction ends: writes to one account run one at a time.

    Such a write may change the account's racers with update() or
    bulk_create(), which send no signals, so what is cached for the account
    (the switcher) is retired when it commits.
    """
    User.objects.select_for_update().filter(pk=owner.pk).first()
    invalidate_scopes_on_commit(owner_scope(owner.pk))


def racer_create(*, owner: User, name: str, sponsors: Iterable[str] = (), **fields: Any) -> RacerProfile:
    """Create a racer (with its sponsors); the owner's first racer becomes the default."""
    with transaction.atomic():
        owner_lock(owner=owner)
        is_default = not RacerProfile.objects.owned_by(owner).filter(is_default=True).exists()
        racer = RacerProfile.objects.create(owner=owner, name=name, is_default=is_default, **fields)
        for sponsor in sponsors:
            racer.sponsors.create(name=sponsor)
        return racer


def racer_set_default(*, owner: User, racer_id: int) -> RacerProfile:
    """Make the racer the owner's only default.

    Raises ``RacerProfile.DoesNotExist`` when the racer is not the owner's.
    """
    with transaction.atomic():
        owner_lock(owner=owner)
        racer = RacerProfile.objects.owned_by(owner).get(pk=racer_id)
        RacerProfile.objects.owned_by(owner).filter(is_default=True).exclude(pk=racer.pk).update(
            is_default=False
        )
        if not racer.is_default:
            RacerProfile.objects.filter(pk=racer.pk).update(is_default=True)
            racer.is_default = True
        return racer


def first_racer_name(owner: User) -> str:
    """A new account's first racer is the person: their name, else their username."""
    name = owner.get_full_name().strip() or owner.get_username()
    return name[: RacerProfile._meta.get_field("name").max_length]


def racer_get_or_create_default(*, owner: User) -> RacerProfile:
    """The owner's default racer.

    An owner with no racers gets a first racer named after them (their full
    name, else their username). An owner whose racers
    somehow have no default (data from before the default existed) gets one
    promoted by the backfill rule rather than an extra racer.
    """
    racer = RacerProfile.objects.owned_by(owner).default()
    if racer is not None:
        return racer
    with transaction.atomic():
        owner_lock(owner=owner)
        racer = RacerProfile.objects.owned_by(owner).default()
        if racer is not None:
            return racer
        candidate = RacerProfile.objects.owned_by(owner).in_promotion_order().first()
        if candidate is None:
            return RacerProfile.objects.create(owner=owner, name=first_racer_name(owner), is_default=True)
        RacerProfile.objects.filter(pk=candidate.pk).update(is_default=True)
        candidate.is_default = True
        return candidate


def racer_delete(*, owner: User, racer_id: int) -> RacerProfile | None:
    """Delete a racer and everything that is theirs.

    Deleting the default promotes the oldest remaining racer, which is
    returned (``None`` when the default did not change or no racer is left).
    Raises ``RacerProfile.DoesNotExist`` when the racer is not the owner's.
    """
    with transaction.atomic():
        owner_lock(owner=owner)
        racer = RacerProfile.objects.owned_by(owner).get(pk=racer_id)
        was_default = racer.is_default
        racer.delete()
        if not was_default:
            return None
        successor = RacerProfile.objects.owned_by(owner).order_by("created_at", "id").first()
        if successor is not None:
            RacerProfile.objects.filter(pk=successor.pk).update(is_default=True)
            successor.is_default = True
        return successor


# --- The earlier names, kept with their signatures for callers elsewhere ------


def list_profiles(owner: User) -> RacerProfileQuerySet:
    """The owner's racers, default first, each with ``vehicle_count`` (one query)."""
    return RacerProfile.objects.owned_by(owner).with_vehicle_count().default_first()


def get_default_profile(owner: User) -> RacerProfile | None:
    return RacerProfile.objects.owned_by(owner).default()


def set_default_profile(owner: User, profile_id: int) -> RacerProfile:
    return racer_set_default(owner=owner, racer_id=profile_id)


def get_or_create_default_profile(owner: User) -> RacerProfile:
    return racer_get_or_create_default(owner=owner)


def create_profile(owner: User, name: str, **fields: Any) -> RacerProfile:
    return racer_create(owner=owner, name=name, **fields)


def delete_profile(owner: User, profile_id: int) -> RacerProfile | None:
    return racer_delete(owner=owner, racer_id=profile_id)
