from django.urls import reverse

from profiles import services
from profiles.models import RacerProfile, ReservedUsername


def test_admin_make_default_action(staff_client, user):
    a = services.racer_create(owner=user, name="A")
    b = services.racer_create(owner=user, name="B")
    response = staff_client.post(
        reverse("admin:profiles_racerprofile_changelist"),
        {"action": "make_default", "_selected_action": [b.pk]},
    )
    assert response.status_code == 302
    assert list(RacerProfile.objects.filter(is_default=True, owner=user)) == [b]
    a.refresh_from_db()
    assert not a.is_default


def test_admin_lists_and_searches(staff_client, user):
    services.racer_create(owner=user, name="Findable Racer")
    for name in ["profiles_racerprofile", "profiles_user", "profiles_team", "profiles_sponsor"]:
        assert staff_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    page = staff_client.get(reverse("admin:profiles_racerprofile_changelist"), {"q": "Findable"})
    assert "Findable Racer" in page.content.decode()


def test_admin_is_closed_to_non_staff(owner_client):
    response = owner_client.get(reverse("admin:profiles_racerprofile_changelist"))
    assert response.status_code == 302


def test_reserved_usernames_are_listed_and_freed_by_deleting_never_added(staff_client, client, user):
    held = ReservedUsername.objects.create(username="HeldName")
    page = staff_client.get(reverse("admin:profiles_reservedusername_changelist"), {"q": "held"})
    assert page.status_code == 200 and "HeldName" in page.content.decode()
    assert staff_client.get(reverse("admin:profiles_reservedusername_add")).status_code == 403
    delete = reverse("admin:profiles_reservedusername_delete", args=[held.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 302
    assert not ReservedUsername.objects.exists()
    client.force_login(user)  # not staff: the admin sends a racer to its log-in
    assert client.get(reverse("admin:profiles_reservedusername_changelist")).status_code == 302
