from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from racing.laps import best_consecutive, format_lap, lap_stats, parse_lap_times

D = Decimal

# Lap times as a timing loop gives them: milliseconds, under an hour.
laps_ms = st.integers(min_value=1, max_value=3_600_000).map(lambda ms: D(ms) / 1000)


def test_seconds_and_minutes_seconds():
    assert parse_lap_times("32.451 1:02.004") == [D("32.451"), D("62.004")]


@pytest.mark.parametrize(
    "text",
    ["32.4,33.1", "32.4;33.1", "32.4 33.1", "32.4\t33.1", "32.4\n33.1", "32.4\r\n33.1", " 32.4 ,\n; 33.1 \n"],
)
def test_every_separator(text):
    assert parse_lap_times(text) == [D("32.4"), D("33.1")]


def test_blank_text_is_no_laps():
    assert parse_lap_times("") == [] and parse_lap_times(" \n\t ") == []


@pytest.mark.parametrize(
    "bad", ["abc", "-31.2", "0", "0.000", "1:75.0", "32..1", "1:60", "32.4s", "3601", "1.2345"]
)
def test_bad_value_is_quoted(bad):
    with pytest.raises(ValidationError) as error:
        parse_lap_times(f"32.1, {bad}, 33.0")
    assert f"“{bad}”" in error.value.messages[0]


def test_first_bad_value_is_the_one_reported():
    with pytest.raises(ValidationError, match="“x”"):
        parse_lap_times("32.1 x y")


@given(st.lists(laps_ms, max_size=30), st.sampled_from([",", ";", " ", "\t", "\n", ", "]))
def test_formatted_laps_read_back(laps, separator):
    assert parse_lap_times(separator.join(format_lap(lap) for lap in laps)) == laps


def test_format_lap():
    assert format_lap(D("32.4")) == "32.400"
    assert format_lap(D("62.004")) == "1:02.004"
    assert format_lap(D("59.9996")) == "1:00.000"
    assert format_lap(None) == "—"


def test_stats():
    stats = lap_stats([D("33.0"), D("32.0"), D("34.0"), D("35.0")])
    assert stats.count == 4 and stats.best == D("32.0")
    assert stats.average == D("33.500") and stats.median == D("33.500")
    assert stats.std_dev == D("1.118")


def test_stats_of_no_laps_and_one_lap():
    empty = lap_stats([])
    assert empty.count == 0 and empty.best is empty.average is empty.median is empty.std_dev is None
    one = lap_stats([D("31.5")])
    assert (one.count, one.best, one.average, one.median, one.std_dev) == (
        1,
        D("31.5"),
        D("31.500"),
        D("31.500"),
        D("0.000"),
    )


@given(st.lists(laps_ms, min_size=1, max_size=40))
def test_stats_bounds(laps):
    stats = lap_stats(laps)
    assert stats.count == len(laps)
    assert stats.median is not None and stats.average is not None and stats.std_dev is not None
    assert stats.best == min(laps)
    assert stats.best <= stats.median <= max(laps)
    assert stats.best - D("0.0005") <= stats.average <= max(laps) + D("0.0005")
    assert stats.std_dev >= 0
    if len(set(laps)) == 1:
        assert stats.std_dev == 0


def test_best_consecutive():
    laps = [D("35"), D("32"), D("33"), D("31"), D("40"), D("30")]
    assert best_consecutive(laps, 3) == D("96")
    assert best_consecutive(laps, 1) == D("30")
    assert best_consecutive(laps, 6) == sum(laps)
    assert best_consecutive(laps, 7) is None
    assert best_consecutive([], 3) is None


def test_best_consecutive_needs_a_positive_run():
    with pytest.raises(ValueError):
        best_consecutive([D("30")], 0)


@given(st.lists(laps_ms, max_size=30), st.integers(min_value=1, max_value=8))
def test_best_consecutive_is_the_lowest_window(laps, n):
    windows = [sum(laps[i : i + n]) for i in range(len(laps) - n + 1)]
    assert best_consecutive(laps, n) == (min(windows) if windows else None)
