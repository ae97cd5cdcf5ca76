"""Helpers that tests across the apps share; conftest.py keeps only fixtures and hooks.

Import from here, never from ``conftest`` (pytest may load a conftest under
another module name, and a test should not depend on how pytest collects):
``from apex.tests.fixtures import make_user``.
"""

import itertools
import re
import threading
from collections.abc import Callable
from typing import TypeVar, cast

from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from profiles.models import User

PASSWORD = "pw-for-tests-123"
SIGNUP_PASSWORD = "gearbox-Oil-77"  # noqa: S105 - passes the password validators

_counter = itertools.count(1)
T = TypeVar("T")


def make_user(
    username: str | None = None, password: str = PASSWORD, *, email_verified: bool = True, **fields
) -> User:
    """A user with a unique name and e-mail unless given; the suite hashes passwords with MD5.

    The address is confirmed, as after sign-up, so the user can log in through
    the log-in page; ``email_verified=False`` is an account that has not yet.
    """
    username = username or f"user{next(_counter)}"
    fields.setdefault("email", f"{username}@example.com")
    user = User.objects.create_user(username=username, password=password, **fields)
    if user.email:
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    return user


def sign_up(client: Client, username: str, email: str | None = None, password: str = SIGNUP_PASSWORD):
    """Send the sign-up form as a visitor fills it in (``username@example.com`` unless given)."""
    return client.post(
        reverse("account_signup"),
        {
            "username": username,
            "email": email or f"{username}@example.com",
            "password1": password,
            "password2": password,
        },
    )


def mail_to(address: str) -> list[mail.EmailMessage]:
    """The e-mails sent to ``address`` (the test mailbox), oldest first."""
    return [message for message in mail.outbox if address in message.to]


def confirmation_link(address: str) -> str:
    """The path of the confirmation link in the newest e-mail to ``address``."""
    messages = mail_to(address)
    assert messages, f"no e-mail to {address}"
    body = str(messages[-1].body)
    found = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", body)
    assert found, f"no confirmation link in the e-mail to {address}:\n{body}"
    return found.group(1)


def run_together(*calls: Callable[[], T]) -> list[T | BaseException]:
    """Run each call in its own thread, all released at one moment; their results, in order.

    For the tests that race writers on PostgreSQL: a call's return value, or
    the exception it raised, lands at its position. Each thread closes its
    own database connection (a thread gets a connection of its own).
    """
    barrier = threading.Barrier(len(calls))
    results: list[T | BaseException] = [RuntimeError("did not finish")] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def all_succeeded(outcomes: list[T | BaseException]) -> list[T]:
    """``outcomes`` of ``run_together`` when none may have failed: the first exception is raised."""
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return cast(list[T], outcomes)
