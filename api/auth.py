"""Bearer tokens: the only way in to an account's data (no session, so no CSRF hole)."""

from django.http import HttpRequest
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from api.models import ApiToken
from api.services import token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with at least ``scope``; a read token on a write is a 403."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_authenticate(token)
        if found is not None and not found.allows(self.scope):
            raise AuthorizationError(
                message=f"This token may only read; {self.scope} needs a token with the write scope."
            )
        return found


READ = TokenAuth(ApiToken.Scope.READ)
WRITE = TokenAuth(ApiToken.Scope.WRITE)


def bearer_token(request: HttpRequest) -> ApiToken | None:
    """The request's token, if it sent a valid one (any scope), without raising."""
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    return token_authenticate(raw.strip()) if scheme.lower() == "bearer" else None
