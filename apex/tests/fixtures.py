"""Helpers that tests across the apps share; conftest.py keeps only fixtures and hooks.

Import from here, never from ``conftest`` (pytest may load a conftest under
another module name, and a test should not depend on how pytest collects):
``from apex.tests.fixtures import make_user``.
"""

import itertools
import threading
from collections.abc import Callable
from typing import TypeVar, cast

from django.db import connection

from profiles.models import User

PASSWORD = "pw-for-tests-123"

_counter = itertools.count(1)
T = TypeVar("T")


def make_user(username: str | None = None, password: str = PASSWORD, **fields) -> User:
    """A user with a unique name and e-mail unless given; the suite hashes passwords with MD5."""
    username = username or f"user{next(_counter)}"
    fields.setdefault("email", f"{username}@example.com")
    return User.objects.create_user(username=username, password=password, **fields)


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
