"""The chart geometry: values land where the axes say, markers where they belong."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from apex.charts import NARROW, WIDE, date_axis, line_chart, nice_ticks


def test_nice_ticks_cover_the_range_in_round_steps():
    assert nice_ticks(31.2, 34.9) == [31.0, 32.0, 33.0, 34.0, 35.0]
    assert nice_ticks(5, 5) == [4.0, 4.5, 5.0, 5.5, 6.0]


@given(st.floats(min_value=-1e5, max_value=1e5), st.floats(min_value=0.001, max_value=1e5))
@example(-5e-324, 5.0)  # low / step underflows to -0.0
def test_nice_ticks_always_cover(low, span):
    ticks = nice_ticks(low, low + span)
    assert ticks[0] <= low and ticks[-1] >= low + span * (1 - 1e-9)
    assert len(ticks) <= 12


def _chart(**kwargs):
    return line_chart(
        title="t",
        description="d",
        series=[("A", [(1, 30, "a1"), (2, 32, "a2")]), ("B", [(1, 31, "b1")])],
        x_label="x",
        y_label="y",
        **kwargs,
    )


@pytest.mark.parametrize(("plot_name", "size"), [("narrow", NARROW), ("wide", WIDE)])
def test_points_inside_the_plot_and_lower_values_lower(plot_name, size):
    plot = getattr(_chart(), plot_name)
    a = plot.lines[0].points
    for point in a + plot.lines[1].points:
        assert size.left <= point.x <= size.plot_right and size.top <= point.y <= size.plot_bottom
    assert size.left < a[0].x < a[1].x < size.plot_right
    assert a[0].y > a[1].y  # 30 s is drawn below 32 s
    assert plot.lines[0].path.startswith("M") and " L" in plot.lines[0].path


def test_inverted_axis_puts_the_lowest_value_on_top():
    plot = _chart(invert_y=True).wide
    assert plot.lines[0].points[0].y < plot.lines[0].points[1].y


def test_series_keep_their_values_labels_and_colours():
    chart = _chart()
    assert chart.names == [("A", "series-0"), ("B", "series-1")]
    assert [(p.value_x, p.value_y, p.label) for p in chart.wide.lines[0].points] == [
        (1, 30, "a1"),
        (2, 32, "a2"),
    ]


def test_markers_are_numbered_and_placed_on_the_x_axis():
    chart = _chart(markers=[(1.5, "Rear diff 7000 → 5000")])
    assert chart.markers == [(1, "Rear diff 7000 → 5000")]
    marker = chart.wide.markers[0]
    assert marker.pos == pytest.approx((WIDE.left + WIDE.plot_right) / 2)


def test_an_empty_chart_says_so():
    chart = line_chart(title="t", description="d", series=[("A", [])], x_label="x", y_label="y")
    assert chart.empty and chart.names == []


def test_one_point_is_drawn_in_the_middle():
    chart = line_chart(title="t", description="d", series=[("A", [(3, 40, "")])], x_label="x", y_label="y")
    point = chart.narrow.lines[0].points[0]
    assert point.x == (NARROW.left + NARROW.plot_right) / 2


def test_a_floor_keeps_ticks_at_or_above_it():
    chart = line_chart(
        title="t",
        description="d",
        series=[("P", [(1, 2, ""), (2, 14, "")])],
        x_label="x",
        y_label="y",
        y_floor=1,
    )
    labels = [t.value for t in chart.wide.y_ticks]
    assert labels[0] == 1 and all(v >= 1 for v in labels)


def test_date_axis_labels_by_span():
    import datetime

    day = datetime.date(2026, 3, 8).toordinal()
    assert date_axis([day, day + 30])(day) == "8 Mar"
    assert date_axis([day, day + 300])(day) == "Mar 2026"
