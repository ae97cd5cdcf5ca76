"""Line charts drawn on the server as SVG: no script, no inline style, so the strict CSP holds.

``line_chart`` turns data into geometry (``LineChart``); ``templates/_line_chart.html``
draws it with classes that ``static/css/charts.css`` styles. Every chart is
drawn twice, narrow for phones and wide for larger screens (CSS shows one),
so its text stays readable at either size; each page puts the data beside
it as a table, the chart's text alternative.
"""

import datetime
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# (x, y, label): the label is the point's tooltip and its name to screen readers.
Datum = tuple[float, float, str]
# A value as an axis shows it.
Formatter = Callable[[float], str]

PALETTE_SIZE = 6  # .series-0 … .series-5 in charts.css


@dataclass(frozen=True)
class Size:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom


NARROW = Size(width=360, height=300, left=52, right=12, top=16, bottom=44)
WIDE = Size(width=640, height=340, left=56, right=16, top=20, bottom=48)


@dataclass(frozen=True)
class Tick:
    value: float
    pos: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value_x: float
    value_y: float
    label: str


@dataclass(frozen=True)
class Line:
    name: str
    css: str
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points))


@dataclass(frozen=True)
class Marker:
    value: float
    pos: float
    label: str
    number: int  # shown at the top of the line, and before the label in the legend


@dataclass(frozen=True)
class Plot:
    size: Size
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    markers: list[Marker]


@dataclass(frozen=True)
class LineChart:
    title: str
    description: str
    x_label: str
    y_label: str
    names: list[tuple[str, str]]  # (name, css class) for the legend
    markers: list[tuple[int, str]]  # (number, label) for the legend
    narrow: Plot
    wide: Plot
    empty: bool = False
    slug: str = field(default="chart")

    @property
    def plots(self) -> list[tuple[str, Plot]]:
        return [("narrow", self.narrow), ("wide", self.wide)]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 × 10ⁿ) covering ``low``..``high``."""
    if high < low:
        low, high = high, low
    if high == low:
        low, high = low - 1, high + 1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first, last = math.floor(low / step), math.ceil(high / step)
    # low / step can underflow to -0.0 (a subnormal low): step out once more.
    if first * step > low:
        first -= 1
    if last * step < high:
        last += 1
    return [round(i * step, 10) for i in range(first, last + 1)]


def _scale(value: float, low: float, high: float, start: float, end: float) -> float:
    if high == low:
        return (start + end) / 2
    return start + (value - low) / (high - low) * (end - start)


def _plot(
    size: Size,
    series: Sequence[tuple[str, Sequence[Datum]]],
    markers: Sequence[tuple[float, str]],
    *,
    x_ticks: Sequence[tuple[float, str]] | None,
    y_format: Formatter,
    x_format: Formatter,
    invert_y: bool,
    y_floor: float | None,
) -> Plot:
    xs = [d[0] for _name, data in series for d in data] + [m[0] for m in markers]
    ys = [d[1] for _name, data in series for d in data]
    y_values = nice_ticks(min(ys), max(ys), 5 if size is WIDE else 4)
    if y_floor is not None:  # no position 0: the first tick moves up to the floor
        y_values = sorted({max(v, y_floor) for v in y_values})
    y_low, y_high = y_values[0], y_values[-1]
    x_low, x_high = min(xs), max(xs)
    if x_low == x_high:
        x_low, x_high = x_low - 1, x_high + 1
    # A little room at both ends, so the end points and their labels clear the axis and the edge.
    pad = (x_high - x_low) * 0.04
    x_low, x_high = x_low - pad, x_high + pad
    top, bottom = (size.plot_bottom, size.top) if invert_y else (size.top, size.plot_bottom)

    def sx(value: float) -> float:
        return _scale(value, x_low, x_high, size.left, size.plot_right)

    def sy(value: float) -> float:
        return _scale(value, y_low, y_high, bottom, top)

    lines = [
        Line(
            name=name,
            css=f"series-{i % PALETTE_SIZE}",
            points=[Point(sx(x), sy(y), x, y, label) for x, y, label in data],
        )
        for i, (name, data) in enumerate(series)
    ]
    if x_ticks is None:
        x_values = [v for v in nice_ticks(x_low, x_high, 4 if size is NARROW else 8) if x_low <= v <= x_high]
        x_ticks = [(v, x_format(v)) for v in x_values]
    return Plot(
        size=size,
        lines=lines,
        x_ticks=[Tick(v, sx(v), label) for v, label in x_ticks],
        y_ticks=[Tick(v, sy(v), y_format(v)) for v in y_values],
        markers=[Marker(v, sx(v), label, n) for n, (v, label) in enumerate(markers, start=1)],
    )


def plain(value: float) -> str:
    return f"{value:g}"


def date_axis(days: Sequence[float]) -> Formatter:
    """Labels for an axis of day numbers (``date.toordinal()``): day and month, or month and year over a long span."""
    long_span = bool(days) and max(days) - min(days) > 200
    pattern = "%b %Y" if long_span else "%-d %b"
    return lambda value: datetime.date.fromordinal(int(value)).strftime(pattern)


def line_chart(
    *,
    title: str,
    description: str,
    series: Sequence[tuple[str, Sequence[Datum]]],
    x_label: str,
    y_label: str,
    markers: Sequence[tuple[float, str]] = (),
    x_ticks: Sequence[tuple[float, str]] | None = None,
    y_format: Formatter | None = None,
    x_format: Formatter | None = None,
    invert_y: bool = False,
    y_floor: float | None = None,
    slug: str = "chart",
) -> LineChart:
    """A chart of ``series`` (name, [(x, y, label)…]) with vertical ``markers`` (x, label).

    ``invert_y`` puts the lowest value at the top (a race position). Given
    ``x_ticks`` (x, label) replace the evenly spaced numbers.
    """
    series = [(name, data) for name, data in series if data]
    names = [(name, f"series-{i % PALETTE_SIZE}") for i, (name, _data) in enumerate(series)]
    legend = [(n, label) for n, (_v, label) in enumerate(markers, start=1)]
    empty_plot = Plot(size=WIDE, lines=[], x_ticks=[], y_ticks=[], markers=[])
    if not series:
        return LineChart(title, description, x_label, y_label, [], legend, empty_plot, empty_plot, True, slug)
    plots = [
        _plot(
            size,
            series,
            markers,
            x_ticks=x_ticks,
            y_format=y_format or plain,
            x_format=x_format or plain,
            invert_y=invert_y,
            y_floor=y_floor,
        )
        for size in (NARROW, WIDE)
    ]
    return LineChart(title, description, x_label, y_label, names, legend, plots[0], plots[1], False, slug)
