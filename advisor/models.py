"""The theory library and the advisor's rules, all of it data the admin can edit.

- ``TheoryDocument``: setup theory (Markdown, text or PDF text), searchable.
- ``ParameterStep``: what "one step" of each setup parameter is, and its words.
- ``AdviceRule``: for a symptom, which parameter to move which way, and why.
- ``ConditionBoost``: how the day's conditions raise or lower a rule, and why.
"""

from decimal import Decimal

from django.db import connections, models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse

from advisor import search
from racing.setup_params import FIELD_NAMES, PARAMS
from racing.symptoms import Symptom

PARAMETER_CHOICES = [(p.field, p.label) for p in PARAMS]
MAX_CONTENT_CHARS = 300_000  # far above any setup article; keeps to_tsvector well inside its 1 MB


class Topic(models.TextChoices):
    """The setup area a theory document explains (and the parameters it backs)."""

    DIFFS = "diffs", "Diff oils"
    SHOCK_OIL = "shock_oil", "Shock oil and pistons"
    SPRINGS = "springs", "Springs"
    SWAY_BARS = "sway_bars", "Sway bars"
    TOE = "toe", "Toe"
    CAMBER = "camber", "Camber"
    RIDE_HEIGHT = "ride_height", "Ride height"
    SHOCK_POSITIONS = "shock_positions", "Shock positions"
    TYRES = "tyres", "Tyres"
    ENGINE = "engine", "Engine, clutch and gearing"
    GENERAL = "general", "General"


class Direction(models.IntegerChoices):
    UP = 1, "Increase"
    DOWN = -1, "Decrease"


class Condition(models.TextChoices):
    """Track conditions read from a race day's surface, grip, weather and temperature."""

    HIGH_GRIP = "high_grip", "High grip"
    LOW_GRIP = "low_grip", "Low grip"
    WET = "wet", "Wet"
    ROUGH = "rough", "Rough or bumpy"
    HOT = "hot", "Hot (28 °C or more)"
    COLD = "cold", "Cold (12 °C or less)"


class TheoryDocumentQuerySet(models.QuerySet):
    def search(self, q: str) -> "TheoryDocumentQuerySet":
        """Documents with every word of ``q``, best match first, each with ``rank`` and ``snippet``.

        Full-text on both databases: PostgreSQL matches the stored
        ``search_vector`` (title weighted above content, English stemming, a
        GIN index; migration 0002) and highlights with ``ts_headline``;
        SQLite matches an FTS5 table kept by triggers (porter stemming) and
        highlights with ``snippet()``. ``snippet`` marks matches between
        ``search.MARK_START`` and ``search.MARK_END``; ``highlighted()``
        turns that into safe HTML. Words only: no operators, and English
        stop words are left out on both, so a query means the same on each.
        """
        words = search.words(q)
        if not words:
            return self.none()
        if connections[self.db].vendor == "postgresql":
            return search.postgres_search(self, words)
        return search.sqlite_search(self, words)


class TheoryDocument(models.Model):
    filename = models.CharField(max_length=255, unique=True)
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Topic.choices, default=Topic.GENERAL)
    content = models.TextField()
    # Where the text came from: the imported file's path, or "upload:<name>".
    # Uploaded files are not kept: the app's containers are stateless, so the
    # extracted text in the database is the document.
    file_path = models.CharField(max_length=500, blank=True)
    # SHA-256 of the extracted text: importing the same text again finds it.
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TheoryDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["category", "title", "id"]
        verbose_name = "theory document"
        constraints = [
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("content"), MAX_CONTENT_CHARS)) & ~Q(content=""),
                name="theory_document_content_size",
                violation_error_message=f"A theory document holds 1 to {MAX_CONTENT_CHARS:,} characters.",
            ),
            models.CheckConstraint(condition=Q(category__in=Topic.values), name="theory_document_category"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("theory_detail", args=[self.pk])


class ParameterStep(models.Model):
    """One sensible step of a setup parameter, and the words for each direction.

    Numeric parameters step along ``ladder`` (the sizes sold, e.g. diff oils
    in cSt) when it is set, else by ``step``; text parameters (springs,
    pistons, tyres, clutch, pipe) have neither and are advised in words.
    """

    parameter = models.CharField(max_length=10, choices=PARAMETER_CHOICES, unique=True)
    category = models.CharField(max_length=20, choices=Topic.choices)
    step = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    ladder = models.TextField(blank=True, help_text="Comma-separated values, smallest first.")
    increase_words = models.CharField(max_length=120, help_text="e.g. “thicker”")
    decrease_words = models.CharField(max_length=120, help_text="e.g. “thinner”")

    class Meta:
        ordering = ["parameter"]
        constraints = [
            models.CheckConstraint(
                condition=Q(step__isnull=True) | Q(step__gt=0), name="parameter_step_positive"
            ),
            models.CheckConstraint(condition=Q(parameter__in=FIELD_NAMES), name="parameter_step_parameter"),
        ]

    def __str__(self) -> str:
        return self.get_parameter_display()

    def words(self, direction: int) -> str:
        return self.increase_words if direction > 0 else self.decrease_words

    def ladder_values(self) -> list[Decimal]:
        return sorted(Decimal(v.strip()) for v in self.ladder.split(",") if v.strip())


class AdviceRule(models.Model):
    """For a symptom: move ``parameter`` in ``direction``; ``weight`` says how much it helps."""

    symptom = models.CharField(max_length=40, choices=Symptom.choices)
    parameter = models.CharField(max_length=10, choices=PARAMETER_CHOICES)
    direction = models.SmallIntegerField(choices=Direction.choices)
    weight = models.PositiveSmallIntegerField(
        default=3, help_text="1 (a small help) to 10 (the first thing to try)."
    )
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["symptom", "-weight", "parameter"]
        verbose_name = "advice rule"
        constraints = [
            models.UniqueConstraint(fields=["symptom", "parameter", "direction"], name="unique_advice_rule"),
            models.CheckConstraint(condition=Q(direction__in=[1, -1]), name="advice_rule_direction"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=10), name="advice_rule_weight"),
            models.CheckConstraint(condition=Q(symptom__in=Symptom.values), name="advice_rule_symptom"),
            models.CheckConstraint(condition=Q(parameter__in=FIELD_NAMES), name="advice_rule_parameter"),
        ]

    def __str__(self) -> str:
        arrow = "↑" if self.direction > 0 else "↓"
        return f"{self.get_symptom_display()}: {self.get_parameter_display()} {arrow}"


class ConditionBoost(models.Model):
    """In a condition, a change scores ``boost`` more (or less), and the reason gains ``note``.

    A blank symptom applies to the change whatever the symptom.
    """

    condition = models.CharField(max_length=20, choices=Condition.choices)
    symptom = models.CharField(max_length=40, choices=Symptom.choices, blank=True)
    parameter = models.CharField(max_length=10, choices=PARAMETER_CHOICES)
    direction = models.SmallIntegerField(choices=Direction.choices)
    boost = models.SmallIntegerField(help_text="-5 to 5, added to the rule's weight.")
    note = models.CharField(max_length=200, help_text="One sentence, added to the reason.")

    class Meta:
        ordering = ["condition", "symptom", "parameter"]
        verbose_name = "condition boost"
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "symptom", "parameter", "direction"], name="unique_condition_boost"
            ),
            models.CheckConstraint(condition=Q(direction__in=[1, -1]), name="condition_boost_direction"),
            models.CheckConstraint(condition=Q(boost__gte=-5, boost__lte=5), name="condition_boost_range"),
            models.CheckConstraint(
                condition=Q(condition__in=Condition.values), name="condition_boost_condition"
            ),
            models.CheckConstraint(
                condition=Q(symptom="") | Q(symptom__in=Symptom.values), name="condition_boost_symptom"
            ),
            models.CheckConstraint(condition=Q(parameter__in=FIELD_NAMES), name="condition_boost_parameter"),
        ]

    def __str__(self) -> str:
        arrow = "↑" if self.direction > 0 else "↓"
        return f"{self.get_condition_display()}: {self.get_parameter_display()} {arrow} {self.boost:+d}"
