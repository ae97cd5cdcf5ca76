"""Cursor (keyset) pagination for every API list: no COUNT, no OFFSET.

A cursor is the ordering values of the last row shown, so the next page is
"the rows after this one" by the list's own index, as fast deep in the list
as at its start. The driver directory uses ``apex.pagination.keyset_page``,
the pages' own keyset; the others use ``keyset`` below with their order.
"""

import base64
import binascii
import json
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Field as ModelField
from django.db.models import Model, Q, QuerySet
from django.http import QueryDict
from ninja import Schema
from pydantic import Field

from apex.pagination import keyset_page
from api.problems import ApiProblem

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageParams(Schema):
    cursor: str | None = Field(
        None, description="next_cursor from the previous page; leave out for the first."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")


def _invalid_cursor() -> ApiProblem:
    return ApiProblem(
        422,
        "cursor: not a cursor this list gave; use next_cursor from the previous page.",
        errors=[{"field": "cursor", "message": "Not a cursor this list gave."}],
    )


def _encode(values: list[Any]) -> str:
    text = json.dumps([value if isinstance(value, int) else str(value) for value in values])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _field(model: type[Model], name: str) -> ModelField:
    return cast(ModelField, model._meta.get_field(name))  # the lists order by their own columns


def _decode(model: type[Model], fields: list[str], cursor: str) -> list[Any]:
    invalid = _invalid_cursor()
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid from None
    if not isinstance(raw, list) or len(raw) != len(fields):
        raise invalid
    try:
        values = [_field(model, name).to_python(value) for name, value in zip(fields, raw, strict=True)]
    except (DjangoValidationError, TypeError, ValueError, OverflowError):
        raise invalid from None
    if any(value is None for value in values) or any(isinstance(v, int) and abs(v) > 2**62 for v in values):
        raise invalid
    return values


def keyset(queryset: QuerySet, params: PageParams, *, order: tuple[str, ...]) -> tuple[list[Any], str | None]:
    """One page of ``queryset`` in ``order`` (all ascending or all descending, unique, non-null) and the next cursor."""
    descending = order[0].startswith("-")
    fields = [name.lstrip("-") for name in order]
    if params.cursor:
        values = _decode(queryset.model, fields, params.cursor)
        after = Q()
        for i, name in enumerate(fields):
            step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[i]})
            for earlier, value in zip(fields[:i], values[:i], strict=True):
                step &= Q(**{earlier: value})
            after |= step
        queryset = queryset.filter(after)
    rows = list(queryset.order_by(*order)[: params.limit + 1])
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    return rows, _encode([getattr(rows[-1], name) for name in fields])


def directory_keyset(queryset: QuerySet, params: PageParams) -> tuple[list[Any], str | None]:
    """The driver directory's own keyset (newest activity first), exactly as its pages walk it.

    Its cursor (a timestamp with "+00:00" and an id) is wrapped in base64url, so it goes into a URL as it is.
    """
    query = QueryDict(mutable=True)
    if params.cursor:
        try:
            query["after"] = base64.urlsafe_b64decode(
                params.cursor + "=" * (-len(params.cursor) % 4)
            ).decode()
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise _invalid_cursor() from None
    page = keyset_page(queryset, query, keep={}, size=params.limit)
    if params.cursor and not page.has_previous:  # keyset_page read no cursor in it
        raise _invalid_cursor()
    if not page.has_next or not page.next_query:
        return page.items, None
    after = QueryDict(page.next_query)["after"]
    return page.items, base64.urlsafe_b64encode(after.encode()).decode().rstrip("=")
