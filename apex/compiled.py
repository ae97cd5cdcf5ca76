"""Querysets compiled to SQL once per process.

Django builds a queryset's SQL again on every evaluation, and that often
costs more than running it: the garage's vehicles with their three summary
annotations took 2.2 ms to compile against 1.4 ms to run and fetch; the
session's racer joined with its owner, read on every logged-in page, 0.9
against 0.7 ms; a race day with its vehicle, racer and baseline number 1.5
against 1.2 ms. ``compiled(build, *ids)`` calls ``build`` once per process
with placeholder ids, keeps the SQL it compiles to and how Django turns its
rows into models (the columns of each model, the related objects of
``select_related``, the annotations), and from then on runs that SQL with
the real ids in the placeholders' places and builds the same instances as
iterating the queryset would (the same idea as ``apex.links`` for URLs).

For querysets of model instances whose arguments are ids (or a slice's
start, for a page of a list: ``apex.pagination.compiled_uncounted_page``):
``build`` must use each argument only as a query parameter, never to
choose the query's shape. No ``prefetch_related`` (a second query per call, which this does
not run) and no querysets of a related manager (``obj.children.all()``,
which hands its rows their parent): filter on the parent's id instead.

How Django turns rows into models (the compiler's select and class info,
the related populators) is Django's internal API, which
``apex/tests/test_compiled.py`` holds against the queryset's own results
for every queryset compiled here.
"""

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators  # type: ignore[attr-defined]

M = TypeVar("M", bound=Model)

_PLACEHOLDER = 9_876_543_210  # far beyond any id a row of ours has
_FORMAT_TOKEN = re.compile(r"%%|%s")
_SMALLEST, _LARGEST = -(2**63), 2**63 - 1  # a 64-bit id column's range (DEFAULT_AUTO_FIELD)


@dataclass(frozen=True, eq=False)
class _Plan:
    model: type[Model]
    sql: str
    params: tuple[Any, ...]  # the placeholders' positions hold None
    slots: tuple[tuple[int, int], ...]  # (position in params, argument)
    fields: tuple[Any, ...]  # each column's expression, for the database's converters
    start: int  # the model's own columns: row[start:end]
    end: int
    init_list: tuple[str, ...]
    populators: tuple[Any, ...]  # select_related's objects, filled in from the same row
    annotations: tuple[tuple[str, int], ...]


# (build, database alias) -> its plan
_plans: dict[tuple[Any, str], _Plan] = {}


def _offsets_as_parameters(sql: str, params: list[Any], arity: int) -> tuple[str, list[Any]]:
    """A slice's OFFSET, which Django writes into the SQL as a number, made a parameter.

    ``build`` may slice with an argument (``queryset[offset : offset + 21]``,
    a page of a list): its placeholder then shows up as ``OFFSET <number>``
    in the SQL text, once, and becomes a parameter at its place among the
    others (each ``%s`` before it is one; ``%%`` is a literal percent sign).
    """
    for argument in range(arity):
        literal = f"OFFSET {_PLACEHOLDER + argument}"
        if sql.count(literal) != 1:
            continue
        before, _, after = sql.partition(literal)
        position = _FORMAT_TOKEN.findall(before).count("%s")
        sql = f"{before}OFFSET %s{after}"
        params.insert(position, _PLACEHOLDER + argument)
    return sql, params


def _compile(build: Callable[..., "QuerySet[M]"], arity: int, using: str) -> _Plan:
    queryset = build(*(_PLACEHOLDER + i for i in range(arity)))
    if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
        raise ValueError(
            f"{build.__qualname__}: prefetch_related runs queries of its own; it cannot be compiled."
        )
    if queryset._known_related_objects:  # type: ignore[attr-defined]
        raise ValueError(
            f"{build.__qualname__}: a related manager's queryset; filter on the parent's id instead."
        )
    if queryset._iterable_class is not ModelIterable:
        raise ValueError(f"{build.__qualname__}: only querysets of model instances can be compiled.")
    compiler = queryset.query.get_compiler(using)
    try:
        sql, params = compiler.as_sql()  # also fills the compiler's select, class info and annotations
    except EmptyResultSet:  # the ORM drops a lookup of a number its column cannot hold
        raise ValueError(f"{build.__qualname__}: its ids must be of 64-bit columns (BigAutoField).") from None
    sql, params = _offsets_as_parameters(sql, list(params), arity)
    slots: list[tuple[int, int]] = []
    template: list[Any] = []
    for position, value in enumerate(params):
        argument = value - _PLACEHOLDER if isinstance(value, int) and not isinstance(value, bool) else -1
        if 0 <= argument < arity:
            slots.append((position, argument))
            template.append(None)
        else:
            template.append(value)
    missing = set(range(arity)) - {argument for _, argument in slots}
    if missing:
        raise ValueError(f"{build.__qualname__}: argument {min(missing)} is not a parameter of its SQL.")
    select, klass_info = compiler.select, compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    return _Plan(
        model=klass_info["model"],
        sql=sql,
        params=tuple(template),
        slots=tuple(slots),
        fields=tuple(column[0] for column in select[: compiler.col_count]),
        start=start,
        end=end,
        init_list=tuple(column[0].target.attname for column in select[start:end]),
        populators=tuple(get_related_populators(klass_info, select, using)),
        annotations=tuple(compiler.annotation_col_map.items()),
    )


# connection -> plan -> what Django's compiler applies to that plan's rows on it
_converters_of: "weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[_Plan, list[tuple[int, list[Any], Any]]]]" = weakref.WeakKeyDictionary()


def _converters(plan: _Plan, connection: BaseDatabaseWrapper) -> list[tuple[int, list[Any], Any]]:
    """The database's and the fields' converters for the plan's columns, found once per connection.

    Per connection, as the compiler finds them (a converter is the
    connection's own method): for a race day's 58 columns the lookup took
    37 µs, on every call, to find none on PostgreSQL.
    """
    known = _converters_of.setdefault(connection, {})
    found = known.get(plan)
    if found is None:
        found = known[plan] = [
            (position, converters, expression)
            for position, expression in enumerate(plan.fields)
            if expression is not None
            and (
                converters := connection.ops.get_db_converters(expression)
                + expression.get_db_converters(connection)
            )
        ]
    return found


def compiled(build: Callable[..., "QuerySet[M]"], *ids: int, using: str = "default") -> list[M]:
    """``list(build(*ids))``, from SQL compiled once per process for ``build`` (and each database)."""
    if not all(_SMALLEST <= i <= _LARGEST for i in ids):
        return []  # no row has such an id (SQLite would refuse the number rather than find nothing)
    key = (build, using)
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _compile(build, len(ids), using)
    params = list(plan.params)
    for position, argument in plan.slots:
        params[position] = ids[argument]
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        rows = cursor.fetchall()
    converters = _converters(plan, connection)
    model, start, end, init_list = plan.model, plan.start, plan.end, list(plan.init_list)
    objects = []
    for row in rows:
        if converters:
            row = list(row)
            for position, found, expression in converters:
                value = row[position]
                for converter in found:
                    value = converter(value, expression, connection)
                row[position] = value
        obj = model.from_db(using, init_list, row[start:end])
        for populator in plan.populators:
            populator.populate(row, obj)
        for name, position in plan.annotations:
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects  # type: ignore[return-value]
