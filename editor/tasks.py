"""Background work, run by the database task worker (`manage.py db_worker`)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks.utils import normalize_json

from .models import one_trip, rows

logger = logging.getLogger(__name__)


@task()
def fire_timeout_task(execution_sid: str, wait_id: int) -> bool:
    """Deliver a wait's timeout. Safe to run late, twice, or after the execution moved on or
    was deleted: services.fire_timeout does nothing unless the execution still waits on
    `wait_id`, and commits only if nobody moved the execution on meanwhile (its version)."""
    from . import services

    return services.fire_timeout(execution_sid, wait_id)


def schedule_timeout(execution_sid: str, wait_id: int, when: datetime) -> None:
    """Enqueue inside the caller's transaction: the timer exists exactly when the wait does.

    The row is the one `fire_timeout_task.using(run_after=when).enqueue(...)` writes
    (tests/test_timeouts.py compares them field by field), inserted as a plain INSERT:
    enqueue's validation and ORM save cost more than the rest of an execution's writes
    together, on every start and every reply that waits (bench/RESULTS.md, B6)."""
    enqueue_row(fire_timeout_task, [execution_sid, wait_id], when)


def enqueue_row(task: Task, args: list[Any], when: datetime) -> Any:
    """What the database backend's enqueue stores for `task.using(run_after=when)`, stored
    without its model save (its `task_enqueued` signal only logs, and is logged here).
    Returns the row's id. The model instance is built only for a task's first row, to
    prepare the columns every row of the task has alike (same_columns)."""
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` is a thread-local lookup
    key = (task.module_path, task.priority, task.queue_name, backend.alias, db.vendor)
    same = SAME_COLUMNS.get(key)
    if same is None:
        row = DBTaskResult(
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            backend_name=backend.alias,
        )
        same = SAME_COLUMNS[key] = same_columns(row)
    fields = DBTaskResult._meta.concrete_fields
    per_row = {
        "id": backend._get_id(),
        "args_kwargs": normalize_json({"args": args, "kwargs": {}}),
        "run_after": when,
        "enqueued_at": timezone.now(),
    }
    values = [
        same[f.attname] if f.attname in same else f.get_db_prep_save(per_row[f.attname], db)
        for f in fields
    ]
    one_trip.write(rows.insert_sql(DBTaskResult, [f.name for f in fields], db=db), values, db=db)
    logger.debug("Task id=%s path=%s enqueued backend=%s", per_row["id"], key[0], backend.alias)
    return per_row["id"]


# The columns a task's rows differ in; the others are the same for every row of the task.
PER_ROW = frozenset({"id", "args_kwargs", "run_after", "enqueued_at"})


def same_columns(row: Any) -> dict[str, Any]:
    """The values, ready for the database, of `row`'s columns that every row of its task
    has alike: prepared once per task and process rather than for every timer."""
    fields = [f for f in type(row)._meta.concrete_fields if f.attname not in PER_ROW]
    return {f.attname: f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields}


SAME_COLUMNS: dict[tuple, dict[str, Any]] = {}


@task()
def send_outbound_task(request_id: int) -> str:
    """Send one outbox row to Twilio. Safe to run late or twice: services.outbox.send does
    nothing for a row already sent, failed, not yet due, or claimed by another sender."""
    from .services import outbox

    return outbox.send(request_id)
