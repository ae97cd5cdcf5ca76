"""Demo data for ``make run``: the demo account and its racers."""

from typing import Any

from allauth.account.models import EmailAddress

from profiles import services
from profiles.models import RacerProfile, Team, User

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "apex-demo-2026"  # noqa: S105 - the published demo login


def load_demo() -> User:
    user, _ = User.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"email": "demo@apex.local", "first_name": "Demo", "last_name": "Racer"},
    )
    # The printed login always works: a changed demo password is set back.
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    # Confirmed, as if the demo racer had followed the e-mailed link: log-in
    # asks every other account to confirm its address first.
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    team, _ = Team.objects.get_or_create(name="Apex Works")
    racers: list[tuple[str, dict[str, Any]]] = [
        ("Alex Demo", {"transponder": "1234567", "email": "alex@apex.local", "team": team}),
        ("Sam Demo", {"transponder": "7654321", "instagram": "@sam_rc"}),
    ]
    for name, fields in racers:
        if not RacerProfile.objects.owned_by(user).filter(name=name).exists():
            racer = services.racer_create(owner=user, name=name, **fields)
            racer.sponsors.get_or_create(name="Apex Hobbies")
    return user
