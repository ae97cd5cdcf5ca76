"""bench/logged_in.py builds the racer its figures are about: the sizes the README states, valid rows."""

import pytest

# bench/ is on the path as when the script runs (bench/tests is a package, bench/ is not).
from generate_data import generate
from logged_in import OPEN_DAYS, RACE_DAYS, RACER_USERNAME, TRACK_LOGS, VEHICLES, VERSIONS, build_racer

from profiles.models import RacerProfile
from racing.models import BaselineVersion, RaceDay, TrackLog, Vehicle

# The build is PostgreSQL SQL (generate_series, ARRAY, ANALYZE), as the benchmark database is.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_build_racer_makes_the_documented_racer_with_valid_setups():
    generate(profiles=300, users=50, library=10, progress=False)
    build_racer()
    racer = RacerProfile.objects.get(owner__username=RACER_USERNAME, is_default=True)
    assert RacerProfile.objects.filter(owner=racer.owner).count() == 3
    assert Vehicle.objects.filter(racer=racer).count() == VEHICLES
    versions = BaselineVersion.objects.filter(vehicle__racer=racer)
    assert versions.count() == VEHICLES * VERSIONS
    days = RaceDay.objects.filter(racer=racer)
    assert days.count() == RACE_DAYS
    assert days.filter(status=RaceDay.Status.OPEN).count() == OPEN_DAYS
    assert TrackLog.objects.filter(racer=racer).count() == TRACK_LOGS
    # Every generated setup value is one the forms would accept (numbers in range, text within its length).
    for version in (versions.first(), versions.last()):
        version.full_clean()
    days.first().full_clean()
