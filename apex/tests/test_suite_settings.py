"""The suite's own settings: what keeps it fast and its failures reproducible."""

import os

from django.contrib.auth.hashers import get_hasher
from hypothesis import given
from hypothesis import settings as hypothesis_settings

from apex.tests import hostile


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
