import pytest
from django.db import IntegrityError, transaction

from apex.tests.fixtures import all_succeeded, make_user, run_together
from profiles import services
from profiles.models import RacerProfile
from profiles.tests.factories import make_racer
from racing.models import Vehicle


def defaults(owner):
    return list(RacerProfile.objects.filter(owner=owner, is_default=True).values_list("name", flat=True))


def test_first_created_racer_becomes_default_and_later_ones_do_not(user):
    first = services.racer_create(owner=user, name="First")
    second = services.racer_create(owner=user, name="Second", transponder="42", sponsors=["Tamiya"])
    assert first.is_default and not second.is_default
    assert defaults(user) == ["First"]
    assert list(second.sponsors.values_list("name", flat=True)) == ["Tamiya"]


def test_list_profiles_annotates_vehicle_count_in_one_query(user, django_assert_num_queries):
    a = services.racer_create(owner=user, name="A")
    services.racer_create(owner=user, name="B")
    Vehicle.objects.create(racer=a, brand="Associated", model="B7")
    Vehicle.objects.create(racer=a, brand="Xray", model="XB2")
    with django_assert_num_queries(1):
        rows = [
            (r.name, r.is_default, r.vehicle_count)
            for r in RacerProfile.objects.owned_by(user).with_vehicle_count().default_first()
        ]
    assert rows == [("A", True, 2), ("B", False, 0)]


def test_set_default_moves_the_star(user):
    a = services.racer_create(owner=user, name="A")
    b = services.racer_create(owner=user, name="B")
    services.racer_set_default(owner=user, racer_id=b.pk)
    assert defaults(user) == ["B"]
    services.racer_set_default(owner=user, racer_id=a.pk)
    assert defaults(user) == ["A"]
    assert RacerProfile.objects.owned_by(user).default() == a


def test_set_default_refuses_another_owners_racer(user, other_user):
    mine = services.racer_create(owner=user, name="Mine")
    theirs = services.racer_create(owner=other_user, name="Theirs")
    with pytest.raises(RacerProfile.DoesNotExist):
        services.racer_set_default(owner=user, racer_id=theirs.pk)
    assert defaults(user) == ["Mine"] and defaults(other_user) == ["Theirs"]
    assert mine.is_default


def test_profiles_of_different_owners_are_isolated(user, other_user):
    services.racer_create(owner=user, name="Mine")
    services.racer_create(owner=other_user, name="Theirs")
    assert [r.name for r in RacerProfile.objects.owned_by(user).with_vehicle_count().default_first()] == [
        "Mine"
    ]
    assert RacerProfile.objects.owned_by(other_user).default().name == "Theirs"


def test_get_or_create_default_creates_default_racer_once(user):
    racer = services.racer_get_or_create_default(owner=user)
    again = services.racer_get_or_create_default(owner=user)
    assert racer == again and racer.name == "owner" and racer.is_default
    assert RacerProfile.objects.filter(owner=user).count() == 1


def test_first_racer_is_named_after_the_person(user):
    user.first_name, user.last_name = "Alex", "Rivera"
    user.save()
    assert services.racer_get_or_create_default(owner=user).name == "Alex Rivera"


def test_first_racer_name_fits_the_column(db):
    from apex.tests.fixtures import make_user

    person = make_user("x" * 150)
    assert services.racer_get_or_create_default(owner=person).name == "x" * 100  # the column's max_length


def test_get_or_create_default_promotes_an_existing_racer_rather_than_adding_one(user):
    make_racer(user, "Old")
    make_racer(user, "Default Racer")
    # Racers without a default, as data from before the default existed (the
    # database repairs this only when the transaction commits, on PostgreSQL).
    RacerProfile.objects.filter(owner=user).update(is_default=False)
    racer = services.racer_get_or_create_default(owner=user)
    assert racer.name == "Default Racer"
    assert RacerProfile.objects.filter(owner=user).count() == 2


def test_get_default_profile_is_none_without_racers(user):
    assert RacerProfile.objects.owned_by(user).default() is None


def test_deleting_the_default_promotes_the_oldest_remaining(user):
    a = services.racer_create(owner=user, name="A")
    b = services.racer_create(owner=user, name="B")
    c = services.racer_create(owner=user, name="C")
    successor = services.racer_delete(owner=user, racer_id=a.pk)
    assert successor == b and defaults(user) == ["B"]
    assert services.racer_delete(owner=user, racer_id=c.pk) is None
    assert defaults(user) == ["B"]


def test_deleting_another_owners_racer_is_refused(user, other_user):
    theirs = services.racer_create(owner=other_user, name="Theirs")
    with pytest.raises(RacerProfile.DoesNotExist):
        services.racer_delete(owner=user, racer_id=theirs.pk)
    assert RacerProfile.objects.filter(pk=theirs.pk).exists()


# Each call is wrong on purpose (positional arguments), so mypy's [misc] is ignored.
@pytest.mark.parametrize(
    "call",
    [
        lambda user: services.racer_create(user, "Positional"),  # type: ignore[misc]
        lambda user: services.racer_set_default(user, 1),  # type: ignore[misc]
        lambda user: services.racer_delete(user, 1),  # type: ignore[misc]
        lambda user: services.racer_get_or_create_default(user),  # type: ignore[misc]
    ],
)
def test_services_take_keyword_arguments_only(user, call):
    with pytest.raises(TypeError):
        call(user)
    assert not RacerProfile.objects.exists()


def test_database_refuses_a_second_default(user):
    services.racer_create(owner=user, name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_racer(user, "B", is_default=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_default_switches_leave_exactly_one_default():
    owner = make_user("racer-owner")
    racers = [services.racer_create(owner=owner, name=f"R{i}") for i in range(4)]
    for _ in range(10):
        all_succeeded(
            run_together(
                *(lambda pk=r.pk: services.racer_set_default(owner=owner, racer_id=pk) for r in racers[1:3])
            )
        )
        assert len(defaults(owner)) == 1
        assert defaults(owner)[0] in {"R1", "R2"}
        services.racer_set_default(owner=owner, racer_id=racers[0].pk)


# --- The earlier names keep their signatures and behaviour -----------------


def test_list_profiles_is_the_owners_racers_default_first_with_vehicle_counts(user, other_user):
    services.racer_create(owner=user, name="Zed")
    b = services.racer_create(owner=user, name="Bea")
    services.racer_create(owner=other_user, name="Theirs")
    Vehicle.objects.create(racer=b, brand="Xray", model="XB2")
    services.racer_set_default(owner=user, racer_id=b.pk)
    assert [(r.name, r.vehicle_count) for r in services.list_profiles(user)] == [("Bea", 1), ("Zed", 0)]


def test_get_default_profile_is_the_default_or_none(user, other_user):
    assert services.get_default_profile(user) is None
    racer = services.racer_create(owner=user, name="Mine")
    services.racer_create(owner=user, name="Second")
    assert services.get_default_profile(user) == racer


def test_set_default_profile_takes_owner_and_id_positionally(user, other_user):
    services.racer_create(owner=user, name="A")
    b = services.racer_create(owner=user, name="B")
    assert services.set_default_profile(user, b.pk) == b
    assert defaults(user) == ["B"]
    theirs = services.racer_create(owner=other_user, name="Theirs")
    with pytest.raises(RacerProfile.DoesNotExist):
        services.set_default_profile(user, theirs.pk)


def test_get_or_create_default_profile_creates_once_then_returns_it(user):
    racer = services.get_or_create_default_profile(user)
    assert (racer.name, racer.is_default) == ("owner", True)
    assert services.get_or_create_default_profile(user) == racer
    assert RacerProfile.objects.filter(owner=user).count() == 1


def test_create_and_delete_profile_keep_their_positional_signatures(user):
    first = services.create_profile(user, "First", sponsors=["Tamiya"])
    second = services.create_profile(user, "Second", transponder="42")
    assert first.is_default and second.transponder == "42"
    assert list(first.sponsors.values_list("name", flat=True)) == ["Tamiya"]
    assert services.delete_profile(user, first.pk) == second
    assert defaults(user) == ["Second"]
