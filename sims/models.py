"""Sim profiles: a driver's identity on one simulator, public unless made private.

A profile exists on its own (imported from results, added by a driver) and is
linked to at most one user, who may prove they own it with a verification
code.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Self, cast

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import Col, Combinable, Expression
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from apex.links import link
from apex.search import search_words

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

    from profiles.models import User

# Path segments that the public URLs use for their own pages, so no simulator
# may take them as its slug.
RESERVED_SIMULATOR_SLUGS = {"search", "events"}

# A platform's own id becomes one URL path segment: no slashes, no spaces.
IDENTIFIER_RE = r"^[^/\s]+$"
identifier_validator = RegexValidator(
    IDENTIFIER_RE, "Use the simulator's ID for the driver, without spaces or slashes."
)

VERIFICATION_CODE_TTL = dt.timedelta(hours=48)

# What the driver search looks at; migration 0007 keeps ``search_text`` equal
# to these, one per line, on PostgreSQL.
SEARCH_FIELDS = (
    "profile_name",
    "profile_identifier",
    "linked_user__username",
    "linked_user__first_name",
    "linked_user__last_name",
)


class ProfileAlreadyLinked(Exception):
    """Someone else linked the profile first."""


class SimulatorQuerySet(models.QuerySet):
    def active(self) -> "SimulatorQuerySet":
        return self.filter(is_active=True)


class Simulator(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True)
    is_active = models.BooleanField(default=True)

    objects = SimulatorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return link("simulator_profiles", self.slug)


class SearchText(Expression):
    """The profile's ``search_text`` column: PostgreSQL only, kept by triggers (migration 0007).

    Not a model field, so SQLite and Django's model state never see it; the
    column is reached through the primary key's table alias, which Django
    relabels like any column when the query becomes a subquery.
    """

    output_field = models.TextField()

    def __init__(self, key: Combinable | None = None) -> None:
        super().__init__()
        self.key = F("pk") if key is None else key

    def get_source_expressions(self) -> list[Combinable]:
        return [self.key]

    def set_source_expressions(self, exprs: Sequence[Combinable]) -> None:
        (self.key,) = exprs

    def as_sql(
        self, compiler: "SQLCompiler", connection: "BaseDatabaseWrapper"
    ) -> tuple[str, list[str | int]]:
        # Resolved, the key is a column (Col), which names its table alias.
        alias = cast(Col, self.key).alias
        return f"{compiler.quote_name_unless_alias(alias)}.search_text", []


class SimProfileQuerySet(models.QuerySet):
    def public(self) -> "SimProfileQuerySet":
        return self.filter(is_public=True)

    def visible_to(self, user: "User | AnonymousUser | None") -> "SimProfileQuerySet":
        """Public profiles, plus the user's own private ones."""
        if user is not None and user.is_authenticated:
            return self.filter(Q(is_public=True) | Q(linked_user=user))
        return self.public()

    def linked_to(self, user: "User | int") -> "SimProfileQuerySet":
        return self.filter(linked_user=user)

    def unlinked(self) -> "SimProfileQuerySet":
        return self.filter(linked_user__isnull=True)

    def claimable(self) -> "SimProfileQuerySet":
        """What a user may claim from the directory: public and nobody's yet."""
        return self.public().unlinked()

    def for_simulator(self, simulator: "Simulator | None") -> "SimProfileQuerySet":
        return self.filter(simulator=simulator) if simulator is not None else self

    def search(self, q: str) -> "SimProfileQuerySet":
        """Every word of ``q`` must match the name, the identifier or the linked user's names.

        Matched as ``apex.search`` describes. On PostgreSQL the match runs on
        ``search_text``, a column that triggers keep equal to those five
        fields, one per line, with a trigram index on
        ``UPPER(search_text)`` (migration 0007): one indexed condition
        instead of an OR across a join that no index can answer. SQLite has
        no such column and runs the same match as a join.
        """
        return search_words(self, q, fields=SEARCH_FIELDS, lines=SearchText)

    def for_listing(self) -> "SimProfileQuerySet":
        return self.select_related("simulator", "linked_user")

    def by_simulator(self) -> "SimProfileQuerySet":
        return self.order_by("simulator__name", "pk")

    def recent_first(self) -> "SimProfileQuerySet":
        """Newest activity first: the order the public-recent index serves, so LIMIT stops early."""
        return self.order_by("-updated_at", "-id")


class SimProfile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    simulator = models.ForeignKey(Simulator, on_delete=models.PROTECT, related_name="profiles")
    profile_identifier = models.CharField(
        "identifier",
        max_length=100,
        blank=True,
        default="",
        validators=[identifier_validator],
        help_text="The simulator platform's own ID for the driver.",
    )
    profile_name = models.CharField("name", max_length=100)
    profile_data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=True, db_index=True)
    is_verified = models.BooleanField(default=False)
    linked_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sim_profiles",
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SimProfileQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "sim profile"
        constraints = [
            models.UniqueConstraint(
                fields=["simulator", "profile_identifier"],
                name="unique_identifier_per_simulator",
                violation_error_message="A profile with this identifier already exists on this simulator.",
            ),
        ]
        indexes = [
            # Browse pages walk public profiles newest activity first (keyset).
            models.Index(
                fields=["-updated_at", "-id"],
                condition=Q(is_public=True),
                name="sim_profile_public_recent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile_name} ({self.simulator_id and self.simulator.name})"

    def get_absolute_url(self) -> str:
        return link("sim_profile_detail", self.simulator.slug, self.profile_identifier)

    # Lists link every row to these: built without a reverse() each (apex.links).
    def get_link_url(self) -> str:
        return link("sim_profile_link", self.pk)

    def get_unlink_url(self) -> str:
        return link("sim_profile_unlink", self.pk)

    def get_verify_url(self) -> str:
        return link("sim_profile_verify", self.pk)

    def get_visibility_url(self) -> str:
        return link("sim_profile_visibility", self.pk)

    def link_to_user(self, user: "User", verified: bool = False) -> None:
        """Claim the profile for ``user``; exactly once.

        One conditional UPDATE: of two users claiming at the same moment, the
        database lets only one of them find ``linked_user IS NULL``.
        """
        now = timezone.now()
        claimed = SimProfile.objects.filter(pk=self.pk, linked_user__isnull=True).update(
            linked_user=user, linked_at=now, is_verified=verified, updated_at=now
        )
        if not claimed:
            raise ProfileAlreadyLinked("This profile is already linked to an account.")
        self.linked_user, self.linked_at, self.is_verified, self.updated_at = user, now, verified, now

    def unlink_from_user(self) -> bool:
        """Drop the link and the verification that came with it. False if it was not linked."""
        if self.linked_user_id is None:
            return False
        now = timezone.now()
        done = SimProfile.objects.filter(pk=self.pk, linked_user_id=self.linked_user_id).update(
            linked_user=None, linked_at=None, is_verified=False, updated_at=now
        )
        self.linked_user, self.linked_at, self.is_verified, self.updated_at = None, None, False, now
        return bool(done)


class CodeRequestQuerySet(models.QuerySet):
    def pending(self) -> Self:
        return self.filter(status=CodeRequest.Status.PENDING)

    def live(self) -> Self:
        """Pending and not expired: a code the driver can still use.

        Expired by the database's clock (``Now()``), not a parameter: the
        query's SQL is then the same at any time and can be compiled once
        (apex.compiled; My Sim Profiles lists the live ones on every visit).
        """
        return self.pending().filter(expires_at__gt=Now())

    def cancel(self) -> int:
        """Cancel these requests in one UPDATE; how many there were."""
        return self.update(status=CodeRequest.Status.CANCELLED, decided_at=timezone.now())


class CodeRequest(models.Model):
    """A code the driver puts on their simulator profile for staff to check; pending until decided."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"

    code = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def decide(self, status: "CodeRequest.Status", *, by: "User | None" = None) -> None:
        """Close the request now: approved, rejected (by staff) or cancelled."""
        self.status, self.decided_at, self.decided_by = status, timezone.now(), by
        self.save(update_fields=["status", "decided_at", "decided_by"])


class VerificationRequestQuerySet(CodeRequestQuerySet):
    def for_profile(self, profile: "SimProfile") -> "VerificationRequestQuerySet":
        return self.filter(profile=profile)


class VerificationRequest(CodeRequest):
    profile = models.ForeignKey(SimProfile, on_delete=models.CASCADE, related_name="verification_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sim_verification_requests"
    )

    objects = VerificationRequestQuerySet.as_manager()

    class Meta(CodeRequest.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["profile"],
                condition=Q(status="pending"),
                name="one_pending_verification_per_profile",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} for {self.profile_id} ({self.status})"


class AddRequestQuerySet(CodeRequestQuerySet):
    def requested_by(self, user: "User | int") -> "AddRequestQuerySet":
        return self.filter(requested_by=user)

    def for_identifier(self, simulator: Simulator, identifier: str) -> "AddRequestQuerySet":
        return self.filter(simulator=simulator, profile_identifier=identifier)

    def for_listing(self) -> "AddRequestQuerySet":
        return self.select_related("simulator").order_by("-created_at", "-id")


class AddRequest(CodeRequest):
    """A driver asking to add a simulator ID to their account, decided by staff once the code shows.

    Made whenever the ID is not one the driver can see: a new ID, or a
    private profile of someone else's. Both get the same answer, so the page
    never tells whether a hidden profile exists; staff see which it is when
    they decide.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sim_add_requests"
    )
    simulator = models.ForeignKey(Simulator, on_delete=models.PROTECT, related_name="add_requests")
    profile_identifier = models.CharField("identifier", max_length=100, validators=[identifier_validator])
    profile_name = models.CharField("name", max_length=100)

    objects = AddRequestQuerySet.as_manager()

    class Meta(CodeRequest.Meta):
        verbose_name = "add request"
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "simulator", "profile_identifier"],
                condition=Q(status="pending"),
                name="one_pending_add_request_per_user_and_identifier",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "cancelled"]),
                name="add_request_status_valid",
            ),
            # Pending means undecided; anything else says when it was decided.
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="add_request_decided_when_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.profile_identifier} ({self.status})"

    @property
    def label(self) -> str:
        """What the audit log calls it, whether or not a profile exists."""
        return f"{self.simulator.name} · {self.profile_identifier} · {self.profile_name}"[:250]

    def get_cancel_url(self) -> str:
        return link("sim_add_request_cancel", self.pk)


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Added"
        LINK = "link", "Linked"
        UNLINK = "unlink", "Unlinked"
        VISIBILITY = "visibility", "Visibility changed"
        VERIFICATION_REQUESTED = "verification_requested", "Verification requested"
        VERIFICATION_APPROVED = "verification_approved", "Verification approved"
        VERIFICATION_REJECTED = "verification_rejected", "Verification rejected"
        ADD_REQUESTED = "add_requested", "Add requested"
        ADD_APPROVED = "add_approved", "Add approved"
        ADD_REJECTED = "add_rejected", "Add rejected"
        ADD_CANCELLED = "add_cancelled", "Add cancelled"

    action = models.CharField(max_length=30, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The log outlives the profile: keep the row, and a label that says what it was.
    profile = models.ForeignKey(
        SimProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    profile_label = models.CharField(max_length=250, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.profile_label}"


class Event(models.Model):
    simulator = models.ForeignKey(Simulator, on_delete=models.PROTECT, related_name="events")
    name = models.CharField(max_length=150)
    source = models.CharField(max_length=100, blank=True, help_text="Where the results came from.")
    start_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_time", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["simulator", "name"], name="unique_event_name_per_simulator"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sim_event_detail", args=[self.pk])


class EventResultQuerySet(models.QuerySet):
    def newest_event_first(self) -> "EventResultQuerySet":
        """A driver's results, latest event first, each with its event."""
        return self.select_related("event").order_by("-event__start_time", "-event_id")

    def by_position(self) -> "EventResultQuerySet":
        """An event's results, winner first, each with its driver."""
        return self.select_related("sim_profile__simulator").order_by("position", "id")


class EventResult(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="results")
    # Results are history: a profile that raced is made private, not deleted.
    sim_profile = models.ForeignKey(SimProfile, on_delete=models.PROTECT, related_name="results")
    position = models.PositiveIntegerField()
    laps = models.PositiveIntegerField(default=0)
    best_lap_ms = models.PositiveIntegerField("best lap (ms)", null=True, blank=True)
    points = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))

    objects = EventResultQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "sim_profile"], name="one_result_per_profile_per_event"),
            models.CheckConstraint(condition=Q(position__gte=1), name="result_position_from_one"),
        ]

    def __str__(self) -> str:
        return f"P{self.position} {self.sim_profile_id} in {self.event_id}"

    @property
    def best_lap_display(self) -> str:
        if self.best_lap_ms is None:
            return "—"
        minutes, ms = divmod(self.best_lap_ms, 60_000)
        return f"{minutes}:{ms // 1000:02d}.{ms % 1000:03d}"
