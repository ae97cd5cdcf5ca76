"""The switcher's racers are cached per account and retired by every write that changes them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profiles import services
from racing.models import Vehicle

pytestmark = pytest.mark.django_db


def _switcher(client) -> str:
    page = client.get(reverse("home")).content.decode()
    return page[page.index('id="racer-switcher"') : page.index("switcher-new")]


def _rows(client) -> list[str]:
    """Each racer as the switcher shows it: star, name and vehicle count."""
    html = _switcher(client)
    stars = re.findall(r'class="star( is-default)?"', html)
    names = [
        re.sub(r"\s+", " ", n).strip() for n in re.findall(r'class="switch-to"[^>]*>(.*?)<span', html, re.S)
    ]
    counts = re.findall(r"· (\d+) vehicles?", html)
    return [f"{'★' if s else '☆'}{n}:{c}" for s, n, c in zip(stars, names, counts, strict=True)]


def _counts_vehicles(client) -> bool:
    """Whether rendering a page ran the switcher's query (racers with their vehicle counts)."""
    with CaptureQueriesContext(connection) as captured:
        _rows(client)
    return any('AS "vehicle_count"' in q["sql"] for q in captured.captured_queries)


def test_the_second_page_reads_the_racers_from_the_cache(owner_client, racers):
    assert _counts_vehicles(owner_client)
    assert not _counts_vehicles(owner_client)


def test_adding_and_deleting_a_vehicle_changes_the_count(owner_client, racers):
    assert _rows(owner_client) == ["★Alex:0", "☆Sam:0"]
    car = Vehicle.objects.create(racer=racers[1], brand="Xray", model="XB4")
    assert _rows(owner_client) == ["★Alex:0", "☆Sam:1"]
    car.delete()
    assert _rows(owner_client) == ["★Alex:0", "☆Sam:0"]


def test_the_garage_form_adds_a_vehicle_the_switcher_counts(owner_client, racers):
    _rows(owner_client)
    owner_client.post(reverse("vehicle_create"), {"brand": "Mugen", "model": "MBX8"})
    assert _rows(owner_client) == ["★Alex:1", "☆Sam:0"]


def test_a_write_that_is_rolled_back_retires_nothing_when_it_never_commits(
    owner_client, user, racers, django_capture_on_commit_callbacks
):
    _, sam = racers
    _rows(owner_client)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        owner_client.post(reverse("racer_set_default", args=[sam.pk]))
    assert callbacks  # the retirement waits for the commit
    for callback in callbacks:
        callback()
    assert _rows(owner_client) == ["★Sam:0", "☆Alex:0"]


def test_starring_renaming_adding_and_deleting_racers(
    owner_client, user, racers, django_capture_on_commit_callbacks
):
    alex, sam = racers
    _rows(owner_client)
    # Racer writes run under the account's lock, which retires the list when they commit.
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("racer_set_default", args=[sam.pk]))  # update(), no signal
    assert _rows(owner_client) == ["★Sam:0", "☆Alex:0"]
    edit = {"name": "Alexandra", "sponsors-TOTAL_FORMS": "0", "sponsors-INITIAL_FORMS": "0"}
    assert owner_client.post(reverse("racer_edit", args=[alex.pk]), edit).status_code == 302
    assert "Alexandra" in _switcher(owner_client)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("racer_create"), {"name": "Kim", "from_switcher": "1"})
    assert _rows(owner_client) == ["★Sam:0", "☆Alexandra:0", "☆Kim:0"]
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("racer_delete", args=[sam.pk]))  # the default: another is promoted
    assert [r[0] for r in _rows(owner_client)] == ["★", "☆"]
    assert "Sam" not in _switcher(owner_client)


def test_a_save_the_switcher_does_not_show_keeps_the_cache(owner_client, racers):
    alex, _ = racers
    _rows(owner_client)
    alex.transponder = "1234567"
    alex.save(update_fields=["transponder"])
    assert not _counts_vehicles(owner_client)


def test_another_account_sees_only_its_own_racers_and_is_not_retired(
    owner_client, client, user, other_user, racers
):
    other = services.racer_get_or_create_default(owner=other_user)
    assert _rows(owner_client) == ["★Alex:0", "☆Sam:0"]
    client.force_login(other_user)
    assert _rows(client) == [f"★{other.name}:0"]
    Vehicle.objects.create(racer=racers[0], brand="Xray", model="XB4")
    assert _rows(client) == [f"★{other.name}:0"]
    client.force_login(user)
    assert _rows(client) == ["★Alex:1", "☆Sam:0"]
