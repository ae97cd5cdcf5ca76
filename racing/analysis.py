"""Post-event analysis: a race day's laps per round with its setup changes, comparisons, a vehicle's history.

Each function takes rows the view already fetched (rounds with their laps
prefetched) and returns what the page shows: a chart (``apex.charts``) and
the same numbers as table rows, the chart's text alternative.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from apex.charts import Datum, LineChart, date_axis, line_chart
from racing.laps import LapStats, best_consecutive, format_lap, lap_stats
from racing.models import RaceDay, RaceDayChange, RaceDayRound


def lap_axis(value: float) -> str:
    """An axis label for seconds: ``32.5`` below a minute, ``1:05`` above."""
    if value < 60:
        return f"{value:g}"
    minutes, seconds = divmod(value, 60)
    return f"{int(minutes)}:{seconds:04.1f}" if seconds % 1 else f"{int(minutes)}:{int(seconds):02d}"


@dataclass(frozen=True)
class LapSet:
    """Laps to compare: one round, or a whole race day's rounds one after the other."""

    key: str  # "round:12" or "day:3"
    name: str
    laps: list[Decimal]

    @property
    def stats(self) -> LapStats:
        return lap_stats(self.laps)

    @property
    def best_3(self) -> Decimal | None:
        return best_consecutive(self.laps, 3)


@dataclass(frozen=True)
class RoundRow:
    number: int
    round: RaceDayRound
    name: str
    laps: list[Decimal]
    stats: LapStats
    best_3: Decimal | None
    changes_before: list[RaceDayChange]


@dataclass(frozen=True)
class DayAnalysis:
    race_day: RaceDay
    rounds: list[RoundRow]
    changes_after: list[RaceDayChange]  # recorded after the last round
    chart: LineChart
    lap_table: list[tuple[int, list[Decimal | None]]]  # lap number, the lap of each round

    @property
    def round_names(self) -> list[str]:
        return [row.name for row in self.rounds]


def round_name(number: int, round_: RaceDayRound) -> str:
    return f"R{number} {round_.get_kind_display()}"


def change_label(change: RaceDayChange) -> str:
    unit = f" {change.param.unit}" if change.param.unit else ""
    return (
        f"{change.param.label}: {change.old_value or 'not set'} → {change.new_value or 'not set'}{unit}"
        f" ({change.get_status_display().lower()})"
    )


def lap_table(columns: Sequence[Sequence[Decimal]]) -> list[tuple[int, list[Decimal | None]]]:
    """One row per lap number, one cell per column (``None`` where that column has no such lap)."""
    longest = max((len(c) for c in columns), default=0)
    return [(i + 1, [c[i] if i < len(c) else None for c in columns]) for i in range(longest)]


def race_day_analysis(
    race_day: RaceDay, rounds: Sequence[RaceDayRound], changes: Sequence[RaceDayChange]
) -> DayAnalysis:
    """Every round's laps one after the other on one time line, each round its own line.

    A change is drawn in the gap before the first round recorded after it,
    so a gap's marker says what was changed between those two rounds.
    """
    rows: list[RoundRow] = []
    pending = sorted(changes, key=lambda c: (c.created_at, c.pk))
    for number, round_ in enumerate(rounds, start=1):
        before = [c for c in pending if c.created_at < round_.created_at]
        pending = pending[len(before) :]
        laps = round_.lap_times()
        rows.append(
            RoundRow(
                number,
                round_,
                round_name(number, round_),
                laps,
                lap_stats(laps),
                best_consecutive(laps, 3),
                before,
            )
        )
    series: list[tuple[str, list[Datum]]] = []
    markers: list[tuple[float, str]] = []
    x_ticks: list[tuple[float, str]] = []
    start = 1
    for row in rows:
        if row.changes_before:
            markers.append((start - 1, "; ".join(change_label(c) for c in row.changes_before)))
        series.append(
            (
                row.name,
                [(start + i, float(t), f"lap {i + 1}, {format_lap(t)}") for i, t in enumerate(row.laps)],
            )
        )
        if row.laps:
            x_ticks.append((start, f"R{row.number}"))
        start += len(row.laps) + 1
    if pending and any(row.laps for row in rows):
        markers.append((start - 1, "; ".join(change_label(c) for c in pending)))
    chart = line_chart(
        title=f"Lap times, {race_day.track} {race_day.date:%-d %b %Y}",
        description="Each round's laps in order, one line per round; numbered markers are setup changes. "
        "The tables below hold the same numbers.",
        series=series,
        markers=markers,
        x_ticks=x_ticks,
        x_label="Laps through the day",
        y_label="Lap time (s), lower is faster",
        y_format=lap_axis,
        slug="day-chart",
    )
    return DayAnalysis(race_day, rows, pending, chart, lap_table([row.laps for row in rows]))


def compare_chart(sets: Sequence[LapSet]) -> LineChart:
    """The sets overlaid lap by lap."""
    return line_chart(
        title="Lap by lap",
        description=" against ".join(s.name for s in sets)
        + ", lap times by lap number. The table below holds the same numbers.",
        series=[
            (s.name, [(i + 1, float(t), f"lap {i + 1}, {format_lap(t)}") for i, t in enumerate(s.laps)])
            for s in sets
        ],
        x_label="Lap",
        y_label="Lap time (s), lower is faster",
        y_format=lap_axis,
        slug="compare-chart",
    )


@dataclass(frozen=True)
class HistoryRow:
    race_day: RaceDay
    best: Decimal | None
    best_3: Decimal | None
    baseline: str  # "v3", or "" when the day started without a baseline


def vehicle_history(race_days: Sequence[RaceDay]) -> tuple[list[HistoryRow], LineChart]:
    """Best lap and best three in a row (within one round) per race day, oldest first."""
    rows: list[HistoryRow] = []
    for day in race_days:
        rounds = [r.lap_times() for r in day.rounds.all()]
        bests = [min(laps) for laps in rounds if laps]
        threes = [t for t in (best_consecutive(laps, 3) for laps in rounds) if t is not None]
        baseline = f"v{day.based_on.number}" if day.based_on else ""
        rows.append(HistoryRow(day, min(bests, default=None), min(threes, default=None), baseline))

    def x(day: RaceDay) -> float:
        return float(day.date.toordinal())

    dated = [row for row in rows if row.best is not None]
    markers: list[tuple[float, str]] = []
    previous = None
    for row in dated:
        if row.baseline != previous:
            markers.append(
                (x(row.race_day), f"{row.race_day.date:%-d %b %Y}: baseline {row.baseline or 'none'}")
            )
            previous = row.baseline
    chart = line_chart(
        title="Best laps per race day",
        description="Best lap and the best three laps in a row (per lap) of each race day; "
        "numbered markers show the baseline version each day started from. The table below holds the same numbers.",
        series=[
            (
                "Best lap",
                [
                    (x(r.race_day), float(r.best), f"{r.race_day.date:%-d %b %Y}, {format_lap(r.best)}")
                    for r in dated
                    if r.best
                ],
            ),
            (
                "Best 3 in a row, per lap",
                [
                    (
                        x(r.race_day),
                        float(r.best_3) / 3,
                        f"{r.race_day.date:%-d %b %Y}, {format_lap(r.best_3)} for three",
                    )
                    for r in dated
                    if r.best_3
                ],
            ),
        ],
        markers=markers,
        x_label="Race day",
        y_label="Lap time (s), lower is faster",
        y_format=lap_axis,
        x_ticks=[(x(r.race_day), f"{r.race_day.date:%-d %b}") for r in dated] if len(dated) <= 5 else None,
        x_format=date_axis([x(r.race_day) for r in dated]),
        slug="history-chart",
    )
    return rows, chart
