"""A sim profile's results over time as charts (``apex.charts``): finishing position and best lap per event."""

from collections.abc import Sequence

from apex.charts import LineChart, date_axis, line_chart
from sims.models import EventResult


def _day(result: EventResult) -> float:
    """The event's start as a day number with a fraction, so two events on one day stay apart."""
    start = result.event.start_time
    return start.toordinal() + (start.hour * 3600 + start.minute * 60 + start.second) / 86400


def _x_ticks(results: Sequence[EventResult]) -> list[tuple[float, str]] | None:
    if len(results) > 5:
        return None
    return [(_day(r), f"{r.event.start_time:%-d %b}") for r in results]


def _seconds(value: float) -> str:
    minutes, seconds = divmod(value, 60)
    return f"{int(minutes)}:{seconds:04.1f}" if minutes else f"{seconds:g}"


def results_charts(results: Sequence[EventResult]) -> tuple[LineChart, LineChart]:
    """Position (P1 at the top) and best lap per event, oldest event first."""
    ordered = sorted(results, key=lambda r: (r.event.start_time, r.event_id))
    timed = [r for r in ordered if r.best_lap_ms is not None]
    position = line_chart(
        title="Finishing position per event",
        description="P1 at the top. The results table below holds the same numbers.",
        series=[("Position", [(_day(r), r.position, f"{r.event.name}: P{r.position}") for r in ordered])],
        x_label="Event date",
        y_label="Position, P1 at the top",
        invert_y=True,
        y_floor=1,
        x_ticks=_x_ticks(ordered),
        x_format=date_axis([_day(r) for r in ordered]),
        y_format=lambda v: f"P{v:g}" if v == int(v) else "",  # no "P1.5"
        slug="position-chart",
    )
    best_lap = line_chart(
        title="Best lap per event",
        description="Lower is faster. The results table below holds the same numbers.",
        series=[
            (
                "Best lap",
                [
                    (_day(r), r.best_lap_ms / 1000, f"{r.event.name}: {r.best_lap_display}")
                    for r in timed
                    if r.best_lap_ms
                ],
            )
        ],
        x_label="Event date",
        y_label="Best lap (s), lower is faster",
        x_ticks=_x_ticks(timed),
        x_format=date_axis([_day(r) for r in timed]),
        y_format=_seconds,
        slug="best-lap-chart",
    )
    return position, best_lap
