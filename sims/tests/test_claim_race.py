"""Two users claiming one profile at the same moment: exactly one wins."""

import pytest

from apex.tests.fixtures import make_user, run_together
from sims import services
from sims.models import AuditEntry, ProfileAlreadyLinked, SimProfile
from sims.tests.factories import make_profile


def test_link_twice_says_already_linked(db):
    first, second = make_user("first"), make_user("second")
    profile = make_profile()
    services.sim_profile_link(profile=profile, user=first, ip=None)
    with pytest.raises(ProfileAlreadyLinked):
        services.sim_profile_link(profile=SimProfile.objects.get(pk=profile.pk), user=second, ip=None)
    assert SimProfile.objects.get(pk=profile.pk).linked_user == first


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_claims_link_exactly_once():
    users = [make_user(f"racer{i}") for i in range(2)]
    profile = make_profile()
    # Each claimant holds the profile as loaded before either has linked it.
    loaded = [SimProfile.objects.select_related("simulator").get(pk=profile.pk) for _ in users]
    outcomes = run_together(
        *(
            lambda mine=mine, user=user: services.sim_profile_link(profile=mine, user=user, ip="127.0.0.1")
            for mine, user in zip(loaded, users, strict=True)
        )
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["ProfileAlreadyLinked", "SimProfile"]
    profile.refresh_from_db()
    assert profile.linked_user in users
    assert AuditEntry.objects.filter(action="link").count() == 1
