from profiles.demo import load_demo as load_accounts
from racing.demo import load_demo
from racing.models import BaselineVersion, RaceDay, RaceDayLap, TrackLog, Vehicle


def test_demo_data_is_added_once(db):
    user = load_accounts()
    load_demo(user)
    counts = [m.objects.count() for m in (Vehicle, BaselineVersion, TrackLog, RaceDay, RaceDayLap)]
    load_demo(user)
    assert [m.objects.count() for m in (Vehicle, BaselineVersion, TrackLog, RaceDay, RaceDayLap)] == counts
    assert all(counts)
    # A closed day in the track log and today's day still open, with a change and laps.
    assert set(RaceDay.objects.values_list("status", flat=True)) == {"open", "closed"}
    assert TrackLog.objects.filter(race_day__isnull=False).exists()
