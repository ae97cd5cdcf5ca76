import shutil
from pathlib import Path

import pytest

from apex.tests.fixtures import all_succeeded, run_together
from library.models import LibrarySetup
from profiles.models import RacerProfile, Sponsor
from racing import legacy_csv
from racing.models import BaselineVersion, TrackLog, Vehicle

SAMPLES = Path(__file__).parent / "legacy_csv_samples"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_store_every_row_exactly_once(tmp_path, user):
    folder = shutil.copytree(SAMPLES / "dirty", tmp_path / "dirty")
    results = all_succeeded(run_together(*[lambda: legacy_csv.import_folder(folder, user)] * 2))
    assert RacerProfile.objects.filter(owner=user).count() == 3
    assert Sponsor.objects.filter(racer__owner=user).count() == 4
    assert Vehicle.objects.filter(racer__owner=user).count() == 5
    assert BaselineVersion.objects.filter(vehicle__racer__owner=user).count() == 5
    assert LibrarySetup.objects.filter(added_by=user).count() == 43
    assert TrackLog.objects.filter(racer__owner=user).count() == 28
    # Between them the two runs imported each row once; the loser saw it as present.
    for index, name in enumerate(legacy_csv.FILES):
        per_run = [result.files[index] for result in results]
        assert [f.name for f in per_run] == [name, name]
        assert (
            sum(f.imported for f in per_run)
            == {
                "racer_profiles.csv": 3,
                "car_configs.csv": 5,
                "master_library.csv": 43,
                "track_logs.csv": 28,
            }[name]
        )
        assert all(f.imported + f.already_present + f.rejected == f.read for f in per_run)
