import pytest
from django.urls import reverse
from zeal import zeal_ignore

from library.tests.factories import make_library_setup
from racing.tests.factories import make_baseline, make_race_day, make_vehicle, racer_of


@pytest.fixture
def baseline(user):
    return make_baseline(make_vehicle(racer_of(user), model="MBX8R"))


def test_compare_highlights_changed_parameters(owner_client, baseline):
    library = make_library_setup(df=5000)
    response = owner_client.get(
        reverse("compare"), {"a": f"baseline:{baseline.pk}", "b": f"library:{library.pk}"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 parameter differs" in page
    row = page[page.index("Front diff oil") - 200 : page.index("Front diff oil")]
    assert 'class="changed"' in row
    assert page.count('<tr class="changed">') == 1


def test_compare_race_day_with_baseline(owner_client, user, baseline):
    race_day = make_race_day(racer_of(user), baseline.vehicle)
    response = owner_client.get(
        reverse("compare"), {"a": f"raceday:{race_day.pk}", "b": f"baseline:{baseline.pk}"}
    )
    assert response.status_code == 200 and "0 parameters differ" in response.content.decode()


def test_two_library_setups_can_be_compared_by_anyone(client, db):
    a, b = make_library_setup(), make_library_setup(dr=4000)
    # The page loads its two setups one by one from the same line: two, never
    # N, so not an N+1 (which django-zeal counts from the second repeat).
    with zeal_ignore([{"model": "library.LibrarySetup", "field": "get()"}]):
        response = client.get(reverse("compare"), {"a": f"library:{a.pk}", "b": f"library:{b.pk}"})
    assert response.status_code == 200 and "1 parameter differs" in response.content.decode()


def test_other_users_baseline_is_404(other_client, baseline):
    library = make_library_setup()
    response = other_client.get(
        reverse("compare"), {"a": f"baseline:{baseline.pk}", "b": f"library:{library.pk}"}
    )
    assert response.status_code == 404


def test_other_users_race_day_is_404(other_client, user, baseline):
    race_day = make_race_day(racer_of(user), baseline.vehicle)
    library = make_library_setup()
    response = other_client.get(
        reverse("compare"), {"a": f"raceday:{race_day.pk}", "b": f"library:{library.pk}"}
    )
    assert response.status_code == 404


def test_anonymous_asking_for_owned_setups_is_sent_to_login(client, baseline):
    library = make_library_setup()
    response = client.get(reverse("compare"), {"a": f"baseline:{baseline.pk}", "b": f"library:{library.pk}"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_bad_reference_is_404(owner_client, baseline):
    assert owner_client.get(reverse("compare"), {"a": "nonsense:1", "b": "library:x"}).status_code == 404


def test_picker_lists_the_active_racers_setups(owner_client, baseline):
    page = owner_client.get(reverse("compare")).content.decode()
    assert f'value="baseline:{baseline.pk}"' in page
