"""Small factories for API tests."""

from api import services
from profiles.models import User


def make_token(user: User, scope: str = "write", name: str = "tests") -> str:
    """A token's secret text, for the Authorization header."""
    return services.token_create(user=user, name=name, scope=scope)[1]


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}
