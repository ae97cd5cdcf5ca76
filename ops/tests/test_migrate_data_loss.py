"""``migrate`` refuses a backwards plan that drops tables or columns holding rows, unless told to."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apex.tests.fixtures import make_user
from profiles.models import RacerProfile
from profiles.tests.factories import make_racer
from racing.models import BaselineVersion, Vehicle


def applied() -> set[tuple[str, str]]:
    return set(MigrationExecutor(connection).loader.applied_migrations)


@pytest.fixture
def at_leaves(transactional_db):
    yield
    call_command("migrate", verbosity=0)


def test_refuses_to_drop_tables_with_rows_names_each_and_changes_nothing(at_leaves):
    owner = make_user("keeper")
    racer = make_racer(owner, "Kept")
    vehicle = Vehicle.objects.create(racer=racer, brand="Mugen", model="MBX8R")
    BaselineVersion.objects.create(vehicle=vehicle, number=1)
    BaselineVersion.objects.create(vehicle=vehicle, number=2)
    before = applied()

    with pytest.raises(CommandError) as refused:
        call_command("migrate", "racing", "0001", verbosity=0)

    message = str(refused.value)
    assert "table racing_baselineversion: 2 rows (unapplying racing 0002_garage_and_setups)" in message
    assert "racing_vehicle" not in message  # racing 0001's, kept
    assert "racing_raceday" not in message  # dropped, but empty
    assert "Nothing was changed" in message and "--allow-data-loss" in message
    assert applied() == before
    assert BaselineVersion.objects.count() == 2


def test_refuses_to_drop_a_column_with_rows(at_leaves):
    make_racer(make_user("keeper"), "Kept")
    with pytest.raises(CommandError) as refused:
        call_command("migrate", "profiles", "0001", verbosity=0)
    assert "column profiles_racerprofile.is_default: 1 row (unapplying profiles 0002_add_is_default)" in str(
        refused.value
    )
    assert RacerProfile.objects.get().is_default


def test_goes_back_when_what_it_drops_is_empty(at_leaves):
    call_command("migrate", "sims", "0005", verbosity=0)
    assert ("sims", "0006_verification_audit_events") not in applied()


def test_allow_data_loss_goes_back(at_leaves):
    make_racer(make_user("keeper"), "Dropped")
    call_command("migrate", "profiles", "0001", allow_data_loss=True, verbosity=0)
    assert ("profiles", "0002_add_is_default") not in applied()
    with connection.cursor() as cursor:
        columns = {
            c.name for c in connection.introspection.get_table_description(cursor, "profiles_racerprofile")
        }
    assert "is_default" not in columns
