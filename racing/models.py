from decimal import Decimal

from django.db import models
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.functional import cached_property

from apex.links import link
from profiles.models import RacerProfile, User
from racing.laps import LapStats, best_consecutive, lap_stats
from racing.setup_params import BY_FIELD, PARAMS, SetupParam
from racing.setup_values import SetupValues
from racing.symptoms import Symptom


class VehicleQuerySet(models.QuerySet):
    def owned_by(self, user: User | int) -> "VehicleQuerySet":
        return self.filter(racer__owner=user)

    def for_racer(self, racer: RacerProfile | int) -> "VehicleQuerySet":
        return self.filter(racer=racer)

    def with_garage_summary(self) -> "VehicleQuerySet":
        """Each vehicle with ``current_version``, ``current_baseline_id`` and ``open_race_day_id``.

        No extra queries: all three are annotations.
        """
        open_days = RaceDay.objects.filter(vehicle=OuterRef("pk"), status=RaceDay.Status.OPEN).order_by(
            "-date", "-id"
        )
        current = BaselineVersion.objects.filter(vehicle=OuterRef("pk")).newest_first()
        # Subqueries the (vehicle, number) index answers row by row, not a
        # GROUP BY over every version of every vehicle.
        return self.annotate(
            current_version=Subquery(current.values("number")[:1]),
            current_baseline_id=Subquery(current.values("pk")[:1]),
            open_race_day_id=Subquery(open_days.values("pk")[:1]),
        )


class Vehicle(models.Model):
    racer = models.ForeignKey(RacerProfile, on_delete=models.CASCADE, related_name="vehicles")
    brand = models.CharField(max_length=60)
    model = models.CharField(max_length=100)
    nickname = models.CharField(max_length=60, blank=True)
    transponder = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VehicleQuerySet.as_manager()

    class Meta:
        ordering = ["brand", "model", "nickname", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["racer", "brand", "model", "nickname"],
                name="unique_vehicle_per_racer",
                violation_error_message="This racer already has a vehicle with that brand, model and nickname.",
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.brand} {self.model}"
        return f"{label} “{self.nickname}”" if self.nickname else label

    def get_absolute_url(self) -> str:
        return link("vehicle_detail", self.pk)

    # The garage links every row to these: built without a reverse() each.
    def get_baseline_versions_url(self) -> str:
        return link("baseline_versions", self.pk)

    def get_baseline_edit_url(self) -> str:
        return link("baseline_edit", self.pk)

    def get_race_day_start_url(self) -> str:
        return f"{link('raceday_start')}?vehicle={self.pk}"

    def get_open_race_day_url(self) -> str:
        """The open race day's page; only with ``with_garage_summary()``'s ``open_race_day_id``."""
        return link("raceday_detail", self.open_race_day_id)  # type: ignore[attr-defined]  # annotated

    def current_baseline(self) -> "BaselineVersion | None":
        return self.baseline_versions.newest_first().first()


class BaselineVersionQuerySet(models.QuerySet):
    def owned_by(self, user: User) -> "BaselineVersionQuerySet":
        return self.filter(vehicle__racer__owner=user)

    def for_racer(self, racer: RacerProfile) -> "BaselineVersionQuerySet":
        return self.filter(vehicle__racer=racer)

    def newest_first(self) -> "BaselineVersionQuerySet":
        return self.order_by("-number")

    def numbers(self) -> list[int]:
        """The version numbers, newest first."""
        return list(self.newest_first().values_list("number", flat=True))

    def current_number(self) -> int:
        """The highest version number (0 when there is no version yet)."""
        return self.aggregate(n=Max("number"))["n"] or 0


class BaselineVersion(SetupValues):
    """One saved version of a vehicle's shop-master baseline.

    The current baseline is the highest-numbered version; saving never
    overwrites, it adds a version. (vehicle, number) is unique, so two saves
    based on the same version cannot both land.
    """

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="baseline_versions")
    number = models.PositiveIntegerField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BaselineVersionQuerySet.as_manager()

    class Meta(SetupValues.Meta):
        ordering = ["vehicle", "-number"]
        get_latest_by = "number"
        verbose_name = "baseline version"
        constraints = [
            *SetupValues.Meta.constraints,
            models.UniqueConstraint(fields=["vehicle", "number"], name="unique_baseline_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="baseline_version_number_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} baseline v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("baseline_version_detail", args=[self.vehicle_id, self.number])

    def get_changes_url(self) -> str:
        """What this version changed: the diff against the previous one (the vehicle page for v1)."""
        if self.number > 1:
            return f"{reverse('baseline_diff', args=[self.vehicle_id])}?a={self.number - 1}&b={self.number}"
        return reverse("vehicle_detail", args=[self.vehicle_id])


class RaceDayQuerySet(models.QuerySet):
    def owned_by(self, user: User | int) -> "RaceDayQuerySet":
        return self.filter(racer__owner=user)

    def for_racer(self, racer: RacerProfile | int) -> "RaceDayQuerySet":
        return self.filter(racer=racer)

    def open(self) -> "RaceDayQuerySet":
        return self.filter(status=RaceDay.Status.OPEN)


class RaceDay(SetupValues):
    """A day at the track: its setup starts as a copy of the vehicle's baseline."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    racer = models.ForeignKey(RacerProfile, on_delete=models.CASCADE, related_name="race_days")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="race_days")
    based_on = models.ForeignKey(
        BaselineVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="race_days"
    )
    track = models.CharField(max_length=120)
    date = models.DateField()
    surface = models.CharField(max_length=60, blank=True)
    grip = models.CharField(max_length=60, blank=True)
    temperature = models.DecimalField(
        "Temperature (°C)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    weather = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RaceDayQuerySet.as_manager()

    class Meta(SetupValues.Meta):
        ordering = ["-date", "-id"]
        verbose_name = "race day"
        indexes = [models.Index(fields=["racer", "status", "-date"], name="raceday_racer_status_idx")]
        constraints = [
            *SetupValues.Meta.constraints,
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(status="open"),
                name="one_open_race_day_per_vehicle",
                violation_error_message="This vehicle already has an open race day.",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="raceday_closed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.track} {self.date:%Y-%m-%d} ({self.vehicle})"

    def get_absolute_url(self) -> str:
        return link("raceday_detail", self.pk)

    def get_close_url(self) -> str:
        return link("raceday_close", self.pk)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def summary(self) -> str:
        """The track-log text for a closed race day: conditions, changes, rounds."""
        lines = [f"Race day at {self.track} with {self.vehicle}."]
        conditions = [
            text
            for text in (
                self.surface,
                self.grip and f"grip {self.grip}",
                self.temperature is not None and f"{self.temperature} °C",
                self.weather,
            )
            if text
        ]
        if conditions:
            lines.append("Conditions: " + ", ".join(conditions) + ".")
        changes = list(self.changes.all())
        if changes:
            lines.append("Changes:")
            for change in changes:
                why = f" ({change.reason})" if change.reason else ""
                lines.append(
                    f"- {change.param.label}: {change.old_value or '—'} → {change.new_value or '—'}"
                    f" [{change.get_status_display().lower()}]{why}"
                )
        rounds = list(self.rounds.all())
        if rounds:
            lines.append("Rounds:")
            for round_ in rounds:
                result = f": {round_.result}" if round_.result else ""
                note = f" — {round_.note}" if round_.note else ""
                lines.append(f"- {round_.get_kind_display()}{result}{note}")
        return "\n".join(lines)


class RaceDayChangeQuerySet(models.QuerySet):
    def for_racer(self, racer: RacerProfile) -> "RaceDayChangeQuerySet":
        return self.filter(race_day__racer=racer)

    def recent_parameters(self, limit: int = 5) -> list[str]:
        """The parameters changed last, newest first, each once."""
        latest = self.order_by("-created_at", "-id").values_list("parameter", flat=True)[: limit * 10]
        return list(dict.fromkeys(latest))[:limit]

    def most_changed_parameters(self, limit: int = 8) -> list[str]:
        """The parameters changed most often, most first."""
        counts = self.values("parameter").annotate(times=Count("id")).order_by("-times", "parameter")
        return [row["parameter"] for row in counts[:limit]]


class RaceDayChange(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        TRIED = "tried", "Tried"
        KEPT = "kept", "Kept"
        REVERTED = "reverted", "Reverted"

    race_day = models.ForeignKey(RaceDay, on_delete=models.CASCADE, related_name="changes")
    parameter = models.CharField(max_length=10, choices=[(p.field, p.label) for p in PARAMS])
    old_value = models.CharField(max_length=60, blank=True)
    new_value = models.CharField(max_length=60, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    # What the change was meant to fix: the advisor learns which changes
    # this racer keeps for each symptom.
    symptom = models.CharField(max_length=40, choices=Symptom.choices, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RaceDayChangeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "race-day change"

    def __str__(self) -> str:
        return f"{self.get_parameter_display()}: {self.old_value} → {self.new_value}"

    @property
    def param(self) -> SetupParam:
        return BY_FIELD[self.parameter]

    def get_status_url(self) -> str:
        """Where the race day's one-tap status buttons post (each change's row links it twice)."""
        return link("raceday_change_status", self.race_day_id, self.pk)


class RaceDayRound(models.Model):
    class Kind(models.TextChoices):
        PRACTICE = "practice", "Practice"
        QUALIFIER = "qualifier", "Qualifier"
        MAIN = "main", "Main"

    race_day = models.ForeignKey(RaceDay, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(max_length=10, choices=Kind)
    note = models.TextField(blank=True)
    result = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "race-day round"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.result}" if self.result else self.get_kind_display()

    def lap_times(self) -> list[Decimal]:
        """The round's laps in order (from ``prefetch_related("laps")`` when the list was prefetched)."""
        return [lap.time for lap in self.laps.all()]

    @cached_property
    def stats(self) -> LapStats:
        return lap_stats(self.lap_times())

    @cached_property
    def best_3(self) -> Decimal | None:
        """The best three consecutive laps' total."""
        return best_consecutive(self.lap_times(), 3)


class RaceDayLap(models.Model):
    """One lap of a round: one row per lap, so both databases keep and check every time the same way."""

    round = models.ForeignKey(RaceDayRound, on_delete=models.CASCADE, related_name="laps")
    lap_no = models.PositiveIntegerField("lap")
    # Seconds to the millisecond, up to an hour (racing.laps.MAX_LAP).
    time = models.DecimalField(max_digits=7, decimal_places=3)

    class Meta:
        ordering = ["round", "lap_no"]
        verbose_name = "race-day lap"
        constraints = [
            models.UniqueConstraint(fields=["round", "lap_no"], name="unique_raceday_lap_no"),
            models.CheckConstraint(condition=Q(lap_no__gte=1), name="raceday_lap_no_from_1"),
            models.CheckConstraint(
                condition=Q(time__gt=0) & Q(time__lte=3600), name="raceday_lap_time_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Lap {self.lap_no}: {self.time} s"


class TrackLogQuerySet(models.QuerySet):
    def owned_by(self, user: User | int) -> "TrackLogQuerySet":
        return self.filter(racer__owner=user)

    def for_racer(self, racer: RacerProfile | int) -> "TrackLogQuerySet":
        return self.filter(racer=racer)

    def tracks(self) -> list[str]:
        """The distinct tracks, for the filter."""
        return list(self.order_by("track").values_list("track", flat=True).distinct())

    def filtered(self, *, track: str = "", vehicle: int | None = None) -> "TrackLogQuerySet":
        qs = self
        if track:
            qs = qs.filter(track__iexact=track)
        if vehicle:
            qs = qs.filter(vehicle_id=vehicle)
        return qs


class TrackLog(models.Model):
    racer = models.ForeignKey(RacerProfile, on_delete=models.CASCADE, related_name="track_logs")
    timestamp = models.DateTimeField()
    track = models.CharField(max_length=120)
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.SET_NULL, null=True, blank=True, related_name="track_logs"
    )
    event = models.CharField(max_length=120, blank=True)
    note = models.TextField(blank=True)
    race_day = models.ForeignKey(
        RaceDay, on_delete=models.SET_NULL, null=True, blank=True, related_name="track_logs"
    )
    # A fingerprint of the imported legacy row, so re-imports add nothing.
    import_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrackLogQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = "track log"
        indexes = [models.Index(fields=["racer", "-timestamp"], name="tracklog_racer_time_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["racer", "import_key"], condition=~Q(import_key=""), name="unique_tracklog_import_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.track}"

    def get_edit_url(self) -> str:
        return link("tracklog_edit", self.pk)

    def get_delete_url(self) -> str:
        return link("tracklog_delete", self.pk)


class IdempotencyKey(models.Model):
    """A write a user has made, under the key its form or client gave it (``racing.idempotency``).

    A repeat with the same key (a double tap, a resend after a lost answer,
    the offline queue) creates nothing and gets this first answer back. The
    key is unique per user, so two copies arriving at once cannot both write.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="idempotency_keys")
    key = models.UUIDField()
    path = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField()
    # The answer's Location, Content-Type and HX-* headers, and its body.
    headers = models.JSONField(default=dict)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "idempotency key"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.path} → {self.status_code}"
