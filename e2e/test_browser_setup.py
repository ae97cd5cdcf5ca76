"""A missing browser fails the browser tests loudly, in CI and on a laptop."""

import pytest

from e2e.helpers import CHROMIUM, require_chromium


@pytest.mark.parametrize("ci", ["true", None])
def test_missing_chromium_fails_with_the_install_command(tmp_path, monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception) as failure:
        require_chromium(tmp_path / "no-chromium-here")
    assert "apt-get install -y chromium" in str(failure.value)


def test_installed_chromium_is_accepted():
    require_chromium(CHROMIUM)


def test_the_live_server_has_a_database_connection_of_its_own(django_db_setup, live_server):
    # The test database exists before the server starts (as in a full run).
    # Django would hand the server the test thread's connection to an
    # in-memory SQLite database: a test's query and the browser's request
    # could then run on one connection at once.
    assert live_server.thread.connections_override == {}
