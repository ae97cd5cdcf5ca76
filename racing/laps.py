"""Lap times: read them as timing screens and exports show them, and sum them up.

A lap time is a ``Decimal`` number of seconds with at most three decimals
(timing loops resolve to the millisecond), so averages and totals never
pick up binary floating-point noise.
"""

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

# Commas, semicolons and any white space (spaces, tabs, new lines) separate laps.
_SEPARATORS = re.compile(r"[,;\s]+")
# ``32.451`` or ``1:02.004`` (minutes:seconds, the seconds below 60).
_LAP = re.compile(
    r"^(?:(?P<minutes>\d{1,3}):(?P<sec2>\d{1,2}(?:\.\d{1,3})?)|(?P<seconds>\d{1,4}(?:\.\d{1,3})?))$"
)

# The longest lap the database keeps (seconds): a lap over an hour is a typo.
MAX_LAP = Decimal("3600")
MILLISECOND = Decimal("0.001")


def parse_lap(text: str) -> Decimal:
    """One lap time in seconds; ``ValidationError`` quoting ``text`` when it is not one."""
    match = _LAP.match(text)
    if match is None:
        raise ValidationError(
            f"“{text}” is not a lap time: write seconds (32.451) or minutes:seconds (1:02.004).",
            code="invalid_lap",
        )
    if match["minutes"] is not None:
        seconds = Decimal(match["sec2"])
        if seconds >= 60:
            raise ValidationError(
                f"“{text}” is not a lap time: the seconds after the colon must be below 60.",
                code="invalid_lap",
            )
        lap = int(match["minutes"]) * 60 + seconds
    else:
        lap = Decimal(match["seconds"])
    if lap <= 0:
        raise ValidationError(f"“{text}” is not a lap time: a lap takes longer than 0 s.", code="invalid_lap")
    if lap > MAX_LAP:
        raise ValidationError(f"“{text}” is not a lap time: it is longer than an hour.", code="invalid_lap")
    return lap


def parse_lap_times(text: str) -> list[Decimal]:
    """Every lap in ``text``, in order; the first bad value stops it with an error that quotes it."""
    return [parse_lap(token) for token in _SEPARATORS.split(text.strip()) if token]


def format_lap(lap: Decimal | None) -> str:
    """``32.451`` below a minute, ``1:02.004`` from a minute on; ``—`` for no lap."""
    if lap is None:
        return "—"
    lap = lap.quantize(MILLISECOND, rounding=ROUND_HALF_UP)
    if lap < 60:
        return f"{lap:.3f}"
    minutes, seconds = divmod(lap, 60)
    return f"{int(minutes)}:{seconds:06.3f}"


@dataclass(frozen=True)
class LapStats:
    count: int
    best: Decimal | None
    average: Decimal | None
    median: Decimal | None
    # The population standard deviation of the laps: lower is more consistent.
    std_dev: Decimal | None


def _ms(value: Decimal) -> Decimal:
    return value.quantize(MILLISECOND, rounding=ROUND_HALF_UP)


def lap_stats(laps: Sequence[Decimal]) -> LapStats:
    """Count, best, average, median and standard deviation, each to the millisecond; ``None`` without laps."""
    if not laps:
        return LapStats(count=0, best=None, average=None, median=None, std_dev=None)
    return LapStats(
        count=len(laps),
        best=min(laps),
        average=_ms(statistics.mean(laps)),
        median=_ms(statistics.median(laps)),
        std_dev=_ms(statistics.pstdev(laps)),
    )


def best_consecutive(laps: Sequence[Decimal], n: int) -> Decimal | None:
    """The lowest total of ``n`` consecutive laps, or ``None`` when there are fewer than ``n``."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}.")
    if len(laps) < n:
        return None
    window = sum(laps[:n], Decimal(0))
    best = window
    for i in range(n, len(laps)):
        window += laps[i] - laps[i - n]
        best = min(best, window)
    return best
