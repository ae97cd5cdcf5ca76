"""Two users claiming one profile at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection

from apex.tests.fixtures import make_user
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
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []

    def claim(user):
        try:
            # Each thread loads the profile before the other has linked it.
            mine = SimProfile.objects.select_related("simulator").get(pk=profile.pk)
            barrier.wait(timeout=10)
            services.sim_profile_link(profile=mine, user=user, ip="127.0.0.1")
            outcomes.append("linked")
        except ProfileAlreadyLinked:
            outcomes.append("already linked")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes) == ["already linked", "linked"]
    profile.refresh_from_db()
    assert profile.linked_user in users
    assert AuditEntry.objects.filter(action="link").count() == 1
