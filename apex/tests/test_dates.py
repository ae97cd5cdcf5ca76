"""apex.dates gives the text the date filter gives, in every zone, at every DST edge."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from apex.dates import day_and_time, iso_datetime

FILTER = Template("""{{ value|date:'Y-m-d\\TH:i:sO' }}|{{ value|date:"D j M Y H:i" }}""")
ZONES = ["UTC", "Europe/London", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Apia"]


def _both(value: datetime.datetime) -> tuple[str, str]:
    return iso_datetime(value), day_and_time(value)


def _filter(value: datetime.datetime) -> tuple[str, str]:
    iso, text = FILTER.render(Context({"value": value})).split("|")
    return iso, text


@given(
    instant=st.datetimes(
        min_value=datetime.datetime(1901, 1, 1),
        max_value=datetime.datetime(2100, 1, 1),
        timezones=st.just(datetime.UTC),
    ),
    zone=st.sampled_from(ZONES),
)
def test_same_text_as_the_date_filter(instant, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert _both(instant) == _filter(instant)


@pytest.mark.parametrize(
    "utc",
    [
        datetime.datetime(2025, 10, 26, 0, 30, tzinfo=datetime.UTC),  # 01:30 BST, before the clocks go back
        datetime.datetime(2025, 10, 26, 1, 30, tzinfo=datetime.UTC),  # 01:30 GMT, the repeated hour
        datetime.datetime(2025, 3, 30, 1, 0, tzinfo=datetime.UTC),  # 02:00 BST, just after the skipped hour
        datetime.datetime(2025, 5, 3, 14, 5, 9, tzinfo=datetime.UTC),
    ],
)
def test_the_hours_around_a_clock_change(utc):
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
        assert _both(utc) == _filter(utc)


def test_a_naive_value_is_read_in_the_default_zone(settings):
    settings.TIME_ZONE = "Asia/Kathmandu"
    naive = datetime.datetime(2025, 5, 3, 14, 5)
    assert _both(naive) == _filter(naive) == ("2025-05-03T14:05:00+0545", "Sat 3 May 2025 14:05")


def test_names_follow_the_active_language():
    value = datetime.datetime(2025, 5, 3, 14, 5, tzinfo=datetime.UTC)
    with translation.override("de"):
        assert day_and_time(value) == _filter(value)[1] == "Sa 3 Mai 2025 14:05"
