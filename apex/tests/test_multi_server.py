"""Two app servers (the image's gunicorn) on one PostgreSQL and one Redis, as behind a load balancer.

They count failed log-ins together, see each other's edits on cached public
pages at once, and share sessions. Marked ``postgres``: it runs in the
PostgreSQL pass, and there an unreachable Redis fails it under CI.
"""

import os

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from apex.tests.fixtures import make_user
from apex.tests.servers import (
    Browser,
    app_server,
    collect_static,
    database_url_of,
    production_env,
    require_redis,
)
from library.forms import LibrarySetupForm
from library.tests.factories import make_library_setup

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("app-servers")]

# Redis database 1 for a serial run, 1 + N for xdist worker gwN: each worker
# that runs these tests empties only its own database, never another's counters.
REDIS_DB = 1 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    return collect_static(tmp_path_factory.mktemp("static"))


@pytest.fixture(scope="module")
def servers(django_db_setup, static_root, tmp_path_factory):
    env = production_env(
        static_root,
        DATABASE_URL=database_url_of(connection.settings_dict),
        CACHE_URL=require_redis(REDIS_DB),
        PUBLIC_PAGE_CACHE_SECONDS="300",
    )
    logs = tmp_path_factory.mktemp("logs")
    with app_server(env, logs) as first, app_server(env, logs) as second:
        yield first, second


@pytest.fixture
def two_servers(servers, transactional_db):
    require_redis(REDIS_DB)  # every test starts with no counters and no cached pages
    return servers


def make_rider(username: str, password: str):
    """A user whose password the servers can check (the suite itself hashes with MD5 only)."""
    user = make_user(username)
    user.password = PBKDF2PasswordHasher().encode(password, PBKDF2PasswordHasher().salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user


def log_in(browser: Browser, server, login: str, password: str):
    return browser.post(f"{server.url}/accounts/login/", {"login": login, "password": password})


def test_failed_log_ins_on_both_servers_count_together(two_servers):
    first, second = two_servers
    make_rider("rider", "right-password-1")
    guesser = Browser()
    for server in (first, second, first, second, first):
        assert log_in(guesser, server, "rider", "wrong").status == 200
    for server in (first, second):
        refused = log_in(guesser, server, "rider", "right-password-1")
        assert refused.status == 429 and int(refused.headers["retry-after"]) > 0
    assert guesser.cookie("sessionid") is None


def test_a_session_started_on_one_server_works_on_the_other(two_servers):
    first, second = two_servers
    make_rider("rider", "right-password-1")
    rider = Browser()
    assert log_in(rider, first, "rider", "right-password-1").status == 302
    page = rider.get(f"{second.url}/racers/")
    assert page.status == 200 and "rider" in page.body
    assert rider.post(f"{second.url}/accounts/logout/", {}).status == 302
    assert rider.get(f"{first.url}/racers/").status == 302  # logged out everywhere


def test_an_edit_through_one_server_is_on_the_others_cached_pages_at_once(two_servers):
    first, second = two_servers
    author = make_rider("author", "right-password-1")
    setup = make_library_setup(added_by=author, track="Rijswijk")
    page = f"{second.url}/library/{setup.pk}/"
    assert Browser().get(page).headers.get("x-apex-cache") == "miss"
    cached = Browser().get(page)
    assert cached.headers.get("x-apex-cache") == "hit" and "Rijswijk" in cached.body

    form = LibrarySetupForm(instance=setup)
    data = {name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields}
    editor = Browser()
    assert log_in(editor, first, "author", "right-password-1").status == 302
    saved = editor.post(f"{first.url}/library/{setup.pk}/edit/", data | {"track": "Lostallo"})
    assert saved.status == 302, saved.body[:2000]

    fresh = Browser().get(page)
    assert fresh.headers.get("x-apex-cache") == "miss"
    assert "Lostallo" in fresh.body and "Rijswijk" not in fresh.body
