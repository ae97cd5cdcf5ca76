"""The suite's own settings: what keeps it fast and its failures reproducible."""

import os

import pytest
from django.contrib.auth.hashers import get_hasher
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from zeal import NPlusOneError

from apex.tests import hostile
from apex.tests.fixtures import make_user
from profiles.models import RacerProfile
from profiles.tests.factories import make_racer


def racer_owners(request):
    return HttpResponse(", ".join(racer.owner.username for racer in RacerProfile.objects.all()))


urlpatterns = [path("racer-owners/", racer_owners)]


def test_ci_runs_hypothesis_derandomized():
    ci = hypothesis_settings.get_profile("ci")
    assert ci.derandomize and ci.print_blob and ci.database is None and ci.deadline is None
    assert hypothesis_settings.default.derandomize == (os.environ.get("CI") == "true")


@given(number=hostile.absent_ids())
def test_absent_ids_are_never_a_row_id(number):
    assert number == 0 or number >= hostile.ABSENT_ID_FLOOR


def test_passwords_are_hashed_with_md5_in_the_suite():
    # PBKDF2 takes about a third of a second a password; the suite makes hundreds.
    assert get_hasher().algorithm == "md5"


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_with_an_n_plus_one_fails_its_test(client, db):
    make_racer(make_user("first")), make_racer(make_user("second"))
    with pytest.raises(NPlusOneError, match="profiles.RacerProfile.owner"):
        client.get("/racer-owners/")


def test_every_test_file_is_under_a_testpath():
    # `make test` runs pytest without paths: a folder of tests left out of testpaths never runs.
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    testpaths = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"][
        "testpaths"
    ]
    skipped = {".venv", ".git", "node_modules", "staticfiles", "tools"}
    files = [
        path.relative_to(root)
        for top in root.iterdir()
        if top.is_dir() and top.name not in skipped
        for path in top.rglob("test_*.py")
    ]
    assert files
    outside = [str(f) for f in files if not any(f.is_relative_to(t) for t in testpaths)]
    assert not outside, f"not under pyproject.toml's testpaths: {outside}"
