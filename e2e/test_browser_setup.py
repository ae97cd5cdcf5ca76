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
