"""load_demo_data: the demo account and every app's sample rows, safe to run again."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from profiles.demo import DEMO_PASSWORD, DEMO_USERNAME
from profiles.models import RacerProfile, User
from racing.models import BaselineVersion, TrackLog, Vehicle
from sims.models import AddRequest, Event, EventResult, SimProfile, VerificationRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_on(settings):
    """``make run`` loads the demo with DEBUG on (manage.py's default)."""
    settings.DEBUG = True


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for label in ("profiles", "racing", "sims", "account")
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
    linked = SimProfile.objects.filter(linked_user__username=DEMO_USERNAME)
    # One verified, one waiting for its code: both states show on My sim profiles.
    assert sorted(linked.values_list("is_verified", flat=True)) == [False, True]
    assert VerificationRequest.objects.filter(profile__in=linked, status="pending").count() == 1
    # And an ID waiting to be added, so "Waiting for verification" has a row.
    assert AddRequest.objects.live().filter(requested_by__username=DEMO_USERNAME).count() == 1


def test_the_demo_login_works_on_the_log_in_page_at_once(client):
    """The printed login goes straight in: the demo address is confirmed, so no e-mail is waited for."""
    call_command("load_demo_data")
    response = client.post(reverse("account_login"), {"login": DEMO_USERNAME, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(User.objects.get(username=DEMO_USERNAME).pk)
    address = EmailAddress.objects.get(user__username=DEMO_USERNAME)
    assert address.verified and address.primary and address.email == "demo@apex.local"


def test_a_demo_account_from_before_confirmation_gets_its_address_confirmed():
    User.objects.create_user(DEMO_USERNAME, email="demo@apex.local", password=DEMO_PASSWORD)
    EmailAddress.objects.create(
        user=User.objects.get(), email="demo@apex.local", primary=True, verified=False
    )
    call_command("load_demo_data")
    assert EmailAddress.objects.get(user__username=DEMO_USERNAME).verified


def test_refuses_with_debug_off_and_leaves_the_password(settings):
    call_command("load_demo_data")
    user = User.objects.get(username=DEMO_USERNAME)
    user.set_password("changed-by-the-operator")
    user.save()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off.*--force"):
        call_command("load_demo_data")
    user.refresh_from_db()
    assert user.check_password("changed-by-the-operator")


def test_loading_again_sets_a_changed_demo_password_back():
    call_command("load_demo_data")
    user = User.objects.get(username=DEMO_USERNAME)
    user.set_password("changed-since")
    user.save()
    call_command("load_demo_data")
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_force_loads_with_debug_off(settings):
    settings.DEBUG = False
    call_command("load_demo_data", force=True)
    assert User.objects.get(username=DEMO_USERNAME).check_password(DEMO_PASSWORD)


def test_production_settings_refuse_without_a_traceback():
    """The command as an operator runs it: DEBUG=0 (the image's setting), no --force."""
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 50}
    done = subprocess.run(
        [sys.executable, "manage.py", "load_demo_data"],
        cwd=settings_dir(),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "DEBUG is off" in done.stderr and "--force" in done.stderr
    assert "Traceback" not in done.stderr


def settings_dir() -> Path:
    return Path(__file__).resolve().parents[2]
