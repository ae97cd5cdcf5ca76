"""load_demo_data: the demo account and every app's sample rows, safe to run again."""

import pytest
from django.apps import apps
from django.core.management import call_command

from profiles.demo import DEMO_PASSWORD, DEMO_USERNAME
from profiles.models import RacerProfile
from racing.models import BaselineVersion, TrackLog, Vehicle
from sims.models import Event, EventResult, SimProfile

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for label in ("profiles", "racing", "sims")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def test_loads_twice_without_duplicates(capsys):
    call_command("load_demo_data")
    counts = row_counts()
    call_command("load_demo_data")
    assert row_counts() == counts
    assert f"as {DEMO_USERNAME} / {DEMO_PASSWORD}" in capsys.readouterr().out


def test_every_app_gets_its_demo_rows_for_the_demo_account():
    call_command("load_demo_data")
    racers = RacerProfile.objects.filter(owner__username=DEMO_USERNAME)
    assert racers.count() == 2
    assert Vehicle.objects.filter(racer__in=racers).exists()
    assert BaselineVersion.objects.filter(vehicle__racer__in=racers).exists()
    assert TrackLog.objects.filter(racer__in=racers).exists()
    assert SimProfile.objects.count() >= 4 and EventResult.objects.count() >= 4 and Event.objects.exists()
    assert SimProfile.objects.filter(linked_user__username=DEMO_USERNAME).count() == 1


def test_the_demo_login_works(client):
    call_command("load_demo_data")
    assert client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
