"""Pagination for every list, in three kinds.

- ``counted_page``: Django's Paginator, "Page 2 of 5", for lists that stay
  small (one racer's race days, track log, baseline versions).
- ``uncounted_page``: page N by OFFSET with no COUNT, for a big list ordered
  by an index (the setup library): it knows whether a next page exists, not
  how many there are.
- ``keyset_page``: no COUNT and no OFFSET, for the biggest lists (the driver
  directory): each page asks for the rows after (or before) the last one
  shown, as fast on page 40,000 as on page 1.

Every page answers the same questions for ``templates/_pagination.html``:
``number``, ``num_pages`` (None when not counted), ``has_previous`` /
``has_next`` and ``previous_query`` / ``next_query``, the query string of
the neighbouring page with the list's filters kept.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict

from apex.compiled import compiled

PAGE_SIZE = 20  # counted and uncounted pages
KEYSET_PAGE_SIZE = 24
MAX_PAGE_NUMBER = 1_000_000


def _query_with_page(params: QueryDict, number: int) -> str:
    query = params.copy()
    query["page"] = str(number)
    return query.urlencode()


def _page_number(raw: str | None) -> int:
    # Capped: a page like 10**18 made an OFFSET SQLite cannot hold (a 500).
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE_NUMBER)
    except ValueError:
        return 1


# --- counted ---------------------------------------------------------------------


class CountedPage(Page):
    """Django's page, with the neighbours' query strings."""

    def __init__(self, object_list: Sequence[Any], number: int, paginator: Paginator, *, params: QueryDict):
        super().__init__(object_list, number, paginator)
        self.params = params

    @property
    def num_pages(self) -> int:
        return self.paginator.num_pages

    @property
    def previous_query(self) -> str:
        return _query_with_page(self.params, self.number - 1) if self.has_previous() else ""

    @property
    def next_query(self) -> str:
        return _query_with_page(self.params, self.number + 1) if self.has_next() else ""


class _Paginator(Paginator):
    def __init__(self, object_list: QuerySet, per_page: int, *, params: QueryDict):
        super().__init__(object_list, per_page)
        self.params = params

    def _get_page(self, object_list: Sequence[Any], number: int, paginator: Paginator) -> CountedPage:
        return CountedPage(object_list, number, paginator, params=self.params)


def counted_page(request: HttpRequest, queryset: QuerySet, *, per_page: int = PAGE_SIZE) -> CountedPage:
    """The page ``?page=`` asks for; a page past the end shows the last one."""
    page = _Paginator(queryset, per_page, params=request.GET).get_page(request.GET.get("page"))
    return cast(CountedPage, page)  # _Paginator._get_page makes every page a CountedPage


# --- uncounted -------------------------------------------------------------------


@dataclass
class UncountedPage:
    """A page of a list too big to count: it knows whether a next page exists, not how many."""

    object_list: list[Any]
    number: int
    has_next: bool
    params: QueryDict = field(default_factory=QueryDict)
    num_pages = None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_query(self) -> str:
        return _query_with_page(self.params, self.number - 1) if self.has_previous else ""

    @property
    def next_query(self) -> str:
        return _query_with_page(self.params, self.number + 1) if self.has_next else ""


def _uncounted(params: QueryDict, per_page: int, fetch: Callable[[int], list[Any]]) -> UncountedPage:
    number = _page_number(params.get("page"))
    rows = fetch((number - 1) * per_page)
    if not rows and number > 1:
        number, rows = 1, fetch(0)
    return UncountedPage(
        object_list=rows[:per_page], number=number, has_next=len(rows) > per_page, params=params
    )


def _page_query(queryset: QuerySet, start: int, per_page: int) -> QuerySet:
    """The rows of the page that starts at ``start``, and one more to tell if there is a next page."""
    if start:
        # Skip rows by id alone, then load the page's rows and their joins:
        # OFFSET over the full query would join every skipped row too.
        return queryset.filter(pk__in=queryset.values("pk")[start : start + per_page + 1])
    return queryset[: per_page + 1]


def uncounted_page(
    request: HttpRequest, queryset: QuerySet, *, per_page: int = PAGE_SIZE, params: QueryDict | None = None
) -> UncountedPage:
    """Page N by OFFSET, asking one row more to know if there is a next page; no COUNT.

    A COUNT of 200,000 library setups costs more than the page itself; an
    ordered index scan skipping (N - 1) * 20 rows stays cheap for any page a
    person clicks through to. A page past the end shows the first page.
    ``params`` stands in for ``request.GET`` (a list refreshed after a POST).
    """

    def fetch(start: int) -> list[Any]:
        return list(_page_query(queryset, start, per_page))

    return _uncounted(request.GET if params is None else params, per_page, fetch)


# (build, per_page) -> the first page's build and a later page's, each compiled once (apex.compiled)
_page_builds: dict[tuple[Any, int], tuple[Callable[..., QuerySet], Callable[..., QuerySet]]] = {}


def compiled_uncounted_page(
    request: HttpRequest,
    build: Callable[..., QuerySet],
    *ids: int,
    per_page: int = PAGE_SIZE,
    params: QueryDict | None = None,
) -> UncountedPage:
    """``uncounted_page(request, build(*ids))``, its SQL compiled once per process (apex.compiled).

    For the lists a racer opens most (the track log, My Sim Profiles):
    building a page's SQL, the skip by id most of all, took as long as
    running it. ``build`` follows ``compiled``'s rules (ids as parameters
    only, model instances).
    """
    builds = _page_builds.get((build, per_page))
    if builds is None:

        def first(*ids: int) -> QuerySet:
            return _page_query(build(*ids), 0, per_page)

        def later(*args: int) -> QuerySet:  # the page's start last, a placeholder like the ids
            *ids, start = args
            return _page_query(build(*ids), start, per_page)

        builds = _page_builds[(build, per_page)] = (first, later)
    first_page, later_page = builds

    def fetch(start: int) -> list[Any]:
        return compiled(later_page, *ids, start) if start else compiled(first_page, *ids)

    return _uncounted(request.GET if params is None else params, per_page, fetch)


# --- keyset ------------------------------------------------------------------------


@dataclass
class KeysetPage:
    """A page of rows ordered by ``-updated_at, -id``, found by cursor."""

    items: list[Any]
    number: int
    has_next: bool
    has_previous: bool
    next_query: str = ""
    previous_query: str = ""
    num_pages = None


class _KeysetRow(Protocol):
    pk: Any
    updated_at: dt.datetime


def _cursor(obj: _KeysetRow) -> str:
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


def keyset_page(
    queryset: QuerySet, params: QueryDict, *, keep: dict[str, str], size: int = KEYSET_PAGE_SIZE
) -> KeysetPage:
    """One page of ``queryset`` ordered by ``-updated_at, -id``.

    ``params`` carries ``after``/``before`` (cursors) and ``page`` (the number
    shown); ``keep`` holds the filters the Previous/Next links must repeat.
    The index on (updated_at DESC, id DESC) answers every page at the same
    speed. The price: no total and no "jump to page N".
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
