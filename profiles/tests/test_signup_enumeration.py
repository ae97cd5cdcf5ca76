"""Sign-up and password reset do not tell anyone whether an e-mail address has an account.

Both answer the same for a taken and a new address; only the e-mail to that
address says which it was. These run with the project's own settings.
"""

import re
from unittest import mock

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from apex.tests.fixtures import mail_to, make_user, sign_up
from profiles.models import ReservedUsername, User


def _same_page(first, second, first_address: str, second_address: str) -> tuple[str, str]:
    """Both pages with the address typed and the CSRF token taken out."""

    def clean(response, address: str) -> str:
        page = response.content.decode().replace(address, "ADDRESS")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    return clean(first, first_address), clean(second, second_address)


def test_taken_and_new_addresses_get_the_same_answer_and_the_mail_says_which(db):
    make_user("rider", email="rider@example.com")
    taken, new = Client(), Client()
    taken_answer = sign_up(taken, "newcomer1", "rider@example.com")
    new_answer = sign_up(new, "newcomer2", "fresh@example.com")

    assert taken_answer.status_code == new_answer.status_code == 302
    assert taken_answer["Location"] == new_answer["Location"] == reverse("account_email_verification_sent")
    taken_page, new_page = _same_page(
        taken.get(taken_answer["Location"]),
        new.get(new_answer["Location"]),
        "rider@example.com",
        "fresh@example.com",
    )
    assert taken_page == new_page
    assert "Check your e-mail" in new_page and "ADDRESS" in new_page
    # Nobody is logged in; only the new address got an account, waiting for confirmation.
    assert "_auth_user_id" not in taken.session and "_auth_user_id" not in new.session
    assert not User.objects.filter(username="newcomer1").exists()
    assert EmailAddress.objects.get(user__username="newcomer2").verified is False

    [already] = mail_to("rider@example.com")
    [welcome] = mail_to("fresh@example.com")
    assert already.subject == "Apex: you already have an account"
    assert "already has an Apex account, so no new account was made" in already.body
    assert "/accounts/password/reset/" in already.body and "/accounts/confirm-email/" not in already.body
    assert welcome.subject == "Apex: confirm your e-mail address to finish signing up"
    assert 'signed up for Apex as "newcomer2"' in welcome.body and "/accounts/confirm-email/" in welcome.body


def test_a_taken_address_typed_in_capitals_is_still_taken(db):
    make_user("rider", email="rider@example.com")
    response = sign_up(Client(), "newcomer", "Rider@Example.COM")
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not User.objects.filter(username="newcomer").exists()
    [already] = mail_to("rider@example.com")
    assert "already has an Apex account" in already.body


def test_a_taken_address_of_an_unconfirmed_account_is_still_taken(db):
    make_user("rider", email="rider@example.com", email_verified=False)
    response = sign_up(Client(), "newcomer", "rider@example.com")
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not User.objects.filter(username="newcomer").exists()
    assert User.objects.filter(email="rider@example.com").count() == 1


def test_a_taken_address_takes_as_long_to_answer_as_a_new_one(db):
    """Hashing the password is most of a sign-up's time: both answers hash it once."""
    make_user("rider", email="rider@example.com")
    hashed = []
    original = MD5PasswordHasher.encode

    def encode(self, password, salt):
        hashed.append(password)
        return original(self, password, salt)

    with mock.patch.object(MD5PasswordHasher, "encode", encode):
        sign_up(Client(), "newcomer1", "rider@example.com", password="gearbox-Oil-77")
        taken = len(hashed)
        sign_up(Client(), "newcomer2", "fresh@example.com", password="gearbox-Oil-77")
    assert taken == len(hashed) - taken == 1
    assert hashed == ["gearbox-Oil-77", "gearbox-Oil-77"]


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(db):
    make_user("rider", email="rider@example.com")
    known, unknown = Client(), Client()
    known_answer = known.post(reverse("account_reset_password"), {"email": "rider@example.com"})
    unknown_answer = unknown.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert known_answer.status_code == unknown_answer.status_code == 302
    assert known_answer["Location"] == unknown_answer["Location"] == reverse("account_reset_password_done")
    known_page, unknown_page = _same_page(
        known.get(known_answer["Location"]),
        unknown.get(unknown_answer["Location"]),
        "rider@example.com",
        "nobody@example.com",
    )
    assert known_page == unknown_page and "If that address belongs to an account" in known_page

    [reset] = mail_to("rider@example.com")
    [no_account] = mail_to("nobody@example.com")
    assert reset.subject == "Apex: choose a new password"
    assert "/accounts/password/reset/key/" in reset.body and "Your username is rider." in reset.body
    assert no_account.subject == "Apex: no account with this address"
    assert "No Apex account uses this address" in no_account.body
    assert "/accounts/signup/" in no_account.body and "/accounts/password/reset/key/" not in no_account.body


def test_the_username_of_either_sign_up_is_taken_afterwards_in_the_same_words(db):
    """Asking for the username again must not tell which address was new."""
    make_user("rider", email="rider@example.com")
    sign_up(Client(), "Probe1", "rider@example.com")  # taken address: no account is made
    sign_up(Client(), "Probe2", "fresh@example.com")  # new address: an account waits
    again = [sign_up(Client(), name, f"{name}-other@example.com") for name in ("probe1", "PROBE2", "rider")]
    errors = [answer.context["form"].errors["username"] for answer in again]
    assert all(answer.status_code == 200 for answer in again)
    assert errors[0] == errors[1] == errors[2] == ["A user with that username already exists."]
    assert not User.objects.filter(username__iexact="probe1").exists()
    assert ReservedUsername.objects.get().username == "Probe1"
    # Sending the taken-address sign-up again holds the name once, not twice.
    sign_up(Client(), "PROBE1", "rider@example.com")
    assert ReservedUsername.objects.count() == 1
