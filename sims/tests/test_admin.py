import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from zeal import zeal_ignore

from profiles.models import User
from sims import services
from sims.models import AuditEntry, SimProfile, Simulator, VerificationRequest
from sims.tests.factories import make_event, make_profile, make_result

pytestmark = pytest.mark.django_db


def test_staff_can_open_every_sims_admin_page(staff_client, user):
    profile = make_profile(name="Admin Ada", linked_user=user)
    make_result(make_event(profile.simulator), profile)
    services.verification_request(profile=profile, user=user, ip=None)
    waiting = services.add_request_open(
        simulator=profile.simulator, identifier="ADM-1", name="Ada Two", user=user, ip=None
    )
    models = [
        "simulator",
        "simprofile",
        "verificationrequest",
        "addrequest",
        "event",
        "eventresult",
        "auditentry",
    ]
    for model in models:
        assert staff_client.get(reverse(f"admin:sims_{model}_changelist")).status_code == 200, model
    assert staff_client.get(reverse("admin:sims_simprofile_change", args=[profile.pk])).status_code == 200
    assert staff_client.get(reverse("admin:sims_addrequest_change", args=[waiting.pk])).status_code == 200


def test_profile_admin_searches_name_identifier_and_username_and_filters_linked(staff_client, user):
    make_profile(name="Searchable Sid", identifier="SID-1", linked_user=user)
    make_profile(name="Loner Lou", identifier="LOU-1")
    url = reverse("admin:sims_simprofile_changelist")
    for q in ["searchable", "sid-1", "owner"]:
        body = staff_client.get(url, {"q": q}).content.decode()
        assert "Searchable Sid" in body and "Loner Lou" not in body, q
    body = staff_client.get(url, {"linked": "no"}).content.decode()
    assert "Loner Lou" in body and "Searchable Sid" not in body


def test_audit_log_is_read_only(staff_client, user):
    profile = make_profile(linked_user=user)
    services.sim_profile_unlink(profile=profile, user=user, ip="127.0.0.1")
    entry = AuditEntry.objects.get()
    assert staff_client.get(reverse("admin:sims_auditentry_add")).status_code == 403
    change = staff_client.get(reverse("admin:sims_auditentry_change", args=[entry.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    staff_client.post(reverse("admin:sims_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_simulator_admin_refuses_a_reserved_slug(staff_client):
    staff_client.post(
        reverse("admin:sims_simulator_add"), {"name": "Search", "slug": "search", "is_active": "on"}
    )
    assert not Simulator.objects.filter(slug="search").exists()


def test_non_staff_cannot_use_the_admin(owner_client):
    response = owner_client.get(reverse("admin:sims_verificationrequest_changelist"))
    assert response.status_code == 302


# --- Linking and unlinking in the admin goes through the audited services ------


def link_url(profile) -> str:
    return reverse("admin:sims_simprofile_link", args=[profile.pk])


def unlink_url(profile) -> str:
    return reverse("admin:sims_simprofile_unlink", args=[profile.pk])


def test_staff_links_a_profile_to_an_account_and_the_audit_log_names_the_staff_member(
    staff_client, staff_user, user
):
    profile = make_profile(name="Unclaimed Una")
    change = staff_client.get(reverse("admin:sims_simprofile_change", args=[profile.pk])).content.decode()
    assert link_url(profile) in change and unlink_url(profile) not in change
    page = staff_client.get(link_url(profile))
    assert page.status_code == 200 and 'name="username"' in page.content.decode()
    response = staff_client.post(link_url(profile), {"username": "owner"}, REMOTE_ADDR="203.0.113.9")
    assert response["Location"] == reverse("admin:sims_simprofile_change", args=[profile.pk])
    profile.refresh_from_db()
    assert (profile.linked_user, profile.is_verified) == (user, False) and profile.linked_at is not None
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.profile, entry.ip_address) == (
        AuditEntry.Action.LINK,
        staff_user,
        profile,
        "203.0.113.9",
    )
    assert entry.detail == "account: owner"  # the actor alone would not say whose it became


def test_staff_unlinks_a_profile_after_confirming_and_its_verification_goes(staff_client, staff_user, user):
    profile = make_profile(name="Linked Lia", linked_user=user, is_verified=True)
    pending = services.verification_request(profile=profile, user=user, ip=None)
    AuditEntry.objects.all().delete()
    change = staff_client.get(reverse("admin:sims_simprofile_change", args=[profile.pk])).content.decode()
    assert unlink_url(profile) in change and link_url(profile) not in change
    page = staff_client.get(unlink_url(profile))
    assert page.status_code == 200 and "Unlink" in page.content.decode()
    profile.refresh_from_db()
    assert profile.linked_user == user  # asking changes nothing
    staff_client.post(unlink_url(profile), REMOTE_ADDR="203.0.113.9")
    profile.refresh_from_db()
    pending.refresh_from_db()
    assert (profile.linked_user, profile.is_verified) == (None, False)
    assert pending.status == VerificationRequest.Status.CANCELLED
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.ip_address) == (
        AuditEntry.Action.UNLINK,
        staff_user,
        "203.0.113.9",
    )
    assert entry.detail == "account: owner; 1 pending verification request(s) cancelled"


def test_unlink_action_unlinks_the_selected_profiles_one_audit_entry_each(staff_client, staff_user, user):
    first = make_profile(name="One", linked_user=user)
    second = make_profile(name="Two", linked_user=user)
    loose = make_profile(name="Loose")
    # Each profile is unlinked through the audited service, under its own
    # lock: one conditional UPDATE per profile on purpose, not an N+1.
    with zeal_ignore([{"model": "sims.SimProfile", "field": "get()"}]):
        staff_client.post(
            reverse("admin:sims_simprofile_changelist"),
            {"action": "unlink_selected", "_selected_action": [first.pk, second.pk, loose.pk]},
        )
    assert not SimProfile.objects.filter(linked_user__isnull=False).exists()
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.UNLINK, actor=staff_user)
    assert sorted(entries.values_list("profile__profile_name", flat=True)) == ["One", "Two"]
    assert AuditEntry.objects.count() == 2


def test_the_change_form_cannot_move_a_link_or_the_badge(staff_client, user, other_user):
    profile = make_profile(name="Fixed Fay", identifier="FAY-1", linked_user=user)
    response = staff_client.post(
        reverse("admin:sims_simprofile_change", args=[profile.pk]),
        {
            "simulator": profile.simulator.pk,
            "profile_identifier": "FAY-1",
            "profile_name": "Fay Renamed",
            "profile_data": "{}",
            "is_public": "on",
            "linked_user": other_user.pk,
            "is_verified": "on",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.profile_name, profile.linked_user, profile.is_verified) == ("Fay Renamed", user, False)
    assert not AuditEntry.objects.exists()


def test_linking_to_an_unknown_account_is_refused_with_the_reason(staff_client):
    profile = make_profile()
    response = staff_client.post(link_url(profile), {"username": "nobody-here"})
    assert response.status_code == 200 and "No account is called" in response.content.decode()
    profile.refresh_from_db()
    assert profile.linked_user is None and not AuditEntry.objects.exists()


def test_linking_a_profile_someone_holds_is_refused(staff_client, user, other_user):
    profile = make_profile(linked_user=user)
    response = staff_client.post(link_url(profile), {"username": other_user.username}, follow=True)
    assert "unlink it first" in response.content.decode()
    profile.refresh_from_db()
    assert profile.linked_user == user and not AuditEntry.objects.exists()


def test_non_staff_and_anonymous_cannot_link_or_unlink_in_the_admin(client, owner_client, user, other_user):
    linked = make_profile(linked_user=other_user)
    loose = make_profile()
    for browser in (owner_client, Client()):
        assert browser.get(link_url(loose))["Location"].startswith(reverse("admin:login"))
        assert browser.post(link_url(loose), {"username": "owner"})["Location"].startswith(
            reverse("admin:login")
        )
        assert browser.post(unlink_url(linked))["Location"].startswith(reverse("admin:login"))
    loose.refresh_from_db()
    linked.refresh_from_db()
    assert (loose.linked_user, linked.linked_user) == (None, other_user)
    assert not AuditEntry.objects.exists()


def test_staff_who_may_only_view_profiles_cannot_link_or_unlink(client, user, other_user):
    viewer = User.objects.create_user("viewer", password="pw-for-tests-123", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_simprofile"))
    client.force_login(viewer)
    linked = make_profile(linked_user=other_user)
    loose = make_profile()
    assert client.get(reverse("admin:sims_simprofile_change", args=[loose.pk])).status_code == 200
    assert client.post(link_url(loose), {"username": "owner"}).status_code == 403
    assert client.post(unlink_url(linked)).status_code == 403
    assert not AuditEntry.objects.exists()
