"""With e-mail verification on, sign-up does not tell anyone whether an e-mail address has an account."""

import pytest
from django.core import mail
from django.urls import reverse

from apex.tests.fixtures import make_user
from profiles.models import User


@pytest.fixture
def verification_mandatory(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def sign_up(client, username, email):
    return client.post(
        reverse("account_signup"),
        {
            "username": username,
            "email": email,
            "password1": "a-long-pass-9871",
            "password2": "a-long-pass-9871",
        },
    )


def test_taken_and_new_addresses_get_the_same_answer_and_the_mail_says_which(
    client, db, verification_mandatory
):
    make_user("rider", email="rider@example.com")
    taken = sign_up(client, "newcomer1", "rider@example.com")
    new = sign_up(client, "newcomer2", "fresh@example.com")
    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="newcomer1").exists()  # nothing made for the taken address
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"rider@example.com", "fresh@example.com"}
    assert "already" in str(by_address["rider@example.com"].body).lower()
    assert "confirm" in str(by_address["fresh@example.com"].body).lower()


def test_the_environment_switches_verification_on(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "ACCOUNT_EMAIL_VERIFICATION"}
    answers = [
        subprocess.run(  # noqa: S603 - the settings module, nothing from outside
            [sys.executable, "-c", "import apex.settings as s; print(s.ACCOUNT_EMAIL_VERIFICATION)"],
            cwd=root,
            env=env | {"DEBUG": "1"} | extra,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for extra in ({}, {"ACCOUNT_EMAIL_VERIFICATION": "1"})
    ]
    assert answers == ["none", "mandatory"]


def test_without_verification_a_taken_address_is_refused_on_the_page(client, db):
    """Why the switch matters: this is the answer that gives an address away."""
    make_user("rider", email="rider@example.com")
    response = sign_up(client, "newcomer1", "rider@example.com")
    assert response.status_code == 200 and "already" in response.content.decode()
