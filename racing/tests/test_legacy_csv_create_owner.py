"""``import_legacy_csv --create-owner`` creates the account it imports into."""

import shutil
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from apex.tests.fixtures import make_user
from profiles.models import RacerProfile, User

SAMPLES = Path(__file__).parent / "legacy_csv_samples"
pytestmark = pytest.mark.django_db


@pytest.fixture
def clean(tmp_path) -> Path:
    return Path(shutil.copytree(SAMPLES / "clean", tmp_path / "clean"))


def run(folder: Path, *args: str) -> None:
    call_command("import_legacy_csv", str(folder), "--report-dir", str(folder.parent / "report"), *args)


def test_create_owner_creates_the_account_with_no_usable_password_and_imports(clean, capsys):
    run(clean, "--owner", "legacy-ana", "--create-owner", "--email", "ana@legacy.example")
    owner = User.objects.get(username="legacy-ana")
    assert not owner.has_usable_password()
    assert owner.email == "ana@legacy.example" and owner.is_active
    assert RacerProfile.objects.filter(owner=owner).count() > 0
    assert RacerProfile.objects.filter(owner=owner, is_default=True).count() == 1
    assert "Created the account 'legacy-ana'" in capsys.readouterr().out


def test_the_new_owner_sets_a_password_through_password_reset(clean, client):
    run(clean, "--owner", "legacy-ana", "--create-owner", "--email", "ana@legacy.example")
    response = client.post(reverse("account_reset_password"), {"email": "ana@legacy.example"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["ana@legacy.example"]]


def test_without_an_email_the_command_says_how_to_reach_the_owner(clean, capsys):
    run(clean, "--owner", "legacy-ana", "--create-owner")
    assert not User.objects.get(username="legacy-ana").has_usable_password()
    assert "give it an e-mail address" in capsys.readouterr().out


def test_without_create_owner_an_unknown_owner_is_refused(clean):
    with pytest.raises(CommandError, match="--create-owner creates the account"):
        run(clean, "--owner", "legacy-ana")
    assert not User.objects.filter(username="legacy-ana").exists()


def test_an_existing_owner_is_used_as_is(clean, user):
    password = user.password
    run(clean, "--owner", user.username, "--create-owner")
    user.refresh_from_db()
    assert user.password == password
    assert User.objects.count() == 1
    assert RacerProfile.objects.filter(owner=user).exists()


def test_dry_run_creates_no_account(clean):
    run(clean, "--owner", "legacy-ana", "--create-owner", "--dry-run")
    assert not User.objects.filter(username="legacy-ana").exists()
    assert not RacerProfile.objects.exists()


def test_a_refused_folder_creates_no_account(clean):
    (clean / "track_logs.csv").unlink()
    with pytest.raises(CommandError, match="Nothing imported"):
        run(clean, "--owner", "legacy-ana", "--create-owner")
    assert not User.objects.filter(username="legacy-ana").exists()


@pytest.mark.parametrize(
    ("username", "email", "reason"),
    [("no spaces allowed", "", "username"), ("legacy-ana", "not-an-address", "email")],
)
def test_a_bad_username_or_email_is_refused_with_its_reason(clean, username, email, reason):
    with pytest.raises(CommandError, match=f"Cannot create the account .*{reason}"):
        run(clean, "--owner", username, "--create-owner", "--email", email)
    assert not User.objects.exists()


def test_an_email_another_account_uses_is_refused(clean):
    make_user("first", email="ana@legacy.example")
    with pytest.raises(CommandError, match="another account uses ana@legacy.example"):
        run(clean, "--owner", "legacy-ana", "--create-owner", "--email", "ana@legacy.example")
    assert not User.objects.filter(username="legacy-ana").exists()
