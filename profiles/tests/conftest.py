import pytest

from profiles import services


@pytest.fixture
def racers(user):
    """The owner's two racers: "Alex", the default whether or not the owner has logged in yet, and "Sam"."""
    alex = services.racer_get_or_create_default(owner=user)
    alex.name = "Alex"
    alex.save()
    return alex, services.racer_create(owner=user, name="Sam")
