"""Full-text search of theory documents on PostgreSQL and SQLite (see ``TheoryDocumentQuerySet.search``)."""

import re
from collections.abc import Sequence
from typing import Any, TypeVar, cast

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Field, FloatField, TextField
from django.db.models.expressions import Col, Combinable, Expression, RawSQL
from django.db.models.sql.compiler import SQLCompiler
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_WORDS = 12
# Marks around a match in ``snippet``: characters that never occur in a
# stored document (the importer removes them), so escaping the snippet and
# then swapping these for <mark> is safe whatever the text holds.
MARK_START, MARK_END = "\u27e6", "\u27e7"
FTS_TABLE = "advisor_theorydocument_fts"

# PostgreSQL's English configuration drops these; SQLite's FTS5 would demand
# them. Left out of every query, so both databases answer the same.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)
_WORD = re.compile(r"\w+", re.UNICODE)

# Searching keeps the queryset's own class (``TheoryDocumentQuerySet``).
QS = TypeVar("QS", bound=models.QuerySet[Any])


def words(q: str) -> list[str]:
    """The query's words, lower-cased, without stop words or repeats, at most ``MAX_WORDS``."""
    seen: list[str] = []
    for word in _WORD.findall((q or "").lower()):
        if word not in STOP_WORDS and word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


_MARKDOWN_SYNTAX = re.compile(r"\*\*|(?:^|(?<=\s))(?:#{1,6}|[-*+])(?=\s)")


def highlighted(snippet: str) -> SafeString:
    """The snippet as HTML: Markdown syntax dropped, every character escaped, matches in <mark>."""
    text = " ".join(_MARKDOWN_SYNTAX.sub(" ", snippet or "").split())
    html = escape(text)
    return mark_safe(html.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308


def strip_marks(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_END, "")


# --- PostgreSQL ------------------------------------------------------------------


class _RowExpression(Expression):
    """An expression about the outer query's row, named by ``key`` (its pk unless told).

    The key is a source expression, so Django resolves it to the row's column
    (with the query's alias) before ``as_sql`` compiles it.
    """

    def __init__(self, key: Combinable | None = None, output_field: Field | None = None) -> None:
        super().__init__(output_field=output_field)
        self.key: Combinable = F("pk") if key is None else key

    def get_source_expressions(self) -> list[Combinable]:
        return [self.key]

    def set_source_expressions(self, exprs: Sequence[Combinable]) -> None:
        (self.key,) = exprs


class SearchVectorColumn(_RowExpression):
    """The document's ``search_vector``: a generated column on PostgreSQL only (migration 0002).

    Not a model field, so SQLite and Django's model state never see it; it
    is reached through the primary key's table alias, which Django relabels
    like any column when the query becomes a subquery.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        # Compiled only once the query has resolved F("pk") into the key's column.
        key = cast(Col, self.key)
        return f"{compiler.quote_name_unless_alias(key.alias)}.search_vector", []


def postgres_search(queryset: QS, terms: list[str]) -> QS:
    # plainto_tsquery: every word must match (stemmed), nothing is an operator.
    query = SearchQuery(" ".join(terms), search_type="plain", config="english")
    return (
        queryset.alias(document_vector=SearchVectorColumn())
        .filter(document_vector=query)
        .annotate(
            rank=SearchRank(SearchVectorColumn(), query),
            snippet=SearchHeadline(
                "content",
                query,
                config="english",
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "title", "pk")
    )


# --- SQLite ----------------------------------------------------------------------


class Fts5Function(_RowExpression):
    """One FTS5 auxiliary function (bm25, snippet) for the outer row, by a correlated lookup."""

    def __init__(
        self, function_sql: str, match: str, output_field: Field, key: Combinable | None = None
    ) -> None:
        super().__init__(key, output_field=output_field)
        self.function_sql = function_sql
        self.match = match

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        # Compiled only once the query has resolved F("pk") into the key's column.
        key_sql, key_params = compiler.compile(cast(Col, self.key))
        sql = (
            f"(SELECT {self.function_sql} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid = {key_sql})"
        )
        return sql, [self.match, *key_params]


def sqlite_search(queryset: QS, terms: list[str]) -> QS:
    # Each word quoted: FTS5 reads it as a plain term, never as syntax.
    match = " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
    matching = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S611
    # bm25 is lower for a better match; negated so ``rank`` is higher-is-better on both databases.
    # The title counts five times the content, as PostgreSQL's weights A and B roughly do.
    rank = Fts5Function(f"-bm25({FTS_TABLE}, 5.0, 1.0)", match, FloatField())
    snippet = Fts5Function(
        f"snippet({FTS_TABLE}, 1, '{MARK_START}', '{MARK_END}', ' … ', 24)", match, TextField()
    )
    return (
        queryset.filter(pk__in=matching).annotate(rank=rank, snippet=snippet).order_by("-rank", "title", "pk")
    )
