"""Counting the round trips to PostgreSQL that a block of code makes (tests of the hot paths).

A statement sent outside psycopg's pipeline mode is one round trip: the driver waits for
its answer (a commit gathered into one statement, editor/models/gathered.py, is one).
Inside a pipeline (editor/models/one_trip.py, once a block reads) the statements go without
waiting, and the client waits only at a sync (the pipeline's end, or an explicit sync)
or when a cursor reads a result that has not come in yet (an INSERT … RETURNING read
mid-pipeline): each of those is one trip. Connections opened by the block are not
counted (a pooled server keeps them open)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection


@dataclass
class Trips:
    statements: list[str] = field(default_factory=list)
    waits: list[str] = field(default_factory=list)  # what each round trip waited for

    @property
    def count(self) -> int:
        return len(self.waits)


@contextlib.contextmanager
def counting() -> Iterator[Trips]:
    """The statements of the block (as Django logs them) and its round trips."""
    import psycopg
    from psycopg import _pipeline_base

    trips = Trips()

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        trips.statements.append(sql)
        raw = connection.connection
        piped = getattr(raw, "_pipeline", None) is not None
        if not piped:
            trips.waits.append(sql)
        return execute(sql, params, many, context)

    original_sync = _pipeline_base.BasePipeline._enqueue_sync
    original_fetch = psycopg.Cursor._fetch_pipeline

    def enqueue_sync(self: Any) -> None:
        trips.waits.append("(pipeline sync)")
        original_sync(self)

    def fetch_pipeline(self: Any) -> None:
        if self._execmany_returning is not False and not self.pgresult and self._conn._pipeline:
            trips.waits.append("(result read mid-pipeline)")
        original_fetch(self)

    _pipeline_base.BasePipeline._enqueue_sync = enqueue_sync
    psycopg.Cursor._fetch_pipeline = fetch_pipeline
    try:
        with connection.execute_wrapper(wrapper):
            yield trips
    finally:
        _pipeline_base.BasePipeline._enqueue_sync = original_sync
        psycopg.Cursor._fetch_pipeline = original_fetch
