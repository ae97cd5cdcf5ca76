"""python manage.py verify_sim_profiles"""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apex.tests.fixtures import make_user
from sims.models import EventResult, SimProfile
from sims.tests.factories import make_event, make_profile, make_result, make_simulator

pytestmark = pytest.mark.django_db


def test_consistent_data_passes(capsys):
    user = make_user()
    profile = make_profile(linked_user=user, is_verified=True)
    make_result(make_event(profile.simulator), profile)
    call_command("verify_sim_profiles")
    assert "All sim profiles are consistent" in capsys.readouterr().out


def test_each_problem_is_reported_and_the_command_fails(capsys):
    simulator = make_simulator()
    user = make_user()
    blank = make_profile(simulator, identifier="x")
    SimProfile.objects.filter(pk=blank.pk).update(profile_identifier="")
    make_profile(simulator, identifier="ABC")
    make_profile(simulator, identifier="abc ")
    no_date = make_profile(simulator, linked_user=user)
    SimProfile.objects.filter(pk=no_date.pk).update(linked_at=None)
    make_profile(simulator, is_verified=True)
    result = make_result(make_event(simulator), make_profile(simulator))

    # A result whose event is gone: foreign keys are checked at commit, so
    # inside the test's transaction the row can point at nothing for a while.
    EventResult.objects.filter(pk=result.pk).update(event_id=987654)
    try:
        with pytest.raises(CommandError, match="5 problem"):
            call_command("verify_sim_profiles")
    finally:
        EventResult.objects.filter(pk=result.pk).delete()
    out = capsys.readouterr().out
    assert "Profiles without an identifier: 1" in out
    assert "Identifiers used twice on one simulator (ignoring case and spaces): 1" in out
    assert "Linked profiles without linked_at: 1" in out
    assert "Verified profiles with no linked user: 1" in out
    assert "Results pointing at a missing event or profile: 1" in out
    assert f"result {result.pk} event=987654" in out


def test_unlinking_a_verified_profile_leaves_nothing_to_report(capsys):
    user = make_user()
    profile = make_profile(linked_user=user, linked_at=timezone.now(), is_verified=True)
    profile.unlink_from_user()
    call_command("verify_sim_profiles")
    assert "Verified profiles with no linked user: none" in capsys.readouterr().out


def test_deleting_a_user_unlinks_their_profiles_and_drops_the_badge(capsys):
    user = make_user()
    profile = make_profile(linked_user=user, is_verified=True)
    user.delete()
    profile.refresh_from_db()
    assert (profile.linked_user, profile.linked_at, profile.is_verified) == (None, None, False)
    call_command("verify_sim_profiles")
