"""The short write transaction of every execution event, in one round trip on PostgreSQL
(services/execution_commit.py).

On PostgreSQL the block's writes made through `write` and `write_rows` (models/rows.py,
`update_if_version`) are gathered and sent at its end as one statement
(models/gathered.py): in autocommit that statement is the transaction, with no BEGIN or
COMMIT, one trip and one parse. Anything else the block sends through Django (a read, an
ORM save) first opens a transaction in psycopg's pipeline mode and sends what was gathered
before it, so order and visibility are as if each write had gone when made; the block's
end then sends the rest and the COMMIT in the same pipeline, which waits only when a
result is read. A failed statement makes PostgreSQL skip the rest, the COMMIT included;
its error is raised when the results come in and the transaction is rolled back. So the
version check cannot be a row count read in Python between two statements:
`update_if_version` is a write that fails when the row has moved on, raised here as
`VersionMoved`.

On other databases (SQLite), and inside a caller's transaction (a test case's), it is
Django's `atomic(durable=True)`, each write sent when made, and a row count. Either way
nothing is written unless everything is, and `one_trip` refuses to run inside a caller's
transaction, whose locks would have been held while the engine ran. On PostgreSQL a
connection whose server went away while the engine ran is replaced first (`drop_if_gone`).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction

from studio_clone.db_probe import server_gone

from .gathered import MAX_PARAMETERS, Gathered, numbered, values_list

DIVISION_BY_ZERO = "22012"  # the SQLSTATE of update_if_version's check


class VersionMoved(Exception):
    """Another commit changed the row first: nothing of this transaction was written."""


@contextlib.contextmanager
def one_trip() -> Iterator[None]:
    # The wrapper looked up once: each `connection.x` is a thread-local lookup (a few µs
    # in a request's thread), and a commit would make dozens (bench/RESULTS.md, B6).
    db = connections[DEFAULT_DB_ALIAS]
    drop_if_gone(db)
    if db.vendor != "postgresql" or db.in_atomic_block or not pipelines():
        # Django's own: it refuses a caller's transaction as this does (a test case's
        # transaction excepted), and on PostgreSQL the statements go one by one.
        try:
            with transaction.atomic(durable=True):
                yield
        except DatabaseError as exc:
            raise moved_or(exc) from exc.__cause__
        return
    db.ensure_connection()
    trip = Trip(db)
    db.one_trip = trip
    try:
        # Errors raised when the results come in are the driver's: made Django's, as a
        # statement's own would be (an IntegrityError stays one).
        with db.wrap_database_errors, trip.stack:
            with db.execute_wrapper(trip.before):
                yield
            trip.end()
    except DatabaseError as exc:
        roll_back(db, trip.raw)
        raise moved_or(exc) from exc.__cause__
    except BaseException:
        roll_back(db, trip.raw)
        raise
    finally:
        db.one_trip = None


class Trip:
    """One block's writes: gathered, and sent as one statement unless something else
    the block sends makes them go first, inside a transaction (the module's docstring)."""

    def __init__(self, db: Any) -> None:
        self.db = db  # Django's wrapper of this thread's connection
        self.raw = db.connection
        self.gathered = Gathered()
        self.stack = contextlib.ExitStack()  # the pipeline, once the transaction is open
        self.open = False
        self.sending = False

    def before(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        """Django's execute wrapper: what was gathered goes before any other statement."""
        if self.gathered and not self.sending:
            self.send_gathered()
        return execute(sql, params, many, context)

    def send_gathered(self) -> None:
        if not self.open:
            self.stack.enter_context(self.raw.pipeline())
            self.open = True
            self.send("BEGIN")
        self.send(*self.gathered.take(), raw=True)

    def send(self, sql: str, params: Any = None, *, raw: bool = False) -> None:
        """Through Django's cursor wrapper, so that execute wrappers see it; `raw`: the
        gathered statement, sent with $n placeholders (models/gathered.py numbered) unless
        Django's query log is on."""
        self.sending = True
        try:
            if raw and not self.db.queries_logged:
                with self.db.make_cursor(psycopg.RawCursor(self.raw)) as django_cursor:
                    django_cursor.execute(numbered(sql), params)
            else:
                with self.db.cursor() as django_cursor:
                    django_cursor.execute(sql, params)
        finally:
            self.sending = False

    def end(self) -> None:
        if self.open:
            if self.gathered:
                self.send(*self.gathered.take(), raw=True)
            self.send("COMMIT")
        elif self.gathered:
            # Autocommit: the statement is the transaction.
            self.send(*self.gathered.take(), raw=True)


def drop_if_gone(db: Any = connection) -> None:
    """Close this thread's PostgreSQL connection if its server went away (restarted, failed
    over, the backend terminated) while it sat idle, as it does while the engine runs: the
    block then runs on a new connection instead of failing after the engine's work (and a
    webhook's message, which Twilio does not send again, being lost). One system call, not a
    round trip (studio_clone/db_probe.py, tests/test_commit_lost_connection.py)."""
    raw = db.connection
    if raw is None or db.vendor != "postgresql" or db.in_atomic_block:
        return
    if server_gone(raw):
        db.close()


def gathering() -> Trip | None:
    """The one_trip block this thread's connection is in on PostgreSQL, if any."""
    return getattr(connection, "one_trip", None)


def write(sql: str, params: Sequence[Any], *, checked: bool = False, db: Any = None) -> None:
    """A write of the hot path: gathered in a one_trip block on PostgreSQL, else sent.
    `db`: the connection's wrapper, when the caller has looked it up already."""
    db = db if db is not None else connections[DEFAULT_DB_ALIAS]
    trip = getattr(db, "one_trip", None)
    if trip is None:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
        return
    trip.gathered.add(sql, params, checked=checked)
    if trip.gathered.full():
        trip.send_gathered()


def write_rows(insert: str, width: int, rows: Sequence[Sequence[Any]], *, db: Any = None) -> None:
    """`insert` ("INSERT INTO t (a, b)") of `rows`: gathered as one VALUES list in a
    one_trip block on PostgreSQL, else one executemany. `db` as write's."""
    db = db if db is not None else connections[DEFAULT_DB_ALIAS]
    trip = getattr(db, "one_trip", None)
    if trip is None:
        with db.cursor() as cursor:
            cursor.executemany(f"{insert} VALUES {values_list(width, 1)}", rows)
        return
    per_write = max(1, MAX_PARAMETERS // width)
    for start in range(0, len(rows), per_write):
        trip.gathered.add_rows(insert, width, rows[start : start + per_write])
        if trip.gathered.full():
            trip.send_gathered()


@functools.cache
def pipelines() -> bool:
    """psycopg with a libpq that has pipeline mode (14 or later)."""
    return psycopg.Pipeline.is_supported()


def moved_or(exc: DatabaseError) -> Exception:
    """VersionMoved for the failure of update_if_version's check, else the error itself."""
    return VersionMoved() if getattr(exc.__cause__, "sqlstate", None) == DIVISION_BY_ZERO else exc


def roll_back(db: Any, raw: Any) -> None:
    """End the failed transaction, if it is still open, so the connection is clean."""
    with contextlib.suppress(DatabaseError), db.wrap_database_errors:
        if not raw.closed and raw.info.transaction_status != 0:  # 0: idle
            raw.execute("ROLLBACK")


def update_if_version(
    model: type[models.Model], pk: Any, version: int, changes: dict[str, Any], now: Any
) -> None:
    """UPDATE `changes` (attribute names) of the row `pk` whose `version` column is still
    `version`, adding one to it and setting `date_updated`; VersionMoved (from `one_trip`
    on PostgreSQL, at once elsewhere) when no such row was updated."""
    db = connections[DEFAULT_DB_ALIAS]
    meta, quote = model._meta, db.ops.quote_name
    fields = [meta.get_field(name) for name in changes]
    stamp, counter = meta.get_field("date_updated"), quote(meta.get_field("version").column)
    sets = [f"{quote(f.column)} = %s" for f in [*fields, stamp]]
    sql = "UPDATE {} SET {}, {} = {} + 1 WHERE {} = %s AND {} = %s".format(  # noqa: S608
        quote(meta.db_table), ", ".join(sets), counter, counter, quote(meta.pk.column), counter
    )
    values = [f.get_db_prep_save(v, db) for f, v in zip(fields, changes.values(), strict=True)]
    values += [stamp.get_db_prep_save(now, db), pk, version]
    if getattr(db, "one_trip", None) is not None:
        write(f"{sql} RETURNING 1", values, checked=True)  # models/gathered.py checks it
        return
    if db.vendor == "postgresql":
        # Divides by the number of rows updated: no row, and the transaction fails here.
        sql = f"WITH moved AS ({sql} RETURNING 1) SELECT 1 / COUNT(*) FROM moved"  # noqa: S608
    with db.cursor() as cursor:
        cursor.execute(sql, values)
        if db.vendor != "postgresql" and cursor.rowcount != 1:
            raise VersionMoved
