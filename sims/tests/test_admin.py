import pytest
from django.urls import reverse

from sims import services
from sims.models import AuditEntry, Simulator
from sims.tests.factories import make_event, make_profile, make_result

pytestmark = pytest.mark.django_db


def test_staff_can_open_every_sims_admin_page(staff_client, user):
    profile = make_profile(name="Admin Ada", linked_user=user)
    make_result(make_event(profile.simulator), profile)
    services.verification_request(profile=profile, user=user, ip=None)
    for model in ["simulator", "simprofile", "verificationrequest", "event", "eventresult", "auditentry"]:
        assert staff_client.get(reverse(f"admin:sims_{model}_changelist")).status_code == 200, model
    assert staff_client.get(reverse("admin:sims_simprofile_change", args=[profile.pk])).status_code == 200


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
