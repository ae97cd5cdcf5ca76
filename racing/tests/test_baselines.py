from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from apex.tests.fixtures import run_together
from racing import services
from racing.models import BaselineVersion, Vehicle
from racing.setup_params import FIELD_NAMES, diff, values_of
from racing.tests.factories import SETUP, make_baseline, make_vehicle, racer_of


@pytest.fixture
def vehicle(user):
    return make_vehicle(racer_of(user), brand="Mugen", model="MBX8R")


def _post_data(values: dict, based_on: int, note: str = "") -> dict:
    data = {name: "" for name in FIELD_NAMES}
    data.update({k: str(v) for k, v in values.items()})
    return {**data, "based_on": str(based_on), "note": note}


# --- service -----------------------------------------------------------------


def test_each_save_adds_the_next_version(vehicle):
    first = services.baseline_save(vehicle=vehicle, values=SETUP, note="kit")
    second = services.baseline_save(vehicle=vehicle, values={**SETUP, "df": 5000}, based_on=1)
    assert (first.number, second.number) == (1, 2)
    assert vehicle.current_baseline() == second
    first.refresh_from_db()
    assert first.df == 7000  # the previous version is kept as it was


def test_blank_means_not_set(vehicle):
    version = services.baseline_save(vehicle=vehicle, values={"df": 7000})
    assert version.dr is None and version.sp_f == ""


def test_save_based_on_an_old_version_raises_stale_and_writes_nothing(vehicle):
    make_baseline(vehicle)
    make_baseline(vehicle, df=5000)
    with pytest.raises(services.StaleBaseline) as caught:
        services.baseline_save(vehicle=vehicle, values=SETUP, based_on=1)
    assert caught.value.current.number == 2
    assert vehicle.baseline_versions.count() == 2


def test_first_save_based_on_zero(vehicle):
    assert services.baseline_save(vehicle=vehicle, values=SETUP, based_on=0).number == 1
    with pytest.raises(services.StaleBaseline):
        services.baseline_save(vehicle=vehicle, values=SETUP, based_on=0)


def test_database_refuses_a_duplicate_version_number(vehicle):
    make_baseline(vehicle)
    with pytest.raises(IntegrityError):
        BaselineVersion.objects.create(vehicle=vehicle, number=1)


def test_database_refuses_out_of_range_values(vehicle):
    with pytest.raises(IntegrityError):
        BaselineVersion.objects.create(vehicle=vehicle, number=1, df=5)


def test_restore_adds_a_new_version_with_the_old_values(vehicle):
    v1 = make_baseline(vehicle, df=7000)
    make_baseline(vehicle, df=5000)
    restored = services.baseline_restore(version=v1)
    assert restored.number == 3 and restored.df == 7000
    assert diff(values_of(v1), values_of(restored)) == []
    assert "Restored version 1" in restored.note


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_based_on_the_same_version_exactly_one_wins(user):
    vehicle = make_vehicle(racer_of(user))
    make_baseline(vehicle)

    def save(df):
        return services.baseline_save(
            vehicle=Vehicle.objects.get(pk=vehicle.pk), values={**SETUP, "df": df}, based_on=1
        )

    outcomes = run_together(lambda: save(5000), lambda: save(9000))
    assert sorted(type(o).__name__ for o in outcomes) == ["BaselineVersion", "StaleBaseline"]
    assert list(vehicle.baseline_versions.values_list("number", flat=True).order_by("number")) == [1, 2]


# --- edit view ---------------------------------------------------------------------


def test_edit_form_is_prefilled_and_grouped(owner_client, vehicle):
    make_baseline(vehicle)
    page = owner_client.get(reverse("baseline_edit", args=[vehicle.pk])).content.decode()
    for legend in ("Diffs", "Shocks", "Geometry", "Tyres", "Engine"):
        assert f"<legend>{legend}</legend>" in page
    assert 'name="df" value="7000"' in page
    assert 'name="based_on" value="1"' in page
    assert 'inputmode="numeric"' in page and 'inputmode="decimal"' in page


def _setup_fields(page: str) -> str:
    return page[page.index('<fieldset class="setup-group">') : page.index('<div class="actions">')]


def test_each_vehicle_and_version_gets_its_own_prefilled_fields(owner_client, user, vehicle):
    make_baseline(vehicle)
    other = make_vehicle(racer_of(user), brand="Xray", model="XB4")
    make_baseline(other, df=9000)
    first = _setup_fields(owner_client.get(reverse("baseline_edit", args=[vehicle.pk])).content.decode())
    second = _setup_fields(owner_client.get(reverse("baseline_edit", args=[other.pk])).content.decode())
    assert 'name="df" value="7000"' in first and 'name="df" value="9000"' in second
    # Again for the first vehicle: the same fields, kept from the first render.
    assert (
        _setup_fields(owner_client.get(reverse("baseline_edit", args=[vehicle.pk])).content.decode()) == first
    )
    make_baseline(vehicle, df=8000)  # version 2: new initial values, new fields
    assert (
        'name="df" value="8000"'
        in owner_client.get(reverse("baseline_edit", args=[vehicle.pk])).content.decode()
    )


def test_a_form_sent_back_shows_what_was_typed_not_the_kept_fields(owner_client, vehicle):
    make_baseline(vehicle)
    url = reverse("baseline_edit", args=[vehicle.pk])
    owner_client.get(url)  # the unbound fields kept
    page = owner_client.post(url, _post_data({**SETUP, "df": 5, "dr": 4000}, 1)).content.decode()
    assert 'name="df" value="5"' in page and 'name="dr" value="4000"' in page
    assert "Front diff oil must be" in page


def test_saving_adds_a_version_and_shows_what_changed(owner_client, vehicle):
    make_baseline(vehicle)
    response = owner_client.post(
        reverse("baseline_edit", args=[vehicle.pk]),
        _post_data({**SETUP, "df": 5000}, 1, "thinner"),
        follow=True,
    )
    page = response.content.decode()
    assert vehicle.current_baseline().number == 2
    assert "Version 1 → version 2" in page
    assert "Front diff oil" in page and "Rear diff oil" not in page  # only changed parameters


def test_range_error_names_the_unit(owner_client, vehicle):
    response = owner_client.post(reverse("baseline_edit", args=[vehicle.pk]), _post_data({"df": 5}, 0))
    assert response.status_code == 200
    assert "Front diff oil must be 100 – 1,000,000 cSt." in response.content.decode()
    assert not vehicle.baseline_versions.exists()


def test_second_tab_gets_a_clear_message_and_keeps_what_was_typed(owner_client, vehicle):
    make_baseline(vehicle)
    url = reverse("baseline_edit", args=[vehicle.pk])
    owner_client.post(url, _post_data({**SETUP, "df": 5000}, 1, "tab one"))
    response = owner_client.post(url, _post_data({**SETUP, "dr": 9000}, 1, "tab two"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "saved somewhere else (version 2)" in page
    assert 'name="dr" value="9000"' in page  # what tab two typed is still in the form
    assert 'value="tab two"' in page
    assert 'name="based_on" value="2"' in page  # saving again is a deliberate choice
    assert "Saved somewhere else: version 2" in page and "tab one" in page
    assert vehicle.baseline_versions.count() == 2
    # Saving again now lands as version 3 with tab two's values.
    owner_client.post(url, _post_data({**SETUP, "dr": 9000}, 2, "tab two"))
    assert vehicle.current_baseline().dr == 9000 and vehicle.current_baseline().number == 3


# --- history, diff, restore ----------------------------------------------------------


def test_versions_list_dates_and_notes(owner_client, vehicle):
    make_baseline(vehicle, note="kit")
    make_baseline(vehicle, note="more steering", df=5000)
    page = owner_client.get(reverse("baseline_versions", args=[vehicle.pk])).content.decode()
    assert "kit" in page and "more steering" in page and "current" in page


def test_versions_list_query_count_is_constant(owner_client, vehicle, django_assert_max_num_queries):
    for _ in range(3):
        make_baseline(vehicle)
    url = reverse("baseline_versions", args=[vehicle.pk])
    owner_client.get(url)
    with django_assert_max_num_queries(8):
        owner_client.get(url)
    for _ in range(30):
        make_baseline(vehicle)
    with django_assert_max_num_queries(8):
        response = owner_client.get(url)
    assert "Page 1 of 2" in response.content.decode()


def test_diff_between_any_two_versions_shows_only_changes(owner_client, vehicle):
    make_baseline(vehicle)
    make_baseline(vehicle, df=5000)
    make_baseline(vehicle, df=5000, c_f=Decimal("-2"))
    page = owner_client.get(reverse("baseline_diff", args=[vehicle.pk]) + "?a=1&b=3").content.decode()
    assert "Front diff oil" in page and "Front camber" in page
    assert "Centre diff oil" not in page
    assert "7000" in page and "5000" in page and "-1.5" in page and "-2" in page


def test_diff_of_missing_version_is_404(owner_client, vehicle):
    make_baseline(vehicle)
    assert owner_client.get(reverse("baseline_diff", args=[vehicle.pk]) + "?a=1&b=7").status_code == 404


def test_restore_confirms_then_adds_a_version(owner_client, vehicle):
    make_baseline(vehicle)
    make_baseline(vehicle, df=5000)
    url = reverse("baseline_restore", args=[vehicle.pk, 1])
    confirm = owner_client.get(url)
    assert confirm.status_code == 200 and "become version 3" in confirm.content.decode()
    assert vehicle.baseline_versions.count() == 2
    response = owner_client.post(url)
    assert response.status_code == 302
    assert vehicle.current_baseline().number == 3 and vehicle.current_baseline().df == 7000


def test_version_detail_shows_values(owner_client, vehicle):
    make_baseline(vehicle)
    page = owner_client.get(reverse("baseline_version_detail", args=[vehicle.pk, 1])).content.decode()
    assert "Front diff oil" in page and "7000" in page


BASELINE_VIEWS = [
    ("baseline_edit", "get", False),
    ("baseline_edit", "post", False),
    ("baseline_versions", "get", False),
    ("baseline_diff", "get", False),
    ("baseline_version_detail", "get", True),
    ("baseline_restore", "get", True),
    ("baseline_restore", "post", True),
]


@pytest.mark.parametrize("name,method,with_number", BASELINE_VIEWS)
def test_other_user_gets_404(other_client, vehicle, name, method, with_number):
    make_baseline(vehicle)
    args = [vehicle.pk, 1] if with_number else [vehicle.pk]
    response = getattr(other_client, method)(reverse(name, args=args), _post_data(SETUP, 1))
    assert response.status_code == 404
    assert vehicle.baseline_versions.count() == 1


@pytest.mark.parametrize("name,method,with_number", BASELINE_VIEWS)
def test_anonymous_is_sent_to_login(client, vehicle, name, method, with_number):
    make_baseline(vehicle)
    args = [vehicle.pk, 1] if with_number else [vehicle.pk]
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
