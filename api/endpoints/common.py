"""What every endpoint module shares: the caller's account and the documented error answers."""

from typing import Annotated, Any, cast

from django.http import HttpRequest
from pydantic import Field

from api.models import ApiToken
from api.problems import Problem
from profiles.models import User

PUBLIC_ERRORS: dict[int, Any] = {404: Problem, 422: Problem, 429: Problem}
READ_ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, **PUBLIC_ERRORS}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: Problem}


def account(request: HttpRequest) -> User:
    """The user whose token authenticated the request."""
    return cast(ApiToken, request.auth).user  # type: ignore[attr-defined]  # set by ninja's auth


# Row ids as the database holds them: a bigger number is no row (and would overflow SQLite).
MAX_ID = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Text a database can hold: PostgreSQL refuses NUL in any string.
NO_NUL = r"^[^\x00]*$"


def text_filter(max_length: int, description: str = "") -> Any:
    """A text query parameter: blank means no filter."""
    return Field("", max_length=max_length, pattern=NO_NUL, description=description)
