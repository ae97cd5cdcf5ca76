"""Fixtures and hooks shared by every app's tests (helpers live in apex/tests/fixtures.py)."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from hypothesis import settings as hypothesis_settings
from zeal.constants import initialize_app_registry
from zeal.patch import patch as zeal_patch

from apex.tests.fixtures import make_user
from profiles.models import User

# Hypothesis profiles, registered here only. CI is derandomized: the same
# examples on every run, so a red CI is the code's fault and reproduces from
# its log (print_blob prints the @reproduce_failure line); locally examples
# are random and the failures found are remembered in .hypothesis/. Requests
# against a database have no meaningful deadline on a shared 2-core machine.
hypothesis_settings.register_profile("dev", max_examples=20, deadline=None)
hypothesis_settings.register_profile(
    "ci", max_examples=20, deadline=None, derandomize=True, database=None, print_blob=True
)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


def pytest_configure(config):
    # django-zeal is a test dependency, so it is not in INSTALLED_APPS; this
    # is what its AppConfig.ready() does: learn the models, patch the ORM.
    initialize_app_registry()
    zeal_patch()
    settings.ZEAL_ALLOWLIST = [
        # Django caches content types per process; a second get() is that cache
        # filling for another model (admin pages), not rows loaded one by one.
        {"model": "contenttypes.ContentType", "field": "get()"},
        # Every query made inside Django's own code (auth, the admin) counts as
        # made on one line, the innermost project middleware's call. So the
        # request's user (one get()) and an admin raw-id field's label (one
        # get() per field on a single-object page) look like a repeat. Users
        # loaded row by row through a relation are still caught (the field's
        # name, not get(), is what zeal reports then).
        {"model": "profiles.User", "field": "get()"},
        # Likewise the session: logging out reads it, then the database
        # backend's delete() fetches the same row again to delete it.
        {"model": "sessions.Session", "field": "get()"},
        # allauth looks an account's e-mail address up again at each step of
        # confirming it or logging in (one account's rows, not a list's).
        {"model": "account.EmailAddress", "field": "get()"},
    ]


# Runs after pytest-django has put the tests in Django's order (database tests,
# then transactional ones, whose flush empties the tables the data migrations
# filled, then tests without a database).
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are deselected (not skipped) on SQLite; the image is built first.

    `make test` runs the suite again on PostgreSQL, where they run. The
    deployable image's tests use no database, so they can go first: one
    worker builds the image (about 25 s) while the other runs the rest,
    instead of at the end with the other worker idle.
    """
    if connection.vendor != "postgresql":
        keep: list[pytest.Item] = []
        drop: list[pytest.Item] = []
        for item in items:
            (drop if item.get_closest_marker("postgres") else keep).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep
    items.sort(key=lambda item: not _in_group(item, "image"))


def _in_group(item: pytest.Item, name: str) -> bool:
    marker = item.get_closest_marker("xdist_group")
    return marker is not None and marker.args[:1] == (name,)


def pytest_collection_finish(session):
    """Under ``--dist loadgroup`` every ``xdist_group`` test must really be grouped.

    pytest-xdist groups by a ``@group`` suffix it writes into each node id; a
    pytest release that stops that write (9.2 with xdist 3.8 did) spreads a
    group over the workers without a word: the image was built twice at once
    and the app-server tests were spread over both workers.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None or not session.config.getvalue("loadgroup"):
        return
    grouped = [item for item in session.items if item.get_closest_marker("xdist_group")]
    lost = [item.nodeid for item in grouped if "@" not in item.nodeid]
    if lost:
        raise pytest.UsageError(
            f"--dist loadgroup did not group {len(lost)} tests (e.g. {lost[0]}): "
            "this pytest and pytest-xdist do not work together; see requirements-dev.txt"
        )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file (one per worker), not memory.

    With an in-memory database Django hands the browser tests' live server
    the test thread's own connection; a query from the test while the server
    answers the browser (the service worker refreshing a page, say) ran two
    threads on one connection: a 500 and a worker that died (seen in CI).
    A file gives the server a connection of its own; WAL and the busy
    timeout of the settings let the two work together.
    """
    for alias, database in settings.DATABASES.items():
        if database["ENGINE"] == "django.db.backends.sqlite3":
            database.setdefault("TEST", {})["NAME"] = str(
                tmp_path_factory.mktemp("sqlite") / f"{alias}.sqlite3"
            )


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """MD5 instead of PBKDF2 (about a third of a second a password): tests prove behaviour, not key stretching."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _no_n_plus_one():
    """Every request a test makes fails on an N+1 query (django-zeal): the same query
    from the same line twice, e.g. a relation loaded row by row in a list.

    Its middleware goes first, so it watches the whole request, in the test
    client and in the browser tests' live server alike.
    """
    with override_settings(MIDDLEWARE=["zeal.middleware.zeal_middleware", *settings.MIDDLEWARE]):
        yield


@pytest.fixture(autouse=True)
def _fresh_public_pages(settings):
    """Tests see every change at once; apex/tests/test_public_page_cache.py turns the cache on."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db) -> User:
    return make_user("owner")


@pytest.fixture
def other_user(db) -> User:
    return make_user("intruder")


@pytest.fixture
def staff_user(db) -> User:
    return make_user("staff", is_staff=True, is_superuser=True)


@pytest.fixture
def owner_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def other_client(client, other_user):
    client.force_login(other_user)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
