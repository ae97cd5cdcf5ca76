"""The advisor: for the symptoms a racer feels, what to change, by how much, why, and what worked before.

Everything it knows is data (``AdviceRule``, ``ParameterStep``,
``ConditionBoost``, theory documents, the racer's race-day changes and the
setup library); this module only combines it. ``racing.advisor`` is the
public entry point.
"""

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TypeAlias

from advisor.models import AdviceRule, Condition, ConditionBoost, ParameterStep, TheoryDocument
from library.models import LibrarySetup
from profiles.models import RacerProfile
from racing.models import RaceDayChange
from racing.setup_params import BY_FIELD, DECIMAL, FIELD_NAMES, INT, SetupParam, Value
from racing.symptoms import SYMPTOMS

SOURCES_PER_TOPIC = 3
COMMUNITY_SAMPLE = 200  # newest library setups at the track that the medians read
HOT_FROM, COLD_UP_TO = Decimal(28), Decimal(12)  # °C

HIGH_GRIP_WORDS = ("high", "blue", "grippy", "sticky", "groove", "good grip")
LOW_GRIP_WORDS = ("low", "loose", "dust", "slip", "poor", "greasy", "sandy")
WET_WORDS = ("wet", "rain", "mud", "damp", "soaked", "puddle")
ROUGH_WORDS = ("bump", "rough", "rut", "chop", "holes", "rutted")

# Where the advisor reads named values: a mapping (a form's cleaned data, a
# dict) or any object with them as attributes (a race day, a baseline version).
Source: TypeAlias = Mapping[str, object] | object


@dataclass(frozen=True)
class Evidence:
    """What library setups at this track run for a parameter."""

    value: Decimal | str
    text: str  # the value as a person reads it, with its unit
    count: int  # setups with a value for this parameter
    where: str  # "Genk" or "Genk, similar conditions"


@dataclass
class Suggestion:
    """One change, one sensible step, with its reasons and this racer's history of it."""

    parameter: str
    direction: int
    new_value: Decimal | int | None
    reason: str
    sources: list[TheoryDocument] = field(default_factory=list)
    tried: int = 0
    kept: int = 0
    reverted: int = 0
    symptom: str = ""  # the ticked symptom it answers best
    symptoms: list[str] = field(default_factory=list)  # every ticked symptom it answers
    old_value: Decimal | int | str | None = None
    advice: str = ""  # what to do, in words: "Thinner front diff oil: 7000 → 6000 cSt"
    community: Evidence | None = None
    conditions: list[str] = field(default_factory=list)  # the conditions that moved it
    score: int = 0

    @property
    def param(self) -> SetupParam:
        return BY_FIELD[self.parameter]

    @property
    def history(self) -> str:
        """ "kept 2 of 3 times", "reverted 1 of 1 time", or "" when never tried."""
        if not self.tried:
            return ""
        times = "time" if self.tried == 1 else "times"
        if self.kept:
            return f"kept {self.kept} of {self.tried} {times}"
        if self.reverted:
            return f"reverted {self.reverted} of {self.tried} {times}"
        return f"tried {self.tried} {times}, not kept yet"

    @property
    def needs_typing(self) -> bool:
        """No concrete value to offer: the racer types the new one (text parameters, unset numbers)."""
        return self.new_value is None

    @property
    def symptom_labels(self) -> list[str]:
        return [SYMPTOMS[code] for code in self.symptoms]

    @property
    def old_text(self) -> str:
        return self.param.format(self.old_value) if self.old_value not in (None, "") else ""

    @property
    def new_text(self) -> str:
        return self.param.format(self.new_value) if self.new_value is not None else ""


def advise(
    *,
    setup: Source,
    symptoms: Iterable[str],
    conditions: Source | None = None,
    racer: RacerProfile | None = None,
) -> list[Suggestion]:
    """Suggestions for the ticked ``symptoms``, best first.

    ``setup``: a mapping of the 24 field names to values, or any object with
    them as attributes (a race day, a baseline version). ``conditions``: a
    mapping or object with ``surface``, ``grip``, ``temperature``,
    ``weather`` and ``track`` (a race day will do); the track lets library
    setups there show what others run. ``racer``: whose race-day changes
    rank the suggestions (kept before never tried before reverted).

    A numeric suggestion moves one step (``ParameterStep``) and never past
    the parameter's range: one already at its limit is left out. Text
    parameters (springs, pistons, tyres, clutch, pipe) and numeric ones with
    no value yet get ``new_value=None`` and the advice in words. When the
    symptoms pull one parameter both ways, the stronger direction wins.
    """
    codes = _symptom_codes(symptoms)
    if not codes:
        return []
    values = setup_values(setup)
    tags = condition_tags(conditions)
    steps = {step.parameter: step for step in ParameterStep.objects.all()}
    boosts = _boosts(tags, codes)

    candidates: dict[tuple[str, int], Suggestion] = {}
    for rule in AdviceRule.objects.filter(symptom__in=codes).order_by("-weight", "pk"):
        step = steps.get(rule.parameter)
        if step is None:
            continue
        param = BY_FIELD[rule.parameter]
        current = values.get(rule.parameter)
        new_value = None
        if param.is_numeric and current is not None:
            new_value = next_value(param, step, current, rule.direction)
            if new_value is None:
                continue  # at its limit that way
        key = (rule.parameter, rule.direction)
        suggestion = candidates.get(key)
        if suggestion is None:
            suggestion = candidates[key] = Suggestion(
                parameter=rule.parameter,
                direction=rule.direction,
                new_value=new_value,
                reason=rule.reason,
                symptom=rule.symptom,
                old_value=current,
                advice=_advice_text(param, step, rule.direction, current, new_value),
            )
        suggestion.symptoms.append(rule.symptom)
        suggestion.score += rule.weight
        for boost in boosts.get((rule.symptom, rule.parameter, rule.direction), []):
            suggestion.score += boost.boost
            if boost.note not in suggestion.conditions:
                suggestion.conditions.append(boost.note)

    suggestions = _strongest_direction(candidates.values())
    for suggestion in suggestions:
        if suggestion.conditions:
            # One or two sentences: the theory, then what today's conditions add.
            suggestion.reason = f"{suggestion.reason} {suggestion.conditions[0]}"
    _add_sources(suggestions, steps)
    if racer is not None:
        _add_history(suggestions, racer, codes)
    track = _get(conditions, "track") if conditions is not None else ""
    if track:
        _add_community(suggestions, str(track), conditions, tags)
    suggestions.sort(key=_rank)
    return suggestions


# --- inputs ------------------------------------------------------------------------


def _symptom_codes(symptoms: Iterable[str]) -> list[str]:
    codes: list[str] = []
    for code in symptoms:
        if code not in SYMPTOMS:
            raise ValueError(f"Unknown symptom {code!r}; known: {', '.join(SYMPTOMS)}")
        if code not in codes:
            codes.append(code)
    return codes


def _get(source: Source, name: str) -> object:
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


def setup_values(setup: Source) -> dict[str, Value]:
    """The 24 values, typed: numbers as int/Decimal (None when unset or unreadable), text as str."""
    values: dict[str, Value] = {}
    for name in FIELD_NAMES:
        param = BY_FIELD[name]
        raw = _get(setup, name)
        if not param.is_numeric:
            values[name] = "" if raw is None else str(raw).strip()
            continue
        try:
            number = None if raw is None or str(raw).strip() == "" else Decimal(str(raw).strip())
        except InvalidOperation:
            number = None
        if number is not None and not number.is_finite():
            number = None
        values[name] = int(number) if number is not None and param.kind == INT else number
    return values


def condition_tags(conditions: Source | None) -> set[str]:
    """The ``Condition`` values a race day's free-text conditions and temperature point to."""
    if conditions is None:
        return set()
    grip = str(_get(conditions, "grip") or "").lower()
    surface = str(_get(conditions, "surface") or "").lower()
    weather = str(_get(conditions, "weather") or "").lower()
    tags: set[str] = set()
    if any(word in f"{grip} {surface}" for word in HIGH_GRIP_WORDS):
        tags.add(Condition.HIGH_GRIP)
    if any(word in f"{grip} {surface}" for word in LOW_GRIP_WORDS):
        tags.add(Condition.LOW_GRIP)
    if any(word in f"{surface} {weather}" for word in WET_WORDS):
        tags.add(Condition.WET)
    if any(word in surface for word in ROUGH_WORDS):
        tags.add(Condition.ROUGH)
    temperature = _get(conditions, "temperature")
    try:
        degrees = None if temperature in (None, "") else Decimal(str(temperature))
    except InvalidOperation:
        degrees = None
    if degrees is not None and degrees.is_finite():
        if degrees >= HOT_FROM:
            tags.add(Condition.HOT)
        elif degrees <= COLD_UP_TO:
            tags.add(Condition.COLD)
    return {str(tag) for tag in tags}


# --- one step ------------------------------------------------------------------------


def next_value(
    param: SetupParam, step: ParameterStep, current: Value, direction: int
) -> Decimal | int | None:
    """One step from ``current`` in ``direction``, inside the parameter's range; None at the limit."""
    if not param.is_numeric or current is None:
        return None
    now = Decimal(str(current))
    low, high = (Decimal(bound) for bound in param.bounds)
    ladder = step.ladder_values()
    if ladder:
        ahead = [v for v in ladder if (v - now) * direction > 0]
        target = (min(ahead) if direction > 0 else max(ahead)) if ahead else (high if direction > 0 else low)
    elif step.step:
        target = now + direction * step.step
    else:
        return None
    target = min(max(target, low), high)
    if (target - now) * direction <= 0:
        return None
    if param.kind == INT:
        return int(target)
    return target.quantize(Decimal("0.01"))


def _advice_text(
    param: SetupParam, step: ParameterStep, direction: int, current: Value, new_value: Decimal | int | None
) -> str:
    words = step.words(direction)
    words = words[:1].upper() + words[1:]
    unit = f" {param.unit}" if param.unit and param.unit != "°" else param.unit
    if new_value is not None:
        return f"{words}: {param.format(current)} → {param.format(new_value)}{unit}"
    if param.is_numeric:
        return f"{words} (the setup has no {param.label.lower()} yet: note it to get a concrete step)"
    return f"{words} (now {current})" if current else words


# --- combining -----------------------------------------------------------------------


def _boosts(tags: set[str], codes: list[str]) -> dict[tuple[str, str, int], list[ConditionBoost]]:
    """Boosts by (symptom, parameter, direction); a boost for any symptom is filed under each."""
    found: dict[tuple[str, str, int], list[ConditionBoost]] = defaultdict(list)
    if not tags:
        return found
    rows = ConditionBoost.objects.filter(condition__in=tags).order_by("-boost", "pk")
    for boost in rows:
        for code in [boost.symptom] if boost.symptom else codes:
            if code in codes:
                found[(code, boost.parameter, boost.direction)].append(boost)
    return found


def _strongest_direction(candidates: Iterable[Suggestion]) -> list[Suggestion]:
    best: dict[str, Suggestion] = {}
    for suggestion in candidates:
        held = best.get(suggestion.parameter)
        if held is None or suggestion.score > held.score:
            best[suggestion.parameter] = suggestion
    return list(best.values())


def _add_sources(suggestions: list[Suggestion], steps: dict[str, ParameterStep]) -> None:
    topics = {steps[s.parameter].category for s in suggestions}
    by_topic: dict[str, list[TheoryDocument]] = defaultdict(list)
    documents = TheoryDocument.objects.filter(category__in=topics).only("pk", "title", "category")
    for document in documents.order_by("created_at", "pk"):
        if len(by_topic[document.category]) < SOURCES_PER_TOPIC:
            by_topic[document.category].append(document)
    for suggestion in suggestions:
        suggestion.sources = by_topic[steps[suggestion.parameter].category]


def change_direction(parameter: str, old_value: str, new_value: str) -> int:
    """+1 / -1 for a numeric change that went up / down; 0 when unknown or for text parameters."""
    param = BY_FIELD.get(parameter)
    if param is None or not param.is_numeric:
        return 0
    try:
        old, new = Decimal(old_value), Decimal(new_value)
    except (InvalidOperation, TypeError):
        return 0
    return (new > old) - (new < old)


def _add_history(suggestions: list[Suggestion], racer: RacerProfile, codes: list[str]) -> None:
    """How often this racer tried, kept and reverted each change for these symptoms.

    A numeric change counts when it went the same way; for text parameters
    the direction cannot be read from the values, so any change counts.
    """
    if not suggestions:
        return
    counts: Counter[tuple[str, str, int, str]] = Counter()
    rows = (
        RaceDayChange.objects.filter(
            race_day__racer=racer, symptom__in=codes, parameter__in=[s.parameter for s in suggestions]
        )
        .exclude(status=RaceDayChange.Status.PLANNED)
        .values_list("symptom", "parameter", "old_value", "new_value", "status")
    )
    for symptom, parameter, old_value, new_value, status in rows:
        counts[(symptom, parameter, change_direction(parameter, old_value, new_value), status)] += 1
    for suggestion in suggestions:
        direction = suggestion.direction if suggestion.param.is_numeric else 0
        for symptom in suggestion.symptoms:
            tried = kept = reverted = 0
            Status = RaceDayChange.Status
            for status in (Status.TRIED, Status.KEPT, Status.REVERTED):
                n = counts[(symptom, suggestion.parameter, direction, status)]
                tried += n
                kept += n if status == Status.KEPT else 0
                reverted += n if status == Status.REVERTED else 0
            suggestion.tried += tried
            suggestion.kept += kept
            suggestion.reverted += reverted


def _add_community(suggestions: list[Suggestion], track: str, conditions: Source, tags: set[str]) -> None:
    """The median (numbers) or most common value (text) that library setups at this track run."""
    if not suggestions:
        return
    names = sorted({s.parameter for s in suggestions})
    rows = list(
        LibrarySetup.objects.filter(track__iexact=track.strip())
        .order_by("-date", "-id")
        .values("condition", *names)[:COMMUNITY_SAMPLE]
    )
    if not rows:
        return
    texts = {str(_get(conditions, name) or "").strip().lower() for name in ("surface", "grip", "weather")} - {
        ""
    }
    similar = [
        row
        for row in rows
        if row["condition"].strip().lower() in texts
        or (tags and tags & condition_tags({"grip": row["condition"], "surface": row["condition"]}))
    ]
    where = f"{track.strip()}, similar conditions" if similar else track.strip()
    sample = similar or rows
    for suggestion in suggestions:
        suggestion.community = _evidence(
            suggestion.param, [row[suggestion.parameter] for row in sample], where
        )


def _evidence(param: SetupParam, raw: list, where: str) -> Evidence | None:
    if param.is_numeric:
        numbers = [Decimal(value) for value in raw if value is not None]
        if not numbers:
            return None
        median = Decimal(statistics.median(numbers))
        if param.kind == DECIMAL:
            median = median.quantize(Decimal("0.01"))
        unit = f" {param.unit}" if param.unit and param.unit != "°" else param.unit
        setups = "setup" if len(numbers) == 1 else "setups"
        return Evidence(
            median, f"median {param.format(median)}{unit} of {len(numbers)} {setups}", len(numbers), where
        )
    words = Counter(value.strip() for value in raw if value and value.strip())
    if not words:
        return None
    common, n = words.most_common(1)[0]
    total = sum(words.values())
    return Evidence(common, f"{common} on {n} of {total} setup{'s' if total != 1 else ''}", total, where)


def _rank(suggestion: Suggestion) -> tuple[int, float, int, int, int]:
    """Kept before never tried before reverted; then how often kept; then the rules' score."""
    if suggestion.kept:
        tier = 0
    elif suggestion.reverted:
        tier = 2
    else:
        tier = 1
    kept_share = suggestion.kept / suggestion.tried if suggestion.tried else 0
    return (
        tier,
        -kept_share,
        -suggestion.score,
        FIELD_NAMES.index(suggestion.parameter),
        -suggestion.direction,
    )
