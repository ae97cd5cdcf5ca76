import pytest
from django.urls import reverse

from library.tests.factories import make_library_setup


@pytest.fixture
def setup(user):
    return make_library_setup(added_by=user)


def test_changelist_search_and_change_page_load(staff_client, setup):
    changelist = reverse("admin:library_librarysetup_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist, {"q": "Mugen"}).status_code == 200
    assert staff_client.get(reverse("admin:library_librarysetup_change", args=[setup.pk])).status_code == 200


def test_parameters_are_grouped_in_fieldsets(staff_client, setup):
    page = staff_client.get(reverse("admin:library_librarysetup_change", args=[setup.pk])).content.decode()
    for group in ("Diffs", "Shocks", "Geometry", "Tyres", "Engine"):
        assert f">{group}</h2>" in page


def test_non_staff_cannot_use_the_admin(owner_client, setup):
    response = owner_client.get(reverse("admin:library_librarysetup_changelist"))
    assert response.status_code == 302
