"""bench/generate_data.py fills a database with the sizes and ratios the benchmarks expect."""

import pytest

# bench/ is on the path as when the script runs (bench/tests is a package, bench/ is not).
from generate_data import BENCH_EMAIL_DOMAIN, BenchDataError, generate

from library.models import LibrarySetup
from profiles.models import User
from sims.models import SimProfile

pytestmark = pytest.mark.django_db


def _generate(**sizes):
    generate(**sizes, progress=False)


def test_small_run_has_the_sizes_and_ratios():
    _generate(profiles=300, users=50, library=100)
    profiles = SimProfile.objects.all()
    assert profiles.count() == 300
    assert profiles.filter(linked_user__isnull=False).count() == 100  # a third linked
    assert profiles.filter(is_public=False).count() == 30  # 10% private
    assert User.objects.count() == 50 and LibrarySetup.objects.count() == 100
    assert profiles.values("simulator").distinct().count() == 6
    assert profiles.exclude(profile_name="").count() == 300
    # Linked profiles point at generated users, and the search finds them by username.
    linked = profiles.filter(linked_user__isnull=False).select_related("linked_user").first()
    assert linked.linked_user.email.endswith(f"@{BENCH_EMAIL_DOMAIN}")
    assert linked in SimProfile.objects.search(linked.linked_user.username)


def test_new_rows_get_ids_after_the_generated_ones():
    _generate(profiles=3, users=5, library=2)
    assert User.objects.create_user("after").pk > User.objects.exclude(username="after").order_by("-pk")[0].pk
    setup = LibrarySetup.objects.create(track="T", brand="B", vehicle="V")
    assert setup.pk == LibrarySetup.objects.order_by("-pk")[0].pk


def test_refuses_to_run_twice():
    _generate(profiles=10, users=5, library=5)
    with pytest.raises(BenchDataError, match="already holds bench data"):
        _generate(profiles=10, users=5, library=5)
    assert SimProfile.objects.count() == 10


@pytest.mark.parametrize(
    "sizes", [{"profiles": -1, "users": 5, "library": 0}, {"profiles": 1, "users": 0, "library": 0}]
)
def test_refuses_impossible_sizes_and_writes_nothing(sizes):
    with pytest.raises(BenchDataError, match="must not be negative"):
        _generate(**sizes)
    assert not User.objects.exists() and not SimProfile.objects.exists()


def test_same_seed_same_names():
    _generate(profiles=20, users=5, library=1)
    first = list(SimProfile.objects.order_by("profile_identifier").values_list("profile_name", flat=True))
    SimProfile.objects.all().delete()
    LibrarySetup.objects.all().delete()
    User.objects.all().delete()
    _generate(profiles=20, users=5, library=1)
    again = list(SimProfile.objects.order_by("profile_identifier").values_list("profile_name", flat=True))
    assert first == again
