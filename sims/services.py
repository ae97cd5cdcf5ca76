"""Writes that span several rows: links, verification, imports.

Each runs in one transaction and records its audit entry in that same
transaction, so the log never says something happened that did not (or the
other way round).
"""

import datetime
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from apex.caching import DIRECTORY, invalidate_on_commit
from profiles.models import User
from sims.models import (
    VERIFICATION_CODE_TTL,
    AddRequest,
    AuditEntry,
    CodeRequest,
    Event,
    EventResult,
    ProfileAlreadyLinked,
    SimProfile,
    Simulator,
    VerificationRequest,
)

__all__ = ["ProfileAlreadyLinked"]

R = TypeVar("R", bound=CodeRequest)

# No 0/O, 1/I/L: the code is typed by hand into another site.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 5


class NotLinkedToYou(Exception):
    """The profile is not linked to this user (any more)."""


class VerificationExpired(Exception):
    """The code's 48 hours are over; the driver has to ask for a new one."""


class VerificationClosed(Exception):
    """The request was already decided or cancelled."""


class TooManyAddRequests(Exception):
    """The driver has as many add requests waiting as one may."""


class AddRequestClosed(Exception):
    """The add request was already decided or cancelled."""


class AddRequestExpired(Exception):
    """The add request's code is past its 48 hours; the driver has to add the ID again."""


# Each request e-mails its code to the driver: a ceiling on what one account can queue.
MAX_LIVE_ADD_REQUESTS = 10


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


def _audit_add(
    *,
    action: AuditEntry.Action,
    request: AddRequest,
    actor: User | None,
    ip: str | None,
    profile: SimProfile | None = None,
    extra: str = "",
) -> None:
    """An add request's step. Names the profile only once staff have linked one."""
    detail = "; ".join(
        note for note in (request.code, f"account: {request.requested_by.username}", extra) if note
    )
    AuditEntry.objects.create(
        action=action,
        profile=profile,
        profile_label=request.label,
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


def _unexpired(pending: R | None) -> R | None:
    """``pending`` if its code still works; an expired one is cancelled (a new code replaces it)."""
    if pending is None or not pending.is_expired:
        return pending
    pending.decide(CodeRequest.Status.CANCELLED)
    return None


def _unlink(profile: SimProfile) -> int:
    """Unlink the profile and cancel its pending verification codes (they were the holder's); how many."""
    profile.unlink_from_user()
    return VerificationRequest.objects.pending().for_profile(profile).cancel()


def _create_with_code(
    model: type[R], *, now: datetime.datetime, made_meanwhile: Callable[[], R | None], **fields: Any
) -> tuple[R, bool]:
    """A new pending ``model`` row with a fresh code valid ``VERIFICATION_CODE_TTL``: ``(row, True)``.

    An IntegrityError is either the same request made a moment ago by
    someone else's transaction (``made_meanwhile`` finds it: ``(it, False)``)
    or the rare code collision: draw again.
    """
    for attempt in range(5):
        try:
            with transaction.atomic():
                row = model._default_manager.create(
                    code=_new_verification_code(),
                    created_at=now,
                    expires_at=now + VERIFICATION_CODE_TTL,
                    **fields,
                )
            return row, True
        except IntegrityError:
            other = made_meanwhile()
            if other is not None:
                return other, False
            if attempt == 4:
                raise
    raise AssertionError("unreachable: the fifth failure raises")


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
        cancelled = _unlink(locked)
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
) -> SimProfile | AddRequest:
    """A driver adds a simulator ID to their account.

    An ID the driver can already see (a public profile, or one linked to
    them) brings that profile back untouched, for the caller to say what it
    is: theirs, free to claim, or someone else's. The directory shows as much.

    Any other ID, new or a private profile of someone else's, becomes an add
    request whose code is e-mailed to the driver (``add_request_open``), the
    same way in both cases: the lookup below sees only what the driver can
    see, so nothing after it can tell a hidden profile from none. Staff
    decide once the code shows on the simulator.
    """
    visible = (
        SimProfile.objects.visible_to(user)
        .for_listing()
        .filter(simulator=simulator, profile_identifier=identifier)
        .first()
    )
    if visible is not None:
        return visible
    with transaction.atomic():
        request = add_request_open(simulator=simulator, identifier=identifier, name=name, user=user, ip=ip)
        _mail_on_commit(
            user,
            f"Apex: prove {identifier} on {simulator.name} is yours",
            f"You asked to add the {simulator.name} ID {identifier} ({request.profile_name}) "
            "to your Apex account.\n\n"
            f"To add it, prove it is yours: put this code in your profile on {simulator.name} "
            f"(for example in its bio or status):\n\n    {request.code}\n\n"
            f"The code is valid until {request.expires_at:%d %b %Y, %H:%M %Z}. Our staff check the "
            "profile and e-mail you what they decided; you can remove the code afterwards.\n\n"
            "The request is listed under My sim profiles, where you can cancel it. If you did not "
            "ask for this, cancel it there or ignore this e-mail: nothing is added without the code.\n",
        )
    return request


def add_request_open(
    *, simulator: Simulator, identifier: str, name: str, user: User, ip: str | None
) -> AddRequest:
    """The user's live add request for the ID: the pending one, or a new one valid 48 hours.

    Raises ``TooManyAddRequests`` when a new one would pass
    ``MAX_LIVE_ADD_REQUESTS``. Touches no profile: whether one exists is for
    staff to see when they decide.
    """
    with transaction.atomic():
        mine = AddRequest.objects.requested_by(user).for_identifier(simulator, identifier)
        now = timezone.now()
        pending = _unexpired(
            mine.pending().select_for_update(of=("self",)).select_related("simulator").first()
        )
        if pending is not None:
            return pending
        if AddRequest.objects.requested_by(user).live().count() >= MAX_LIVE_ADD_REQUESTS:
            raise TooManyAddRequests(
                f"You have {MAX_LIVE_ADD_REQUESTS} IDs waiting for verification. "
                "Wait for our staff to check them, or cancel one, before adding another."
            )
        # The same ID sent twice at once: the first one made stands.
        request, created = _create_with_code(
            AddRequest,
            now=now,
            made_meanwhile=lambda: mine.live().first(),
            requested_by=user,
            simulator=simulator,
            profile_identifier=identifier,
            profile_name=name,
        )
        if not created:
            return request
        _audit_add(action=AuditEntry.Action.ADD_REQUESTED, request=request, actor=user, ip=ip)
    return request


def add_request_cancel(*, request: AddRequest, user: User, ip: str | None) -> AddRequest:
    """The driver withdraws their pending request; its code stops counting."""
    with transaction.atomic():
        locked = (
            AddRequest.objects.select_for_update(of=("self",))
            .select_related("simulator", "requested_by")
            .filter(pk=request.pk, requested_by=user)
            .first()
        )
        if locked is None or locked.status != AddRequest.Status.PENDING:
            raise AddRequestClosed("That request is no longer waiting.")
        locked.decide(AddRequest.Status.CANCELLED)
        _audit_add(action=AuditEntry.Action.ADD_CANCELLED, request=locked, actor=user, ip=ip)
    return locked


@dataclass
class AddDecision:
    request: AddRequest
    profile: SimProfile | None = None
    created: bool = False
    moved_from: User | None = None


def add_request_decide(*, request: AddRequest, staff: User, approve: bool, ip: str | None) -> AddDecision:
    """Approve or reject a pending add request; the driver is e-mailed the outcome.

    Approving links the ID to the driver, verified: the code on the
    simulator's profile is the proof. With no profile yet one is made; a
    profile nobody holds is linked; a profile linked to another account is
    moved to the driver (its pending codes are cancelled and the previous
    holder is e-mailed), because a link is a claim and the code is proof.
    An expired code cannot be approved.
    """
    with transaction.atomic():
        locked = (
            AddRequest.objects.select_for_update(of=("self",))
            .select_related("simulator", "requested_by")
            .get(pk=request.pk)
        )
        if locked.status != AddRequest.Status.PENDING:
            raise AddRequestClosed(f"{locked.code} is already {locked.get_status_display().lower()}.")
        if approve and locked.is_expired:
            raise AddRequestExpired(f"{locked.code} expired; the driver has to add the ID again.")
        decision = AddDecision(request=locked)
        if approve:
            _add_request_approve(decision, staff=staff, ip=ip)
        locked.decide(AddRequest.Status.APPROVED if approve else AddRequest.Status.REJECTED, by=staff)
        _audit_add(
            action=AuditEntry.Action.ADD_APPROVED if approve else AuditEntry.Action.ADD_REJECTED,
            request=locked,
            actor=staff,
            ip=ip,
            profile=decision.profile,
            extra=f"moved from account: {decision.moved_from.username}" if decision.moved_from else "",
        )
        _mail_decision(decision)
    return decision


def _add_request_approve(decision: AddDecision, *, staff: User, ip: str | None) -> None:
    request = decision.request
    user = request.requested_by
    note = f"add request {request.code}; account: {user.username}"
    profiles = SimProfile.objects.select_for_update(of=("self",)).select_related("simulator", "linked_user")
    key = {"simulator": request.simulator, "profile_identifier": request.profile_identifier}
    profile = profiles.filter(**key).first()
    if profile is None:
        try:
            with transaction.atomic():
                profile = SimProfile.objects.create(**key, profile_name=request.profile_name)
        except IntegrityError:  # imported a moment ago: it is there now
            profile = profiles.get(**key)
        else:
            decision.created = True
            _audit(action=AuditEntry.Action.CREATE, profile=profile, actor=staff, ip=ip, detail=note)
    decision.profile = profile
    if profile.linked_user_id == user.pk:
        if not profile.is_verified:
            SimProfile.objects.filter(pk=profile.pk).update(is_verified=True, updated_at=timezone.now())
            profile.is_verified = True
        return
    if profile.linked_user is not None:
        decision.moved_from = profile.linked_user
        cancelled = _unlink(profile)
        notes = [f"account: {decision.moved_from.username}", f"moved by add request {request.code}"]
        if cancelled:
            notes.append(f"{cancelled} pending verification request(s) cancelled")
        _audit(action=AuditEntry.Action.UNLINK, profile=profile, actor=staff, ip=ip, detail="; ".join(notes))
    profile.link_to_user(user, verified=True)
    _audit(action=AuditEntry.Action.LINK, profile=profile, actor=staff, ip=ip, detail=note)


def _mail_decision(decision: AddDecision) -> None:
    request = decision.request
    user = request.requested_by
    what = f"the {request.simulator.name} ID {request.profile_identifier}"
    if request.status == AddRequest.Status.APPROVED:
        _mail_on_commit(
            user,
            f"Apex: {request.profile_identifier} on {request.simulator.name} is yours",
            f"Our staff found your code {request.code} on {what}: it is now linked to your "
            "Apex account, with the verified badge. You can remove the code from your profile "
            "on the simulator.\n\nIt is under My sim profiles.\n",
        )
    else:
        _mail_on_commit(
            user,
            f"Apex: {request.profile_identifier} on {request.simulator.name} was not added",
            f"Our staff could not confirm your code {request.code} on {what}, so it was not "
            "added to your account.\n\nIf the ID is yours, add it again under My sim profiles "
            "for a new code, and put it in your profile on the simulator before asking.\n",
        )
    previous = decision.moved_from
    if previous is not None:
        _mail_on_commit(
            previous,
            f"Apex: {request.profile_identifier} on {request.simulator.name} moved to another account",
            f"The {request.simulator.name} ID {request.profile_identifier} was linked to your Apex "
            "account. Another account proved it is theirs with a code that our staff found on that "
            "profile on the simulator, so it is now linked to them.\n\n"
            "If that is wrong, reply to this e-mail and we will look into it.\n",
        )


def _mail_on_commit(user: User, subject: str, body: str) -> None:
    """E-mail the user once the transaction has committed; a mail failure is logged, not raised."""
    if not user.email:
        return
    address = user.email
    greeting = f"Hello {user.get_username()},\n\n"
    transaction.on_commit(lambda: send_mail(subject, greeting + body, None, [address]), robust=True)


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
        now = timezone.now()
        pending = _unexpired(VerificationRequest.objects.pending().for_profile(locked).first())
        if pending is not None:
            return pending
        # The profile row is locked: no other request for it is made meanwhile.
        request, _ = _create_with_code(
            VerificationRequest, now=now, made_meanwhile=lambda: None, profile=locked, requested_by=user
        )
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
        locked.decide(
            VerificationRequest.Status.APPROVED if approve else VerificationRequest.Status.REJECTED, by=staff
        )
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
