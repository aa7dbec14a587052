"""Plain INSERTs for the hot paths (widget rows on import, executions and their steps).

Model.save() and bulk_create prepare every field of every row in Python, which costs more
than the database spends on the rows; these write the model's own columns directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from . import one_trip


def insert_sql(
    model: type[models.Model],
    fields: Sequence[str],
    *,
    returning: bool = False,
    db: Any = connection,
) -> str:
    """INSERT for `fields` (attribute names) of `model`, with its own quoted names; `db`:
    the connection's wrapper when the caller has it (each `connection.x` is a lookup)."""
    return insert_text(model, tuple(fields), returning, db.vendor)


@cache
def insert_text(model: type[models.Model], fields: tuple[str, ...], returning: bool, _: str) -> str:
    # Written once per model, columns and backend (the last argument) in a process.
    meta, quote = model._meta, connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (the model's own names)
        quote(meta.db_table),
        ", ".join(quote(meta.get_field(name).column) for name in fields),
        ", ".join(["%s"] * len(fields)),
    )
    return f"{sql} RETURNING {quote(meta.pk.column)}" if returning else sql


def insert_many(model: type[models.Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """INSERT `rows` of `fields`: one executemany, or one VALUES list gathered into a
    one_trip block's statement (models/gathered.py)."""
    if rows:
        db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` is a thread-local lookup
        one_trip.write_rows(insert_head(model, tuple(fields), db.vendor), len(fields), rows, db=db)


@cache
def insert_head(model: type[models.Model], fields: tuple[str, ...], _: str) -> str:
    """The head of insert_sql's statement, up to its VALUES: the table and its columns."""
    return insert_text(model, fields, False, _).partition(" VALUES ")[0]


def insert_row(instance: models.Model, prepared: dict[str, Any] | None = None) -> None:
    """INSERT a new instance whose key is set already (a UUID, a key taken from its
    sequence): every concrete field.
    `prepared` may give some columns' values ready for the database (by attname)."""
    fields = instance._meta.concrete_fields
    ready = prepared or {}
    db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` is a thread-local lookup
    values = [
        ready[f.attname]
        if f.attname in ready
        else value
        if plain is not None and (value is None or type(value) is plain)
        else f.get_db_prep_save(value, db)
        for f, plain in zip(fields, plain_types(type(instance)), strict=True)
        for value in (getattr(instance, f.attname),)
    ]
    one_trip.write(insert_sql(type(instance), [f.name for f in fields], db=db), values, db=db)
    instance._state.adding = False
    instance._state.db = db.alias


# Fields whose value, when of exactly this type (or None), is already what the database
# gets: get_db_prep_save would only check it (Field.get_prep_value and to_python). Exact
# classes, not subclasses: a subclass may prepare differently (fields.JSONTextField).
PLAIN = {
    models.CharField: str,
    models.TextField: str,
    models.SlugField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.SmallIntegerField: int,
    models.BigIntegerField: int,
    models.AutoField: int,
    models.BigAutoField: int,
}


@cache
def plain_types(model: type[models.Model]) -> tuple[type | None, ...]:
    """For each concrete field of `model`, the type whose values need no preparing (a
    foreign key's is its target's), or None: every value goes to get_db_prep_save."""
    found = []
    for field in model._meta.concrete_fields:
        kind = type(field.target_field) if type(field) is models.ForeignKey else type(field)
        found.append(PLAIN.get(kind))
    return tuple(found)


def insert_one(instance: models.Model) -> Any:
    """INSERT a new instance (every concrete field but the key); sets and returns its pk."""
    meta = instance._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(insert_sql(type(instance), [f.name for f in fields], returning=True), values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance.pk
