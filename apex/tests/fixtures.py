"""Helpers that tests across the apps share; conftest.py keeps only fixtures and hooks.

Import from here, never from ``conftest`` (pytest may load a conftest under
another module name, and a test should not depend on how pytest collects):
``from apex.tests.fixtures import make_user``.
"""

import itertools

from profiles.models import User

PASSWORD = "pw-for-tests-123"

_counter = itertools.count(1)


def make_user(username: str | None = None, password: str = PASSWORD, **fields) -> User:
    """A user with a unique name and e-mail unless given; the suite hashes passwords with MD5."""
    username = username or f"user{next(_counter)}"
    fields.setdefault("email", f"{username}@example.com")
    return User.objects.create_user(username=username, password=password, **fields)
