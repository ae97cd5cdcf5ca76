"""Keyset ("seek") pagination for the directory, newest activity first.

No COUNT and no OFFSET: each page asks for the 25 rows after (or before) the
last one shown, which an index on (updated_at DESC, id DESC) answers at the
same speed on page 1 and on page 40,000. The price is that there is no total
and no "jump to page N": pages say "Page 3" with Previous/Next.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import QueryDict

PAGE_SIZE = 24
MAX_PAGE_NUMBER = 1_000_000


@dataclass
class KeysetPage:
    items: list
    number: int
    has_next: bool
    has_previous: bool
    next_query: str = ""
    previous_query: str = ""

    @property
    def is_paginated(self) -> bool:
        return self.has_next or self.has_previous


def _cursor(obj) -> str:
    return f"{obj.updated_at.isoformat()}~{obj.pk}"


def _parse(raw: str | None) -> tuple[dt.datetime, uuid.UUID] | None:
    if not raw or "~" not in raw:
        return None
    stamp, _, pk = raw.rpartition("~")
    try:
        when = dt.datetime.fromisoformat(stamp)
        key = uuid.UUID(pk)
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    return when, key


def _page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE_NUMBER)
    except ValueError:
        return 1


def keyset_page(queryset: QuerySet, params: QueryDict, *, keep: dict, size: int = PAGE_SIZE) -> KeysetPage:
    """One page of ``queryset`` ordered by ``-updated_at, -id``.

    ``params`` carries ``after``/``before`` (cursors) and ``page`` (the number
    shown); ``keep`` holds the filters the Previous/Next links must repeat.
    """
    after, before = _parse(params.get("after")), _parse(params.get("before"))
    number = _page_number(params.get("page"))
    if before is not None:
        when, key = before
        rows = list(
            queryset.filter(updated_at__gte=when)
            .filter(Q(updated_at__gt=when) | Q(updated_at=when, id__gt=key))
            .order_by("updated_at", "id")[: size + 1]
        )
        has_previous = len(rows) > size
        items = list(reversed(rows[:size]))
        has_next = True
        number = max(number, 2) if has_previous else 1
    else:
        if after is not None:
            when, key = after
            # The redundant updated_at bound lets the index scan start at the
            # cursor; the OR alone makes PostgreSQL read every newer row first.
            queryset = queryset.filter(updated_at__lte=when).filter(
                Q(updated_at__lt=when) | Q(updated_at=when, id__lt=key)
            )
        else:
            number = 1
        rows = list(queryset.order_by("-updated_at", "-id")[: size + 1])
        has_next = len(rows) > size
        items = rows[:size]
        has_previous = after is not None
        number = max(number, 2) if has_previous else 1
    base = {k: v for k, v in keep.items() if v}
    page = KeysetPage(items=items, number=number, has_next=has_next, has_previous=has_previous)
    if items and has_next:
        page.next_query = urlencode({**base, "after": _cursor(items[-1]), "page": number + 1})
    if items and has_previous:
        page.previous_query = urlencode({**base, "before": _cursor(items[0]), "page": number - 1})
    return page
