from django.conf import settings
from django.db import connections, models
from django.db.models import Func, Max, OuterRef, Q, Subquery
from django.db.models.lookups import IContains
from django.urls import reverse

from profiles.models import RacerProfile
from racing.setup_params import BY_FIELD, PARAMS
from racing.setup_values import SetupValues

LIBRARY_SEARCH_MAX_WORDS = 8
LIBRARY_SEARCH_MIN_CONTAINS = 3  # shorter words match the start of a field


class VehicleQuerySet(models.QuerySet):
    def owned_by(self, user) -> "VehicleQuerySet":
        return self.filter(racer__owner=user)

    def for_racer(self, racer) -> "VehicleQuerySet":
        return self.filter(racer=racer)

    def with_garage_summary(self) -> "VehicleQuerySet":
        """Each vehicle with ``current_version``, ``current_baseline_id`` and ``open_race_day_id``.

        No extra queries: all three are annotations.
        """
        open_days = RaceDay.objects.filter(vehicle=OuterRef("pk"), status=RaceDay.Status.OPEN).order_by(
            "-date", "-id"
        )
        current = BaselineVersion.objects.filter(vehicle=OuterRef("pk")).order_by("-number")
        return self.annotate(
            current_version=Max("baseline_versions__number"),
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
        return reverse("vehicle_detail", args=[self.pk])

    def current_baseline(self) -> "BaselineVersion | None":
        return self.baseline_versions.order_by("-number").first()


class BaselineVersionQuerySet(models.QuerySet):
    def owned_by(self, user) -> "BaselineVersionQuerySet":
        return self.filter(vehicle__racer__owner=user)


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


class SearchLines(Func):
    """Text fields joined one per line after a leading line break (PostgreSQL).

    Reads exactly like the expression migration 0004 indexes with trigrams.
    """

    template = "(E'\\n' || %(expressions)s)"
    arg_joiner = " || E'\\n' || "
    output_field = models.TextField()


class LibrarySetupQuerySet(models.QuerySet):
    """Reads for the public library."""

    SEARCH_FIELDS = ("track", "brand", "vehicle", "condition", "source")

    def search(self, q: str) -> "LibrarySetupQuerySet":
        """Every word of ``q`` must match one of the text fields, ignoring case.

        Words of three characters or more match anywhere in a field; shorter
        ones match the start of a field (no trigram index helps with one or
        two letters). On PostgreSQL the words are matched against the fields
        joined one per line, the expression that migration 0004 indexes with
        trigrams: one indexed condition instead of five ORed ones. SQLite runs
        the same match field by field.
        """
        qs = self
        terms = (q or "").split()[:LIBRARY_SEARCH_MAX_WORDS]
        if connections[self.db].vendor == "postgresql":
            for term in terms:
                qs = qs.filter(qs._search_expression_matches(term))
            return qs
        for term in terms:
            lookup = "icontains" if len(term) >= LIBRARY_SEARCH_MIN_CONTAINS else "istartswith"
            qs = qs.filter(
                Q(*[(f"{field}__{lookup}", term) for field in self.SEARCH_FIELDS], _connector=Q.OR)
            )
        return qs

    def _search_expression_matches(self, term: str) -> IContains:
        # A field starts with the word when the word follows a line break.
        word = term if len(term) >= LIBRARY_SEARCH_MIN_CONTAINS else f"\n{term}"
        return IContains(SearchLines(*self.SEARCH_FIELDS), word)

    def filtered(
        self, *, track: str = "", brand: str = "", vehicle: str = "", condition: str = ""
    ) -> "LibrarySetupQuerySet":
        filters = {"track": track, "brand": brand, "vehicle": vehicle, "condition": condition}
        return self.filter(**{f"{name}__iexact": value for name, value in filters.items() if value})

    def choices_for(self, field: str) -> list[str]:
        """The distinct non-blank values of one filter field, for a select."""
        return list(self.exclude(**{field: ""}).order_by(field).values_list(field, flat=True).distinct())


class LibrarySetup(SetupValues):
    """A community setup: anyone can browse; the author or staff edit."""

    track = models.CharField(max_length=120)
    brand = models.CharField(max_length=60)
    vehicle = models.CharField(max_length=100)
    condition = models.CharField(max_length=60, blank=True)
    date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_setups",
    )
    # A fingerprint of the imported legacy row, so re-imports add nothing.
    import_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LibrarySetupQuerySet.as_manager()

    class Meta(SetupValues.Meta):
        ordering = ["-date", "-id"]
        constraints = [
            *SetupValues.Meta.constraints,
            models.UniqueConstraint(
                fields=["added_by", "import_key"],
                condition=~Q(import_key=""),
                name="unique_library_import_row",
            ),
        ]
        indexes = [models.Index(fields=["track", "brand", "vehicle"], name="library_track_brand_idx")]

    def __str__(self) -> str:
        return f"{self.brand} {self.vehicle} @ {self.track}"

    def get_absolute_url(self) -> str:
        return reverse("library_detail", args=[self.pk])

    def can_edit(self, user) -> bool:
        return user.is_authenticated and (user.is_staff or self.added_by_id == user.pk)


class RaceDayQuerySet(models.QuerySet):
    def owned_by(self, user) -> "RaceDayQuerySet":
        return self.filter(racer__owner=user)

    def for_racer(self, racer) -> "RaceDayQuerySet":
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
        return reverse("raceday_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


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
    status = models.CharField(max_length=10, choices=Status, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "race-day change"

    def __str__(self) -> str:
        return f"{self.get_parameter_display()}: {self.old_value} → {self.new_value}"

    @property
    def param(self):
        return BY_FIELD[self.parameter]


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


class TrackLogQuerySet(models.QuerySet):
    def owned_by(self, user) -> "TrackLogQuerySet":
        return self.filter(racer__owner=user)

    def for_racer(self, racer) -> "TrackLogQuerySet":
        return self.filter(racer=racer)

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
