"""Several writes sent to PostgreSQL together: one round trip instead of one per statement.

An execution's commit writes its steps, its transcript entries, its timer row and its
outbound requests one statement after another, and each statement waited for its answer
before the next was sent: a round trip each, which on a loaded box costs more than the
statement (bench/RESULTS.md, B6). Inside `pipelined()` psycopg's pipeline mode sends them
without waiting; PostgreSQL still runs them in order, in the caller's transaction.

What a block may do: write, and read a result it needs (`fetchone`, a RETURNING): the read
waits for everything sent before it, so it sees what they wrote. What it may not do: rely on
`cursor.rowcount` of an UPDATE or DELETE without reading a result, since its answer has not
arrived yet (a version check belongs before the block). An error of any statement is raised
when the block ends (or at that read) as Django's own error class, and the transaction around
the block rolls back as it would have. Elsewhere (SQLite) the block runs as plain code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.db import connection


@cache
def supported() -> bool:
    """psycopg 3 with a libpq that has pipeline mode (14 or later)."""
    import psycopg

    return psycopg.Pipeline.is_supported()


@contextmanager
def pipelined() -> Iterator[None]:
    if connection.vendor != "postgresql" or not connection.in_atomic_block or not supported():
        # Only inside a transaction: in autocommit mode each statement commits on its own,
        # and an error would be raised after later statements had committed.
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield
