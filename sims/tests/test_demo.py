import pytest
from django.core.management import call_command

from sims.models import Event, EventResult, SimProfile, Simulator

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates_and_links_the_demo_user():
    call_command("load_demo_data")
    counts = (
        Simulator.objects.count(),
        SimProfile.objects.count(),
        Event.objects.count(),
        EventResult.objects.count(),
    )
    call_command("load_demo_data")
    assert counts == (
        Simulator.objects.count(),
        SimProfile.objects.count(),
        Event.objects.count(),
        EventResult.objects.count(),
    )
    assert counts[1] >= 4 and counts[3] >= 4
    assert SimProfile.objects.filter(linked_user__username="demo").count() == 1
