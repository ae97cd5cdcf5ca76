"""Log-in limits: per (account, address), per address, a per-account ceiling with an e-mailed unlock."""

import re
import time

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from apex.tests.fixtures import make_user
from profiles import login_limits


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def log_in(client, login, password):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def admin_log_in(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def rider(db):
    return make_user("rider", password="right-password-1")


def test_five_wrong_passwords_then_the_sixth_try_waits_with_429(rider):
    guesser = client_at("203.0.113.9")
    for _ in range(5):
        assert log_in(guesser, "rider", "wrong").status_code == 200
    response = log_in(guesser, "rider", "right-password-1")
    assert response.status_code == 429
    assert not logged_in(guesser)
    assert 0 < int(response["Retry-After"]) <= login_limits.BASE_DELAY
    page = response.content.decode()
    assert "Log-in paused" in page and "Reset my password" in page


def test_the_owner_elsewhere_is_not_locked_out_by_a_guesser(rider):
    guesser, owner = client_at("203.0.113.9"), client_at("198.51.100.7")
    for _ in range(6):
        log_in(guesser, "rider", "wrong")
    response = log_in(owner, "rider", "right-password-1")
    assert response.status_code == 302 and logged_in(owner)


def test_the_wait_doubles_with_each_further_failure(rider, monkeypatch):
    guesser = client_at("203.0.113.9")
    now = [1_000_000.0]
    monkeypatch.setattr(login_limits.time, "time", lambda: now[0])
    for _ in range(5):
        log_in(guesser, "rider", "wrong")
    assert int(log_in(guesser, "rider", "wrong")["Retry-After"]) == 30
    now[0] += 31
    log_in(guesser, "rider", "wrong")  # the sixth failure
    assert int(log_in(guesser, "rider", "wrong")["Retry-After"]) == 60
    now[0] += 61
    log_in(guesser, "rider", "wrong")
    assert int(log_in(guesser, "rider", "wrong")["Retry-After"]) == 120


def test_addresses_in_one_ipv6_64_count_as_one(rider):
    for number in range(5):
        log_in(client_at(f"2001:db8:1:2::{number + 1}"), "rider", "wrong")
    assert log_in(client_at("2001:db8:1:2::ffff"), "rider", "right-password-1").status_code == 429
    assert log_in(client_at("2001:db8:1:3::1"), "rider", "right-password-1").status_code == 302


def test_user_name_and_email_count_as_one_account(rider):
    guesser = client_at("203.0.113.9")
    for login in ["rider", "RIDER", "rider@example.com", "Rider@Example.com", "rider"]:
        log_in(guesser, login, "wrong")
    assert log_in(guesser, "rider@example.com", "right-password-1").status_code == 429


def test_a_right_password_forgets_the_owners_own_typos(rider):
    owner = client_at("198.51.100.7")
    for _ in range(4):
        log_in(owner, "rider", "wrong")
    assert log_in(owner, "rider", "right-password-1").status_code == 302
    owner.logout()
    for _ in range(4):
        log_in(owner, "rider", "wrong")
    assert log_in(owner, "rider", "right-password-1").status_code == 302


def test_one_address_spraying_many_accounts_waits(db):
    make_user("neighbour", password="right-password-2")
    sprayer = client_at("203.0.113.9")
    for number in range(login_limits.ADDRESS_FREE):
        assert log_in(sprayer, f"someone{number}", "guessing").status_code == 200
    response = log_in(sprayer, "neighbour", "right-password-2")
    assert response.status_code == 429 and not logged_in(sprayer)
    # Somebody else behind another address is untouched.
    assert log_in(client_at("198.51.100.7"), "neighbour", "right-password-2").status_code == 302


def test_the_account_ceiling_locks_and_mails_an_unlock_link_that_works(rider, monkeypatch):
    monkeypatch.setattr(login_limits, "ACCOUNT_CEILING", 6)
    for number in range(6):  # one guess each from six addresses
        log_in(client_at(f"203.0.113.{number + 1}"), "rider", "wrong")
    owner = client_at("198.51.100.7")
    response = log_in(owner, "rider", "right-password-1")
    assert response.status_code == 429 and not logged_in(owner)
    assert "e-mailed you a link" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["rider@example.com"] and "paused" in message.subject
    link = re.search(r"http://testserver(/accounts/unlock/\S+/)", str(message.body)).group(1)

    # Opening the link asks; only the button lifts the pause (link scanners lift nothing).
    assert "Lift the pause" in owner.get(link).content.decode()
    assert log_in(owner, "rider", "right-password-1").status_code == 429
    assert owner.post(link).status_code == 200
    assert log_in(owner, "rider", "right-password-1").status_code == 302 and logged_in(owner)


def test_the_owners_browser_gets_in_even_when_the_lock_comes_back(rider, monkeypatch):
    monkeypatch.setattr(login_limits, "ACCOUNT_CEILING", 3)
    for number in range(3):
        log_in(client_at(f"203.0.113.{number + 1}"), "rider", "wrong")
    link = re.search(r"http://testserver(/accounts/unlock/\S+/)", str(mail.outbox[0].body)).group(1)
    owner = client_at("198.51.100.7")
    owner.post(link)
    for number in range(3):  # the attacker locks it again
        log_in(client_at(f"203.0.113.{number + 10}"), "rider", "wrong")
    assert log_in(client_at("192.0.2.1"), "rider", "right-password-1").status_code == 429
    assert log_in(owner, "rider", "right-password-1").status_code == 302


def test_a_forged_or_old_unlock_link_is_refused(rider, monkeypatch):
    owner = client_at("198.51.100.7")
    assert owner.post(reverse("login_unlock", args=["forged"])).status_code == 400
    token = signing.dumps({"account": f"user:{rider.pk}"}, salt=login_limits.UNLOCK_SALT)
    later = time.time() + login_limits.UNLOCK_MAX_AGE + 10
    monkeypatch.setattr(time, "time", lambda: later)
    assert owner.post(reverse("login_unlock", args=[token])).status_code == 400


def test_no_mail_and_the_same_page_for_an_account_that_does_not_exist(db, monkeypatch):
    monkeypatch.setattr(login_limits, "ACCOUNT_CEILING", 3)
    for number in range(3):
        log_in(client_at(f"203.0.113.{number + 1}"), "ghost", "wrong")
    response = log_in(client_at("198.51.100.7"), "ghost", "wrong")
    assert response.status_code == 429 and "e-mailed you a link" in response.content.decode()
    assert mail.outbox == []


# --- the admin's log-in --------------------------------------------------------------


def test_admin_log_in_goes_through_the_same_limits(db):
    make_user("boss", password="right-password-3", is_staff=True, is_superuser=True)
    guesser = client_at("203.0.113.9")
    for _ in range(5):
        assert admin_log_in(guesser, "boss", "wrong").status_code == 200
    response = admin_log_in(guesser, "boss", "right-password-3")
    assert response.status_code == 429 and response["Retry-After"]
    assert not logged_in(guesser)


def test_admin_and_site_log_ins_count_together(db):
    make_user("boss", password="right-password-3", is_staff=True, is_superuser=True)
    guesser = client_at("203.0.113.9")
    for _ in range(3):
        log_in(guesser, "boss", "wrong")
    for _ in range(2):
        admin_log_in(guesser, "boss", "wrong")
    assert log_in(guesser, "boss", "right-password-3").status_code == 429
    assert admin_log_in(guesser, "boss", "right-password-3").status_code == 429


def test_admin_log_in_still_works_for_staff_and_refuses_others(db):
    make_user("boss", password="right-password-3", is_staff=True, is_superuser=True)
    make_user("plain", password="right-password-4")
    staff = client_at("198.51.100.7")
    response = admin_log_in(staff, "boss", "right-password-3")
    assert response.status_code == 302 and logged_in(staff)
    other = client_at("198.51.100.8")
    assert admin_log_in(other, "plain", "right-password-4").status_code == 200
    assert not logged_in(other)


def test_get_of_the_log_in_pages_is_never_limited(rider):
    guesser = client_at("203.0.113.9")
    for _ in range(6):
        log_in(guesser, "rider", "wrong")
    assert guesser.get(reverse("account_login")).status_code == 200
    assert guesser.get(reverse("admin:login")).status_code == 200


def test_a_password_reset_lets_the_owner_in_at_once(rider, monkeypatch):
    monkeypatch.setattr(login_limits, "ACCOUNT_CEILING", 5)
    owner = client_at("198.51.100.7")
    for _ in range(5):  # the owner's own typos, which also reach the ceiling
        log_in(owner, "rider", "wrong")
    assert log_in(owner, "rider", "right-password-1").status_code == 429
    owner.post(reverse("account_reset_password"), {"email": "rider@example.com"})
    link = re.search(
        r"http://testserver(/accounts/password/reset/key/\S+/)", str(mail.outbox[-1].body)
    ).group(1)
    form_page = owner.get(link)
    assert form_page.status_code == 302
    owner.post(form_page["Location"], {"password1": "a-new-pass-6543", "password2": "a-new-pass-6543"})
    response = log_in(owner, "rider", "a-new-pass-6543")
    assert response.status_code == 302 and logged_in(owner)
