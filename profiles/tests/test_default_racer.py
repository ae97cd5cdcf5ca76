"""The database keeps one default racer per owner with racers, whoever writes.

Not only the services: the ORM, the admin and imports bypass them, so the
triggers of ``profiles`` 0005 do it (see that migration for what each does).
"""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from apex.tests.fixtures import all_succeeded, make_user, run_together
from profiles import services
from profiles.models import RacerProfile, User
from profiles.tests.factories import make_racer


def defaults(owner: User) -> list[str]:
    return list(RacerProfile.objects.filter(owner=owner, is_default=True).values_list("name", flat=True))


def racers_aged(owner: User, *names: str) -> list[RacerProfile]:
    """Racers created in this order, a day apart (the oldest first), through the ORM."""
    racers = [make_racer(owner, name) for name in names]
    start = timezone.now() - dt.timedelta(days=len(names))
    for age, racer in enumerate(racers):
        RacerProfile.objects.filter(pk=racer.pk).update(created_at=start + dt.timedelta(days=age))
    return racers


def test_first_racer_created_through_the_orm_is_the_default(user):
    first = make_racer(user, "First")
    make_racer(user, "Second")
    first.refresh_from_db()
    assert first.is_default
    assert defaults(user) == ["First"]


def test_first_racers_of_a_bulk_create_give_one_default(user):
    RacerProfile.objects.bulk_create([RacerProfile(owner=user, name=n) for n in ("A", "B", "C")])
    assert defaults(user) == ["A"]


def test_deleting_the_default_through_the_orm_promotes_the_oldest_remaining(user):
    default, _young, old = racers_aged(user, "Default", "Young", "Old")
    RacerProfile.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    default.delete()
    assert defaults(user) == ["Old"]


def test_deleting_a_racer_that_is_not_the_default_keeps_the_default(user):
    racers_aged(user, "Default", "Other")[1].delete()
    assert defaults(user) == ["Default"]


def test_deleting_every_racer_leaves_none_and_touches_no_other_owner(user, other_user):
    racers_aged(user, "A", "B", "C")
    make_racer(other_user, "Theirs")
    RacerProfile.objects.filter(owner=user).delete()
    assert not RacerProfile.objects.filter(owner=user).exists()
    assert defaults(other_user) == ["Theirs"]


def test_deleting_the_owner_deletes_every_racer(user):
    racers_aged(user, "A", "B")
    user.delete()
    assert not RacerProfile.objects.exists()


def test_moving_the_default_to_another_owner_promotes_at_its_old_owner(user, other_user):
    moved, _stays = racers_aged(user, "Moved", "Stays")
    RacerProfile.objects.filter(pk=moved.pk).update(owner=other_user)
    assert defaults(user) == ["Stays"]
    assert defaults(other_user) == ["Moved"]


def test_services_still_switch_and_delete_the_default(user):
    a = services.racer_create(owner=user, name="A")
    b = services.racer_create(owner=user, name="B")
    services.racer_set_default(owner=user, racer_id=b.pk)
    assert defaults(user) == ["B"]
    assert services.racer_delete(owner=user, racer_id=b.pk) == a
    assert defaults(user) == ["A"]


# --- the admin ---------------------------------------------------------------


def racer_form(owner: User, name: str) -> dict[str, object]:
    return {
        "owner": owner.pk,
        "name": name,
        "email": "",
        "facebook": "",
        "instagram": "",
        "transponder": "",
        "team": "",
        "sponsors-TOTAL_FORMS": "0",
        "sponsors-INITIAL_FORMS": "0",
        "sponsors-MIN_NUM_FORMS": "0",
        "sponsors-MAX_NUM_FORMS": "1000",
    }


def test_first_racer_added_in_the_admin_is_the_default(staff_client, user):
    response = staff_client.post(reverse("admin:profiles_racerprofile_add"), racer_form(user, "Added"))
    assert response.status_code == 302, response.content.decode()[:2000]
    response = staff_client.post(reverse("admin:profiles_racerprofile_add"), racer_form(user, "Second"))
    assert response.status_code == 302
    assert defaults(user) == ["Added"]


def test_deleting_the_default_in_the_admin_promotes_another(staff_client, user):
    default, _other = racers_aged(user, "Default", "Other")
    response = staff_client.post(
        reverse("admin:profiles_racerprofile_delete", args=[default.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert defaults(user) == ["Other"]


def test_deleting_defaults_with_the_admin_bulk_action_promotes_for_each_owner(staff_client, user, other_user):
    mine = racers_aged(user, "Mine", "Mine 2")
    theirs = racers_aged(other_user, "Theirs", "Theirs 2", "Theirs 3")
    response = staff_client.post(
        reverse("admin:profiles_racerprofile_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [mine[0].pk, theirs[0].pk, theirs[1].pk],
        },
    )
    assert response.status_code == 302
    assert defaults(user) == ["Mine 2"]
    assert defaults(other_user) == ["Theirs 3"]


# --- what only PostgreSQL does -------------------------------------------------


@pytest.mark.postgres
def test_moving_the_default_to_an_owner_with_one_keeps_theirs(user, other_user):
    moved, _stays = racers_aged(user, "Moved", "Stays")
    make_racer(other_user, "Theirs")
    RacerProfile.objects.filter(pk=moved.pk).update(owner=other_user)
    assert defaults(user) == ["Stays"]
    assert defaults(other_user) == ["Theirs"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_demoting_the_default_without_a_successor_is_repaired_at_commit():
    owner = make_user("demoter")
    racers_aged(owner, "Default", "Other")
    with transaction.atomic():
        RacerProfile.objects.filter(owner=owner).update(is_default=False)
        assert defaults(owner) == []  # inside the transaction, as written
    assert defaults(owner) == ["Default"]


def race(work, count: int) -> None:
    """Run ``work(i)`` in ``count`` threads released together, each in a transaction; no errors."""

    def in_transaction(i: int) -> None:
        with transaction.atomic():
            work(i)

    all_succeeded(run_together(*(lambda i=i: in_transaction(i) for i in range(count))))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_racers_through_the_orm_give_exactly_one_default():
    for round_ in range(4):
        owners = [make_user(f"racer-owner-{round_}-{i}") for i in range(3)]
        race(lambda i, owners=owners: make_racer(owners[i % 3], f"R{i}"), 6)  # two threads an owner
        for owner in owners:
            assert RacerProfile.objects.filter(owner=owner).count() == 2
            assert len(defaults(owner)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deletes_of_defaults_leave_exactly_one_default():
    owner = make_user("racer-deleter")
    racers_aged(owner, *(f"R{i}" for i in range(12)))
    for _ in range(3):
        # Each thread deletes whatever is the default when it looks: several
        # threads often pick the same one, or one that another just promoted.
        def delete_default(_i: int) -> None:
            RacerProfile.objects.filter(owner=owner, is_default=True).delete()

        race(delete_default, 3)
        left = RacerProfile.objects.filter(owner=owner).count()
        assert left > 0
        assert len(defaults(owner)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_and_default_deletes_leave_exactly_one_default():
    owner = make_user("racer-mixer")
    racers_aged(owner, "Seed 1", "Seed 2")

    def work(i: int) -> None:
        if i % 2:
            RacerProfile.objects.filter(owner=owner, is_default=True).delete()
        else:
            make_racer(owner, f"New {i}")

    race(work, 6)
    assert RacerProfile.objects.filter(owner=owner).exists()
    assert len(defaults(owner)) == 1


def test_the_triggers_exist_at_the_latest_migration(db):
    """A later migration that makes Django rebuild the table on SQLite would drop them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'profiles_racerprofile'::regclass AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'profiles_racerprofile'"
            )
        names = {name for (name,) in cursor.fetchall()}
    expected = {"profiles_racer_promote_on_delete", "profiles_racer_promote_on_move"}
    expected |= (
        {"profiles_racer_lock_owner", "profiles_racer_promote_on_demote"}
        if connection.vendor == "postgresql"
        else {"profiles_racer_first_is_default"}
    )
    assert names == expected
