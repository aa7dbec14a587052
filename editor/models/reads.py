"""Plain SELECTs for the reads every API request makes (its key, its flow, a list page).

Building and compiling an ORM query costs this box about as much CPU as the database
spends answering it (≈ 1 to 2 ms against ≈ 0.2 ms for a plain statement; bench/RESULTS.md,
B6). These helpers write the SELECT from the model's own metadata (its table and columns,
quoted by the backend) once per model, and turn rows into instances with the same
converters the ORM applies (SQLite's datetimes, JSON columns), so an instance read here is
the instance the ORM would have given.

On PostgreSQL their timestamps are loaded by psycopg's own C loader rather than Django's
(native_timestamps), which gives the same values at a fraction of the cost.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any], Any]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[models.Model]) -> str:
    return quote(model._meta.db_table)


@cache
def columns(model: type[models.Model], alias: str) -> str:
    """Every concrete column of `model`, qualified by `alias`, in the model's field order."""
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


def width(model: type[models.Model]) -> int:
    return len(model._meta.concrete_fields)


def field_converters(model: type[models.Model], names: Sequence[str]) -> list[Converter | None]:
    """For each field named (attnames of `model`), what turns the database's value into the
    Python value, or None when the value is already right."""
    return list(named_converters(model, tuple(names)))


@cache
def named_converters(model: type[models.Model], names: tuple[str, ...]) -> tuple:
    return tuple(value_converter(model._meta.get_field(name)) for name in names)


@cache
def model_converters(model: type[models.Model]) -> list[Converter | None] | None:
    """Each concrete column's converter, or None when no column needs one."""
    found = [value_converter(f) for f in model._meta.concrete_fields]
    return found if any(found) else None


@cache
def attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def value_converter(field: models.Field) -> Converter | None:
    # As the SQL compiler does (SQLCompiler.get_converters): the backend's, then the field's.
    column = field.get_col(field.model._meta.db_table)
    chain = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    if not chain:
        return None

    def convert(value: Any) -> Any:
        for function in chain:
            value = function(value, column, connection)
        return value

    return convert


def converted(values: Sequence[Any], converters: Sequence[Converter | None]) -> list[Any]:
    return [v if c is None else c(v) for v, c in zip(values, converters, strict=True)]


def instance(model: type[M], values: Sequence[Any]) -> M:
    """A model instance from its concrete columns as the database returned them."""
    converters = model_converters(model)
    if converters is not None:
        values = converted(values, converters)
    elif len(values) != len(attnames(model)):
        raise ValueError(f"{len(values)} values for the {len(attnames(model))} columns")
    return model.from_db(DEFAULT_DB_ALIAS, attnames(model), values)


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    # The wrapper looked up once: each `connection.x` goes through a thread-local lookup.
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            native_timestamps(db, cursor.cursor)
        cursor.execute(sql, params)
        return cursor.fetchall()


@cache
def timestamptz_loaders() -> tuple[int, type]:
    """The timestamptz OID and psycopg's default text loader for it (its C one when psycopg
    has its C extension, as requirements.txt's psycopg[binary] does)."""
    import psycopg
    from psycopg.pq import Format

    oid = psycopg.postgres.types["timestamptz"].oid
    return oid, psycopg.adapters.get_loader(oid, Format.TEXT)


def native_timestamps(db: Any, cursor: Any) -> None:
    """Load the timestamptz columns of `cursor` (psycopg's, of Django's connection `db`)
    with psycopg's default loader.

    Django's (postgresql/psycopg_any.py BaseTzLoader) wraps psycopg's pure-Python loader to
    put `connection.timezone` on each value, and costs ≈ 4 µs a timestamp; a list page
    loads dozens. psycopg's own loader gives the same instant in the session's time zone,
    which for the session Django opens with USE_TZ and no database TIME_ZONE, "UTC", is
    `datetime.timezone.utc`: the very value Django's would give. In any other setting
    (USE_TZ off, a database TIME_ZONE, a session moved by SET TIME ZONE) Django's stays.
    tests/test_reads_timestamps.py checks that both loaders agree."""
    if db.timezone is not datetime.UTC:
        return
    if cursor.connection.pgconn.parameter_status(b"TimeZone") != b"UTC":
        return
    oid, loader = timestamptz_loaders()
    cursor.adapters.register_loader(oid, loader)


def instances(values: Sequence[Any], *chain: type[models.Model]) -> list[models.Model]:
    """One row holding the columns of several models side by side (as `columns` lists
    them, in this order), split into one instance of each."""
    found, start = [], 0
    for model in chain:
        end = start + width(model)
        found.append(instance(model, values[start:end]))
        start = end
    return found
