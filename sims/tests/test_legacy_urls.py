import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/users/sim-profiles/", "/users/profile/sim-profiles/"),
        ("/users/sim-profiles/search/?q=max+v", "/users/profile/sim-profiles/search/?q=max+v"),
        (
            "/users/sim-profiles/0b6f0e8e-53f4-4b9a-9a43-7e1b1a1c2d3e/link/",
            "/users/profile/sim-profiles/0b6f0e8e-53f4-4b9a-9a43-7e1b1a1c2d3e/link/",
        ),
    ],
)
def test_legacy_addresses_answer_301_to_their_new_place(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_legacy_address_redirect_is_the_same_for_a_logged_in_user(owner_client):
    response = owner_client.get("/users/sim-profiles/add/")
    assert (response.status_code, response["Location"]) == (301, "/users/profile/sim-profiles/add/")
