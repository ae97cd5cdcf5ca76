import threading

import pytest
from django.db import IntegrityError, close_old_connections, transaction

from apex.tests.fixtures import make_user
from profiles import services
from profiles.models import RacerProfile
from profiles.tests.factories import make_racer
from racing.models import Vehicle


def defaults(owner):
    return list(RacerProfile.objects.filter(owner=owner, is_default=True).values_list("name", flat=True))


def test_first_created_racer_becomes_default_and_later_ones_do_not(user):
    first = services.create_profile(user, "First")
    second = services.create_profile(user, "Second", transponder="42", sponsors=["Tamiya"])
    assert first.is_default and not second.is_default
    assert defaults(user) == ["First"]
    assert list(second.sponsors.values_list("name", flat=True)) == ["Tamiya"]


def test_list_profiles_annotates_vehicle_count_in_one_query(user, django_assert_num_queries):
    a = services.create_profile(user, "A")
    services.create_profile(user, "B")
    Vehicle.objects.create(racer=a, brand="Associated", model="B7")
    Vehicle.objects.create(racer=a, brand="Xray", model="XB2")
    with django_assert_num_queries(1):
        rows = [(r.name, r.is_default, r.vehicle_count) for r in services.list_profiles(user)]
    assert rows == [("A", True, 2), ("B", False, 0)]


def test_set_default_moves_the_star(user):
    a = services.create_profile(user, "A")
    b = services.create_profile(user, "B")
    services.set_default_profile(user, b.pk)
    assert defaults(user) == ["B"]
    services.set_default_profile(user, a.pk)
    assert defaults(user) == ["A"]
    assert services.get_default_profile(user) == a


def test_set_default_refuses_another_owners_racer(user, other_user):
    mine = services.create_profile(user, "Mine")
    theirs = services.create_profile(other_user, "Theirs")
    with pytest.raises(RacerProfile.DoesNotExist):
        services.set_default_profile(user, theirs.pk)
    assert defaults(user) == ["Mine"] and defaults(other_user) == ["Theirs"]
    assert mine.is_default


def test_profiles_of_different_owners_are_isolated(user, other_user):
    services.create_profile(user, "Mine")
    services.create_profile(other_user, "Theirs")
    assert [r.name for r in services.list_profiles(user)] == ["Mine"]
    assert services.get_default_profile(other_user).name == "Theirs"


def test_get_or_create_default_creates_default_racer_once(user):
    racer = services.get_or_create_default_profile(user)
    again = services.get_or_create_default_profile(user)
    assert racer == again and racer.name == "Default Racer" and racer.is_default
    assert RacerProfile.objects.filter(owner=user).count() == 1


def test_get_or_create_default_promotes_an_existing_racer_rather_than_adding_one(user):
    make_racer(user, "Old")
    make_racer(user, "Default Racer")
    racer = services.get_or_create_default_profile(user)
    assert racer.name == "Default Racer"
    assert RacerProfile.objects.filter(owner=user).count() == 2


def test_get_default_profile_is_none_without_racers(user):
    assert services.get_default_profile(user) is None


def test_deleting_the_default_promotes_the_oldest_remaining(user):
    a = services.create_profile(user, "A")
    b = services.create_profile(user, "B")
    c = services.create_profile(user, "C")
    successor = services.delete_profile(user, a.pk)
    assert successor == b and defaults(user) == ["B"]
    assert services.delete_profile(user, c.pk) is None
    assert defaults(user) == ["B"]


def test_database_refuses_a_second_default(user):
    services.create_profile(user, "A")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_racer(user, "B", is_default=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_default_switches_leave_exactly_one_default():
    owner = make_user("racer-owner")
    racers = [services.create_profile(owner, f"R{i}") for i in range(4)]
    for _ in range(10):
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def switch(profile_id):
            try:
                barrier.wait()
                services.set_default_profile(owner, profile_id)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                close_old_connections()

        threads = [threading.Thread(target=switch, args=(r.pk,)) for r in racers[1:3]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(defaults(owner)) == 1
        assert defaults(owner)[0] in {"R1", "R2"}
        services.set_default_profile(owner, racers[0].pk)
