"""Writes that span several rows: links, verification, imports.

Each runs in one transaction and records its audit entry in that same
transaction, so the log never says something happened that did not (or the
other way round).
"""

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from apex.caching import DIRECTORY, invalidate_on_commit
from profiles.models import User
from sims.models import (
    VERIFICATION_CODE_TTL,
    AuditEntry,
    Event,
    EventResult,
    ProfileAlreadyLinked,
    SimProfile,
    Simulator,
    VerificationRequest,
)

__all__ = ["ProfileAlreadyLinked"]

# No 0/O, 1/I/L: the code is typed by hand into another site.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 5


class NotLinkedToYou(Exception):
    """The profile is not linked to this user (any more)."""


class VerificationExpired(Exception):
    """The code's 48 hours are over; the driver has to ask for a new one."""


class VerificationClosed(Exception):
    """The request was already decided or cancelled."""


def _audit(
    *, action: AuditEntry.Action, profile: SimProfile, actor: User | None, ip: str | None, detail: str = ""
) -> None:
    # Every audited change shows on public pages (links, badges, visibility).
    invalidate_on_commit(DIRECTORY)
    AuditEntry.objects.create(
        action=action,
        profile=profile,
        profile_label=f"{profile.simulator.name} · {profile.profile_identifier} · {profile.profile_name}"[
            :250
        ],
        actor=actor,
        ip_address=ip or None,
        detail=detail[:250],
    )


def _on_behalf_of(user: User, actor: User | None) -> str:
    """Names the account when someone else (staff) acted for it: the actor alone would not say."""
    if actor is None or actor.pk == user.pk:
        return ""
    return f"account: {user.username}"


def _new_verification_code() -> str:
    return "APEX-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def sim_profile_link(
    *, profile: SimProfile, user: User, ip: str | None, actor: User | None = None
) -> SimProfile:
    """Link the profile to ``user``. Raises ``ProfileAlreadyLinked`` if someone was first.

    ``actor`` is who did it when that is not the user (staff in the admin).
    """
    with transaction.atomic():
        profile.link_to_user(user)
        _audit(
            action=AuditEntry.Action.LINK,
            profile=profile,
            actor=actor or user,
            ip=ip,
            detail=_on_behalf_of(user, actor),
        )
    return profile


def sim_profile_unlink(
    *, profile: SimProfile, user: User, ip: str | None, actor: User | None = None
) -> SimProfile:
    """Unlink the profile from ``user``; verification goes with it and pending requests are cancelled.

    Raises ``NotLinkedToYou`` when the profile is not (any more) linked to
    ``user``. ``actor`` is who did it when that is not the user (staff in the
    admin).
    """
    with transaction.atomic():
        locked = SimProfile.objects.select_for_update().select_related("simulator").get(pk=profile.pk)
        if locked.linked_user_id != user.pk:
            raise NotLinkedToYou("This profile is not linked to your account.")
        locked.unlink_from_user()
        cancelled = (
            VerificationRequest.objects.pending()
            .for_profile(locked)
            .update(status=VerificationRequest.Status.CANCELLED, decided_at=timezone.now())
        )
        notes = [_on_behalf_of(user, actor)]
        if cancelled:
            notes.append(f"{cancelled} pending verification request(s) cancelled")
        _audit(
            action=AuditEntry.Action.UNLINK,
            profile=locked,
            actor=actor or user,
            ip=ip,
            detail="; ".join(note for note in notes if note),
        )
    return locked


def sim_profile_add(
    *, simulator: Simulator, identifier: str, name: str, user: User, ip: str | None
) -> tuple[SimProfile, bool]:
    """Add a profile the directory does not have yet, linked to ``user``.

    Returns ``(profile, created)``. When the identifier is already known the
    existing profile comes back untouched (``created`` False), for the caller
    to offer a claim.
    """
    with transaction.atomic():
        existing = (
            SimProfile.objects.for_listing()
            .filter(simulator=simulator, profile_identifier=identifier)
            .first()
        )
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                profile = SimProfile.objects.create(
                    simulator=simulator, profile_identifier=identifier, profile_name=name
                )
        except IntegrityError:  # added by someone else a moment ago
            return SimProfile.objects.get(simulator=simulator, profile_identifier=identifier), False
        _audit(action=AuditEntry.Action.CREATE, profile=profile, actor=user, ip=ip)
        profile.link_to_user(user)
        _audit(action=AuditEntry.Action.LINK, profile=profile, actor=user, ip=ip)
    return profile, True


def sim_profile_set_visibility(*, profile: SimProfile, user: User, is_public: bool, ip: str | None) -> None:
    with transaction.atomic():
        changed = SimProfile.objects.filter(pk=profile.pk, linked_user=user).update(
            is_public=is_public, updated_at=timezone.now()
        )
        if not changed:
            raise NotLinkedToYou("This profile is not linked to your account.")
        profile.is_public = is_public
        _audit(
            action=AuditEntry.Action.VISIBILITY,
            profile=profile,
            actor=user,
            ip=ip,
            detail="public" if is_public else "private",
        )


def verification_request(*, profile: SimProfile, user: User, ip: str | None) -> VerificationRequest:
    """The user's live code for the profile: the pending one, or a new one valid 48 hours."""
    with transaction.atomic():
        locked = SimProfile.objects.select_for_update().select_related("simulator").get(pk=profile.pk)
        if locked.linked_user_id != user.pk:
            raise NotLinkedToYou("Link the profile to your account before verifying it.")
        pending = VerificationRequest.objects.pending().for_profile(locked).first()
        if pending is not None and not pending.is_expired:
            return pending
        if pending is not None:
            pending.status = VerificationRequest.Status.CANCELLED
            pending.decided_at = timezone.now()
            pending.save(update_fields=["status", "decided_at"])
        now = timezone.now()
        for attempt in range(5):
            try:
                with transaction.atomic():
                    request = VerificationRequest.objects.create(
                        profile=locked,
                        requested_by=user,
                        code=_new_verification_code(),
                        created_at=now,
                        expires_at=now + VERIFICATION_CODE_TTL,
                    )
                break
            except IntegrityError:  # the rare code collision: draw again
                if attempt == 4:
                    raise
        _audit(
            action=AuditEntry.Action.VERIFICATION_REQUESTED,
            profile=locked,
            actor=user,
            ip=ip,
            detail=request.code,
        )
    return request


def verification_decide(
    *, request: VerificationRequest, staff: User, approve: bool, ip: str | None
) -> VerificationRequest:
    """Approve or reject a pending request. An expired code cannot be approved."""
    with transaction.atomic():
        locked = (
            VerificationRequest.objects.select_for_update()
            .select_related("profile__simulator")
            .get(pk=request.pk)
        )
        if locked.status != VerificationRequest.Status.PENDING:
            raise VerificationClosed(f"{locked.code} is already {locked.get_status_display().lower()}.")
        if approve and locked.is_expired:
            raise VerificationExpired(f"{locked.code} expired; the driver has to ask for a new code.")
        profile = locked.profile
        if approve and profile.linked_user_id != locked.requested_by_id:
            raise VerificationClosed(f"{locked.code}: the profile is no longer linked to the requester.")
        locked.status = (
            VerificationRequest.Status.APPROVED if approve else VerificationRequest.Status.REJECTED
        )
        locked.decided_at = timezone.now()
        locked.decided_by = staff
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        if approve:
            SimProfile.objects.filter(pk=profile.pk).update(is_verified=True, updated_at=timezone.now())
            profile.is_verified = True
        _audit(
            action=AuditEntry.Action.VERIFICATION_APPROVED
            if approve
            else AuditEntry.Action.VERIFICATION_REJECTED,
            profile=profile,
            actor=staff,
            ip=ip,
            detail=locked.code,
        )
    return locked


RESULTS_BATCH_SIZE = 1000


@dataclass
class ResultRow:
    line: int
    identifier: str
    name: str
    position: int
    laps: int
    best_lap_ms: int | None
    points: Decimal


@dataclass
class ImportSummary:
    event_created: bool = False
    profiles_created: int = 0
    results_created: int = 0
    results_updated: int = 0
    results_unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.event_created or self.profiles_created or self.results_created or self.results_updated
        )


def results_import(
    *,
    simulator: Simulator,
    event_name: str,
    rows: Iterable[ResultRow],
    source: str = "",
    start_time: datetime.datetime | None = None,
) -> ImportSummary:
    """Import one event's results in one transaction; running it twice changes nothing.

    Drivers not in the directory yet become unlinked public profiles, keyed
    by simulator and identifier. Known profiles keep their name: it is their
    owner's to change. ``rows`` is consumed ``RESULTS_BATCH_SIZE`` at a
    time, so a long file is never held whole.
    """
    summary = ImportSummary()
    with transaction.atomic():
        event = Event.objects.filter(simulator=simulator, name=event_name).first()
        if event is None:
            event = Event.objects.create(
                simulator=simulator,
                name=event_name,
                source=source[:100],
                start_time=start_time or timezone.now(),
            )
            summary.event_created = True
        batch: list[ResultRow] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= RESULTS_BATCH_SIZE:
                _results_import_batch(simulator, event, batch, summary)
                batch = []
        if batch:
            _results_import_batch(simulator, event, batch, summary)
        invalidate_on_commit(DIRECTORY)
    return summary


def _results_import_batch(
    simulator: Simulator, event: Event, rows: list[ResultRow], summary: ImportSummary
) -> None:
    identifiers = [row.identifier for row in rows]
    profiles = {
        p.profile_identifier: p
        for p in SimProfile.objects.filter(simulator=simulator, profile_identifier__in=identifiers)
    }
    new_profiles = [
        SimProfile(simulator=simulator, profile_identifier=row.identifier, profile_name=row.name)
        for row in rows
        if row.identifier not in profiles
    ]
    SimProfile.objects.bulk_create(new_profiles)
    profiles.update({p.profile_identifier: p for p in new_profiles})
    summary.profiles_created += len(new_profiles)

    existing = {
        r.sim_profile_id: r
        for r in EventResult.objects.filter(event=event, sim_profile__in=[p.pk for p in profiles.values()])
    }
    to_create, to_update = [], []
    for row in rows:
        profile = profiles[row.identifier]
        values = {
            "position": row.position,
            "laps": row.laps,
            "best_lap_ms": row.best_lap_ms,
            "points": row.points,
        }
        result = existing.get(profile.pk)
        if result is None:
            to_create.append(EventResult(event=event, sim_profile=profile, **values))
        elif any(getattr(result, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(result, k, v)
            to_update.append(result)
        else:
            summary.results_unchanged += 1
    EventResult.objects.bulk_create(to_create)
    EventResult.objects.bulk_update(to_update, ["position", "laps", "best_lap_ms", "points"])
    summary.results_created += len(to_create)
    summary.results_updated += len(to_update)
