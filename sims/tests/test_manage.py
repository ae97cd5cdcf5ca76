"""Managing my sim profiles: list, claim search, link, unlink, add, visibility."""

import pytest
from django.test import Client
from django.urls import reverse

from sims.models import AddRequest, AuditEntry, SimProfile, VerificationRequest
from sims.services import verification_request
from sims.tests.factories import make_profile, make_simulator

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- anonymous ---------------------------------------------------------------


def test_anonymous_is_sent_to_login_everywhere(client):
    profile = make_profile()
    for method, url in [
        ("get", reverse("my_sim_profiles")),
        ("get", reverse("my_sim_profile_search")),
        ("get", reverse("sim_profile_add")),
        ("get", reverse("sim_profile_link", args=[profile.pk])),
        ("post", reverse("sim_profile_link", args=[profile.pk])),
        ("get", reverse("sim_profile_unlink", args=[profile.pk])),
        ("post", reverse("sim_profile_unlink", args=[profile.pk])),
        ("post", reverse("sim_profile_visibility", args=[profile.pk])),
        ("get", reverse("sim_profile_verify", args=[profile.pk])),
    ]:
        assert login_redirect(getattr(client, method)(url)), url
    profile.refresh_from_db()
    assert profile.linked_user is None


# --- my list -------------------------------------------------------------------


def test_my_list_shows_only_my_linked_profiles(owner_client, user, other_user):
    make_profile(name="Mine Mo", linked_user=user)
    make_profile(name="Theirs Tia", linked_user=other_user)
    make_profile(name="Nobody Ned")
    response = owner_client.get(reverse("my_sim_profiles"))
    body = response.content.decode()
    assert "Mine Mo" in body and "Theirs Tia" not in body and "Nobody Ned" not in body
    assert "<html" in body


def test_my_list_htmx_gets_the_fragment(owner_client, user):
    make_profile(name="Mine Mo", linked_user=user)
    response = owner_client.get(reverse("my_sim_profiles"), headers=HTMX)
    body = response.content.decode()
    assert "Mine Mo" in body and "<html" not in body and 'id="my-sim-profiles"' in body
    assert "HX-Request" in response["Vary"]


def test_my_list_empty_state(owner_client):
    assert "No sim profiles linked yet" in owner_client.get(reverse("my_sim_profiles")).content.decode()


# --- claim search --------------------------------------------------------------


def test_claim_search_finds_unlinked_public_profiles_only(owner_client, other_user):
    make_profile(name="Claimable Carl")
    make_profile(name="Claimed Carla", linked_user=other_user)
    make_profile(name="Carlos Private", is_public=False)
    response = owner_client.get(reverse("my_sim_profile_search"), {"q": "carl"})
    assert [p.profile_name for p in response.context["results"]] == ["Claimable Carl"]


def test_claim_search_shows_at_most_20(owner_client, django_assert_max_num_queries):
    simulator = make_simulator()
    for i in range(25):
        make_profile(simulator, name=f"Kim {i:02d}")
    with django_assert_max_num_queries(6):
        response = owner_client.get(reverse("my_sim_profile_search"), {"q": "kim"})
    assert len(response.context["results"]) == 20
    assert "Showing the first 20" in response.content.decode()


def test_claim_search_htmx_fragment(owner_client):
    make_profile(name="Frag Fay")
    response = owner_client.get(reverse("my_sim_profile_search"), {"q": "fay"}, headers=HTMX)
    body = response.content.decode()
    assert "Frag Fay" in body and "<html" not in body
    assert "HX-Request" in response["Vary"]


# --- link ----------------------------------------------------------------------


def test_link_get_confirms_and_changes_nothing(owner_client):
    profile = make_profile(name="Confirm Cal")
    response = owner_client.get(reverse("sim_profile_link", args=[profile.pk]))
    assert response.status_code == 200 and "Link Confirm Cal?" in response.content.decode()
    profile.refresh_from_db()
    assert profile.linked_user is None


def test_link_confirm_htmx_is_the_dialog_fragment(owner_client):
    profile = make_profile(name="Dialog Dee")
    response = owner_client.get(reverse("sim_profile_link", args=[profile.pk]), headers=HTMX)
    body = response.content.decode()
    assert 'role="alertdialog"' in body and "<html" not in body


def test_link_post_links_and_audits_with_ip(owner_client, user):
    profile = make_profile(name="Linky Lu")
    response = owner_client.post(reverse("sim_profile_link", args=[profile.pk]), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302 and response["Location"] == reverse("my_sim_profiles")
    profile.refresh_from_db()
    assert profile.linked_user == user and profile.linked_at is not None and not profile.is_verified
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.profile, entry.ip_address) == (
        "link",
        user,
        profile,
        "203.0.113.7",
    )


def test_link_profile_linked_to_someone_else_says_already_linked(client, user, other_user):
    profile = make_profile(name="Taken Tom", linked_user=other_user)
    client.force_login(user)
    assert (
        "already linked to another account"
        in client.get(reverse("sim_profile_link", args=[profile.pk])).content.decode()
    )
    response = client.post(reverse("sim_profile_link", args=[profile.pk]), follow=True)
    assert "already linked to another account" in response.content.decode()
    profile.refresh_from_db()
    assert profile.linked_user == other_user
    assert not AuditEntry.objects.exists()


def test_link_private_unlinked_profile_is_404(owner_client):
    profile = make_profile(is_public=False)
    assert owner_client.get(reverse("sim_profile_link", args=[profile.pk])).status_code == 404
    assert owner_client.post(reverse("sim_profile_link", args=[profile.pk])).status_code == 404


def test_link_requires_post_with_csrf(user):

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    profile = make_profile()
    assert csrf_client.post(reverse("sim_profile_link", args=[profile.pk])).status_code == 403
    profile.refresh_from_db()
    assert profile.linked_user is None


# --- unlink --------------------------------------------------------------------


def test_unlink_get_confirms_post_unlinks_drops_verification_and_pending_codes(owner_client, user):
    profile = make_profile(name="Verified Vic", linked_user=user, is_verified=True)
    request = verification_request(profile=profile, user=user, ip=None)
    url = reverse("sim_profile_unlink", args=[profile.pk])
    assert "Its verification is removed" in owner_client.get(url).content.decode()
    response = owner_client.post(url, REMOTE_ADDR="198.51.100.2")
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.linked_user, profile.linked_at, profile.is_verified) == (None, None, False)
    request.refresh_from_db()
    assert request.status == VerificationRequest.Status.CANCELLED
    assert AuditEntry.objects.filter(action="unlink", actor=user, ip_address="198.51.100.2").exists()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_unlink_says_the_badge_went_only_when_there_was_one(owner_client, user):
    verified = make_profile(name="Verified Vic", linked_user=user, is_verified=True)
    plain = make_profile(name="Plain Pat", linked_user=user)
    response = owner_client.post(reverse("sim_profile_unlink", args=[verified.pk]), follow=True)
    assert _messages(response) == ["Unlinked Verified Vic. Its verified badge was removed."]
    response = owner_client.post(reverse("sim_profile_unlink", args=[plain.pk]), follow=True)
    assert _messages(response) == ["Unlinked Plain Pat."]


def test_unlink_confirm_htmx_fragment(owner_client, user):
    profile = make_profile(linked_user=user)
    body = owner_client.get(reverse("sim_profile_unlink", args=[profile.pk]), headers=HTMX).content.decode()
    assert 'role="alertdialog"' in body and "<html" not in body


def test_unlink_by_another_user_is_404(other_client, user):
    profile = make_profile(linked_user=user)
    url = reverse("sim_profile_unlink", args=[profile.pk])
    assert other_client.get(url).status_code == 404
    assert other_client.post(url).status_code == 404
    profile.refresh_from_db()
    assert profile.linked_user == user


def test_unlink_by_staff_through_the_site_is_404(staff_client, user):
    profile = make_profile(linked_user=user)
    assert staff_client.post(reverse("sim_profile_unlink", args=[profile.pk])).status_code == 404


# --- visibility ----------------------------------------------------------------


def test_owner_makes_profile_private_then_public(owner_client, user):
    profile = make_profile(linked_user=user)
    url = reverse("sim_profile_visibility", args=[profile.pk])
    owner_client.post(url)
    profile.refresh_from_db()
    assert profile.is_public is False
    owner_client.post(url, {"is_public": "on"})
    profile.refresh_from_db()
    assert profile.is_public is True
    assert AuditEntry.objects.filter(action="visibility").count() == 2


def test_visibility_htmx_returns_the_refreshed_list(owner_client, user):
    profile = make_profile(name="Toggle Tim", linked_user=user)
    response = owner_client.post(reverse("sim_profile_visibility", args=[profile.pk]), headers=HTMX)
    body = response.content.decode()
    assert "<html" not in body and "Make public" in body and "is private" in body


def test_visibility_by_another_user_is_404_and_get_is_405(other_client, user):
    profile = make_profile(linked_user=user)
    url = reverse("sim_profile_visibility", args=[profile.pk])
    assert other_client.post(url).status_code == 404
    assert other_client.get(url).status_code == 405
    profile.refresh_from_db()
    assert profile.is_public is True


# --- add -----------------------------------------------------------------------


def test_add_a_new_id_waits_for_its_code_and_adds_nothing_yet(owner_client, user):
    """Adding no longer links at once: the ID waits for staff to see its code (test_add_requests.py)."""
    simulator = make_simulator()
    response = owner_client.post(
        reverse("sim_profile_add"),
        {"simulator": simulator.pk, "profile_identifier": "555123", "profile_name": " New Nia "},
    )
    assert response.status_code == 302 and response["Location"] == reverse("my_sim_profiles")
    assert not SimProfile.objects.exists()
    request = AddRequest.objects.get()
    assert (request.profile_identifier, request.profile_name, request.requested_by) == (
        "555123",
        "New Nia",
        user,
    )
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["add_requested"]


def test_add_rejects_identifier_with_spaces_or_slashes(owner_client):
    simulator = make_simulator()
    for bad in ["12 34", "a/b"]:
        response = owner_client.post(
            reverse("sim_profile_add"),
            {"simulator": simulator.pk, "profile_identifier": bad, "profile_name": "Bad"},
        )
        assert response.status_code == 200 and "without spaces or slashes" in response.content.decode()
    assert not SimProfile.objects.exists()
