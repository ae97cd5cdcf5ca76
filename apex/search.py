"""Word search, shared by the driver directory and the setup library.

Every word of the query must match one of the list's text fields, ignoring
case. Words of three characters or more match anywhere in a field; shorter
ones match the start of a field (no trigram index helps with one or two
letters, and "contains a" would match almost every row).

On PostgreSQL each word is matched against one expression that holds the
fields one per line, with a trigram index on it (a trigger-kept column for
the directory, an indexed expression for the library): one indexed
condition instead of an OR across the fields. A field starts with the word
when the word follows a line break. SQLite runs the same match field by
field.
"""

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import Expression
from django.db.models.lookups import IContains

MAX_WORDS = 8
MIN_CONTAINS = 3  # shorter words match the start of a field

Rows = TypeVar("Rows", bound=QuerySet)


def search_words(queryset: Rows, q: str, *, fields: Sequence[str], lines: Callable[[], Expression]) -> Rows:
    """``queryset`` narrowed to rows where every word of ``q`` matches one of ``fields``.

    ``lines()`` is the PostgreSQL expression holding the fields one per line
    after a leading line break (the one the trigram index covers).
    """
    terms = q.split()[:MAX_WORDS]
    if connections[queryset.db].vendor == "postgresql":
        for term in terms:
            word = term if len(term) >= MIN_CONTAINS else f"\n{term}"
            queryset = queryset.filter(IContains(lines(), word))
        return queryset
    for term in terms:
        lookup = "icontains" if len(term) >= MIN_CONTAINS else "istartswith"
        queryset = queryset.filter(Q(*[(f"{field}__{lookup}", term) for field in fields], _connector=Q.OR))
    return queryset
