from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from apex.tests.fixtures import make_user
from profiles import services as profile_services
from racing.models import Vehicle
from racing.tests.factories import make_baseline, make_vehicle, racer_of


@pytest.fixture
def racer(user):
    return racer_of(user)


@pytest.fixture
def vehicle(racer):
    return make_vehicle(racer, brand="Mugen", model="MBX8R", nickname="Red")


def test_database_refuses_same_brand_model_nickname_for_one_racer(racer, vehicle):
    with pytest.raises(IntegrityError):
        Vehicle.objects.create(racer=racer, brand="Mugen", model="MBX8R", nickname="Red")


def test_two_racers_may_have_the_same_vehicle(user, racer, vehicle):
    other = profile_services.create_profile(user, "Sam")
    Vehicle.objects.create(racer=other, brand="Mugen", model="MBX8R", nickname="Red")


def test_form_says_duplicate_vehicle_in_plain_words(owner_client, vehicle):
    response = owner_client.post(
        reverse("vehicle_create"), {"brand": "Mugen", "model": "MBX8R", "nickname": "Red"}
    )
    assert response.status_code == 200
    assert "already has a Mugen MBX8R “Red”" in response.content.decode()
    assert Vehicle.objects.count() == 1


def test_owner_adds_vehicle_for_active_racer(owner_client, racer):
    response = owner_client.post(
        reverse("vehicle_create"), {"brand": "Xray", "model": "XB8", "nickname": "", "transponder": "123"}
    )
    vehicle = Vehicle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == vehicle.get_absolute_url()
    assert vehicle.racer == racer


def test_vehicle_list_shows_only_the_active_racers_vehicles(owner_client, user, racer, vehicle):
    sam = profile_services.create_profile(user, "Sam")
    make_vehicle(sam, brand="Kyosho", model="MP10")
    page = owner_client.get(reverse("vehicle_list")).content.decode()
    assert "MBX8R" in page and "MP10" not in page
    owner_client.post(reverse("racer_switch", args=[sam.pk]))
    page = owner_client.get(reverse("vehicle_list")).content.decode()
    assert "MP10" in page and "MBX8R" not in page


def test_switcher_vehicle_count_comes_from_vehicles(owner_client, racer, vehicle):
    make_vehicle(racer, brand="Xray", model="XB8")
    assert "· 2 vehicles" in owner_client.get(reverse("vehicle_list")).content.decode()


def test_vehicle_list_has_empty_state(owner_client, racer):
    assert "has no vehicles yet" in owner_client.get(reverse("vehicle_list")).content.decode()


def test_vehicle_list_query_count_is_constant(owner_client, racer, django_assert_max_num_queries):
    for i in range(3):
        make_baseline(make_vehicle(racer, model=f"A{i}"))
    owner_client.get(reverse("vehicle_list"))
    with django_assert_max_num_queries(9):
        small = owner_client.get(reverse("vehicle_list"))
    for i in range(30):
        make_baseline(make_vehicle(racer, model=f"B{i}"))
    with django_assert_max_num_queries(9):
        big = owner_client.get(reverse("vehicle_list"))
    assert small.status_code == big.status_code == 200
    assert big.content.decode().count("version 1") == 33


def test_owner_edits_vehicle(owner_client, vehicle):
    response = owner_client.post(
        reverse("vehicle_edit", args=[vehicle.pk]), {"brand": "Mugen", "model": "MBX8R", "nickname": "Blue"}
    )
    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.nickname == "Blue"


def test_edit_to_a_duplicate_is_refused_with_a_message(owner_client, racer, vehicle):
    second = make_vehicle(racer, brand="Mugen", model="MBX8R", nickname="Blue")
    response = owner_client.post(
        reverse("vehicle_edit", args=[second.pk]), {"brand": "Mugen", "model": "MBX8R", "nickname": "Red"}
    )
    assert response.status_code == 200
    assert "already has a Mugen MBX8R “Red”" in response.content.decode()


def test_delete_asks_first_then_deletes(owner_client, vehicle):
    url = reverse("vehicle_delete", args=[vehicle.pk])
    confirm = owner_client.get(url)
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    assert Vehicle.objects.filter(pk=vehicle.pk).exists()
    assert owner_client.post(url).status_code == 302
    assert not Vehicle.objects.filter(pk=vehicle.pk).exists()


def test_owner_sees_vehicle_detail(owner_client, vehicle):
    make_baseline(vehicle, note="kit")
    response = owner_client.get(vehicle.get_absolute_url())
    assert response.status_code == 200
    assert "version 1" in response.content.decode()


VEHICLE_VIEWS = [
    ("vehicle_detail", "get"),
    ("vehicle_edit", "get"),
    ("vehicle_edit", "post"),
    ("vehicle_delete", "get"),
    ("vehicle_delete", "post"),
]


@pytest.mark.parametrize("name,method", VEHICLE_VIEWS)
def test_other_user_gets_404(other_client, vehicle, name, method):
    response = getattr(other_client, method)(reverse(name, args=[vehicle.pk]), {"brand": "X", "model": "Y"})
    assert response.status_code == 404
    vehicle.refresh_from_db()
    assert vehicle.brand == "Mugen"


@pytest.mark.parametrize("name,method", [*VEHICLE_VIEWS, ("vehicle_list", "get"), ("vehicle_create", "post")])
def test_anonymous_is_sent_to_login(client, vehicle, name, method):
    args = [] if name in ("vehicle_list", "vehicle_create") else [vehicle.pk]
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_other_users_vehicles_are_not_listed(vehicle):
    from django.test import Client

    intruder = Client()
    intruder.force_login(make_user("nosy"))
    assert "MBX8R" not in intruder.get(reverse("vehicle_list")).content.decode()


def test_the_setup_shows_values_as_people_write_them(owner_client, user):
    vehicle = make_vehicle(racer_of(user))
    make_baseline(vehicle, df=7000, sb_f=Decimal("2.40"), c_f=Decimal("-1.50"))
    page = owner_client.get(vehicle.get_absolute_url()).content.decode()
    assert '>7000 <span class="muted">cSt</span>' in page
    assert '>2.4 <span class="muted">mm</span>' in page
    assert '>-1.5<span class="muted">°</span>' in page
    assert "2.40" not in page and "-1.50" not in page
