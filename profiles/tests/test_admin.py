from django.urls import reverse

from profiles import services
from profiles.models import RacerProfile


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
