"""The short write transaction of every execution event, in one round trip on PostgreSQL
(services/execution_commit.py).

psycopg's pipeline mode sends statements without waiting for each one's result. Inside
Django's `atomic`, psycopg opens the transaction with a BEGIN whose answer it waits for,
and the COMMIT is one more trip: three trips to the database for one event, each costing
more than the statements on a busy server. Here the connection stays in autocommit and
`one_trip` sends BEGIN, the block's statements and COMMIT together. A failed statement
makes PostgreSQL skip the rest, the COMMIT included; its error is raised when the results
come in and the transaction is rolled back. So the version check cannot be a row count
read in Python between two statements: `update_if_version` is a statement that fails when
the row has moved on, raised here as `VersionMoved`.

On other databases (SQLite) it is Django's `atomic(durable=True)` and a row count.
Either way nothing is written unless everything is, and `one_trip` refuses to run inside
a caller's transaction, whose locks would have been held while the engine ran.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

from django.db import DatabaseError, connection, models, transaction

DIVISION_BY_ZERO = "22012"  # the SQLSTATE of update_if_version's check


class VersionMoved(Exception):
    """Another commit changed the row first: nothing of this transaction was written."""


@contextlib.contextmanager
def one_trip() -> Iterator[None]:
    if connection.vendor != "postgresql" or connection.in_atomic_block or not pipelines():
        # Django's own: it refuses a caller's transaction as this does (a test case's
        # transaction excepted), and on PostgreSQL the statements go one by one.
        try:
            with transaction.atomic(durable=True):
                yield
        except DatabaseError as exc:
            raise moved_or(exc) from exc.__cause__
        return
    connection.ensure_connection()
    raw = connection.connection
    try:
        # Errors raised when the results come in are the driver's: made Django's, as a
        # statement's own would be (an IntegrityError stays one).
        with connection.wrap_database_errors, raw.pipeline():
            run("BEGIN")
            yield
            run("COMMIT")
    except DatabaseError as exc:
        roll_back(raw)
        raise moved_or(exc) from exc.__cause__
    except BaseException:
        roll_back(raw)
        raise


@functools.cache
def pipelines() -> bool:
    """psycopg with a libpq that has pipeline mode (14 or later)."""
    import psycopg

    return psycopg.Pipeline.is_supported()


def moved_or(exc: DatabaseError) -> Exception:
    """VersionMoved for the failure of update_if_version's check, else the error itself."""
    return VersionMoved() if getattr(exc.__cause__, "sqlstate", None) == DIVISION_BY_ZERO else exc


def run(statement: str) -> None:
    with connection.cursor() as cursor:  # Django's, so that its query log shows it
        cursor.execute(statement)


def roll_back(raw: Any) -> None:
    """End the failed transaction, if it is still open, so the connection is clean."""
    with contextlib.suppress(DatabaseError), connection.wrap_database_errors:
        if not raw.closed and raw.info.transaction_status != 0:  # 0: idle
            raw.execute("ROLLBACK")


def update_if_version(
    model: type[models.Model], pk: Any, version: int, changes: dict[str, Any], now: Any
) -> None:
    """UPDATE `changes` (attribute names) of the row `pk` whose `version` column is still
    `version`, adding one to it and setting `date_updated`; VersionMoved (from `one_trip`
    on PostgreSQL, at once elsewhere) when no such row was updated."""
    meta, quote = model._meta, connection.ops.quote_name
    fields = [meta.get_field(name) for name in changes]
    stamp, counter = meta.get_field("date_updated"), quote(meta.get_field("version").column)
    sets = [f"{quote(f.column)} = %s" for f in [*fields, stamp]]
    sql = "UPDATE {} SET {}, {} = {} + 1 WHERE {} = %s AND {} = %s".format(  # noqa: S608
        quote(meta.db_table), ", ".join(sets), counter, counter, quote(meta.pk.column), counter
    )
    values = [
        f.get_db_prep_save(v, connection) for f, v in zip(fields, changes.values(), strict=True)
    ]
    values += [stamp.get_db_prep_save(now, connection), pk, version]
    if connection.vendor == "postgresql":
        # Divides by the number of rows updated: no row, and the transaction fails here.
        sql = f"WITH moved AS ({sql} RETURNING 1) SELECT 1 / COUNT(*) FROM moved"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if connection.vendor != "postgresql" and cursor.rowcount != 1:
            raise VersionMoved
