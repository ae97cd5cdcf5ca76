"""Verification codes: requested by the linked user, decided by staff in the admin."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sims import services
from sims.models import AuditEntry, VerificationRequest
from sims.tests.factories import make_profile

pytestmark = pytest.mark.django_db


def test_owner_gets_a_short_code_valid_48_hours(owner_client, user):
    profile = make_profile(linked_user=user)
    url = reverse("sim_profile_verify", args=[profile.pk])
    assert "Get a verification code" in owner_client.get(url).content.decode()
    response = owner_client.post(url, REMOTE_ADDR="192.0.2.9", follow=True)
    request = VerificationRequest.objects.get()
    assert re.fullmatch(r"APEX-[2-9A-HJKMNP-Z]{5}", request.code)
    assert request.code in response.content.decode()
    assert abs(request.expires_at - (timezone.now() + dt.timedelta(hours=48))) < dt.timedelta(minutes=1)
    assert AuditEntry.objects.filter(action="verification_requested", ip_address="192.0.2.9").exists()


def test_a_pending_code_shows_with_a_copy_button_and_its_expiry_with_the_time_zone(owner_client, user):
    profile = make_profile(linked_user=user)
    pending = services.verification_request(profile=profile, user=user, ip=None)
    page = owner_client.get(reverse("sim_profile_verify", args=[profile.pk])).content.decode()
    assert f'<strong id="code-{pending.pk}">{pending.code}</strong>' in page
    assert f'data-copy="#code-{pending.pk}" hidden>Copy</button>' in page  # shown by copy.js
    assert f"{pending.expires_at:%H:%M} UTC" in page and "js/copy.js" in page


def test_my_sim_profiles_shows_each_pending_code_in_one_query(
    owner_client, user, django_assert_max_num_queries
):
    waiting = [make_profile(name=f"Waiting {n}", linked_user=user) for n in range(3)]
    codes = [services.verification_request(profile=p, user=user, ip=None) for p in waiting]
    make_profile(name="Checked", linked_user=user, is_verified=True)
    make_profile(name="Not asked", linked_user=user)
    owner_client.get(reverse("my_sim_profiles"))
    with django_assert_max_num_queries(12):
        page = owner_client.get(reverse("my_sim_profiles")).content.decode()
    for code in codes:
        assert code.code in page and f'data-copy="#code-{code.pk}"' in page
    assert page.count("Code waiting") == 3 and f"{codes[0].expires_at:%H:%M} UTC" in page
    assert "Verified</span>" in page and page.count(">Verify</a>") == 1


def test_asking_again_keeps_the_live_code(owner_client, user):
    profile = make_profile(linked_user=user)
    url = reverse("sim_profile_verify", args=[profile.pk])
    owner_client.post(url)
    owner_client.post(url)
    assert VerificationRequest.objects.count() == 1


def test_an_expired_code_is_replaced_by_a_new_one(user):
    profile = make_profile(linked_user=user)
    first = services.verification_request(profile=profile, user=user, ip=None)
    VerificationRequest.objects.filter(pk=first.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    second = services.verification_request(profile=profile, user=user, ip=None)
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.status == VerificationRequest.Status.CANCELLED


def test_verify_page_is_404_for_another_user(other_client, user):
    profile = make_profile(linked_user=user)
    url = reverse("sim_profile_verify", args=[profile.pk])
    assert other_client.get(url).status_code == 404
    assert other_client.post(url).status_code == 404
    assert not VerificationRequest.objects.exists()


def test_staff_approves_in_the_admin(staff_client, staff_user, user):
    profile = make_profile(linked_user=user)
    request = services.verification_request(profile=profile, user=user, ip=None)
    changelist = reverse("admin:sims_verificationrequest_changelist")
    assert request.code in staff_client.get(changelist, {"status": "pending"}).content.decode()
    staff_client.post(
        changelist, {"action": "approve", "_selected_action": [request.pk]}, REMOTE_ADDR="10.0.0.5"
    )
    request.refresh_from_db()
    profile.refresh_from_db()
    assert request.status == "approved" and request.decided_by == staff_user
    assert profile.is_verified
    entry = AuditEntry.objects.get(action="verification_approved")
    assert (entry.actor, entry.ip_address) == (staff_user, "10.0.0.5")


def test_staff_rejects_in_the_admin(staff_client, user):
    profile = make_profile(linked_user=user)
    request = services.verification_request(profile=profile, user=user, ip=None)
    staff_client.post(
        reverse("admin:sims_verificationrequest_changelist"),
        {"action": "reject", "_selected_action": [request.pk]},
    )
    request.refresh_from_db()
    profile.refresh_from_db()
    assert request.status == "rejected" and not profile.is_verified
    assert AuditEntry.objects.filter(action="verification_rejected").exists()


def test_an_expired_code_cannot_be_approved(staff_client, user):
    profile = make_profile(linked_user=user)
    request = services.verification_request(profile=profile, user=user, ip=None)
    VerificationRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = staff_client.post(
        reverse("admin:sims_verificationrequest_changelist"),
        {"action": "approve", "_selected_action": [request.pk]},
        follow=True,
    )
    assert "expired" in response.content.decode()
    request.refresh_from_db()
    profile.refresh_from_db()
    assert request.status == "pending" and not profile.is_verified


def test_a_decided_request_cannot_be_decided_again(user, staff_user):
    profile = make_profile(linked_user=user)
    request = services.verification_request(profile=profile, user=user, ip=None)
    services.verification_decide(request=request, staff=staff_user, approve=False, ip=None)
    with pytest.raises(services.VerificationClosed):
        services.verification_decide(request=request, staff=staff_user, approve=True, ip=None)


def test_unlinking_cancels_the_pending_request_so_it_cannot_be_approved(user, staff_user):
    profile = make_profile(linked_user=user)
    request = services.verification_request(profile=profile, user=user, ip=None)
    services.sim_profile_unlink(profile=profile, user=user, ip=None)
    with pytest.raises(services.VerificationClosed):
        services.verification_decide(request=request, staff=staff_user, approve=True, ip=None)
    profile.refresh_from_db()
    assert not profile.is_verified


def test_only_the_linked_user_can_request(other_user, user):
    profile = make_profile(linked_user=user)
    with pytest.raises(services.NotLinkedToYou):
        services.verification_request(profile=profile, user=other_user, ip=None)
