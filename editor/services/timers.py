"""Timers: the worker fires a wait's timeout, and sweeps up the ones it lost.

The timeout of a wait is a task row written in the same transaction as the wait
(editor/tasks.py); the worker runs it at `run_after`. Both entry points deliver their
event through services/executions.py, so firing late, twice or after the execution moved
on is a no-op.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from django.utils import timezone

from ..engine.ports import Limits
from ..models import Execution
from ..models.executions import ExecutionStatus
from .executions import ExecutionEnded, deliver_event

OVERDUE_GRACE = timedelta(seconds=30)


def fire_timeout(execution_sid: str, wait_id: int) -> bool:
    """The worker's entry point; a no-op when the execution has moved on or ended."""
    execution = Execution.objects.filter(
        sid=execution_sid, status=ExecutionStatus.ACTIVE, wait_id=wait_id
    ).first()
    if execution is None:
        return False
    try:
        timeout = {"type": "timeout", "wait_id": wait_id}
        return deliver_event(execution, timeout, source="worker").handled
    except ExecutionEnded:
        return False


def fire_overdue(now: datetime | None = None, *, grace: timedelta = OVERDUE_GRACE) -> int:
    """Fire every timer more than `grace` overdue, and end executions past their lifetime.

    The task queue normally fires timers on time; this catches the ones it lost (a worker
    killed while running one leaves the task marked running for ever). Firing twice is a
    no-op, so running this while workers are busy is safe.
    """
    now = now or timezone.now()
    fired = 0
    overdue = Execution.objects.filter(
        status=ExecutionStatus.ACTIVE, wake_at__lt=now - grace
    ).values_list("sid", "wait_id")
    for sid, wait_id in overdue:
        fired += fire_timeout(sid, wait_id)
    expired = Execution.objects.filter(
        status=ExecutionStatus.ACTIVE, date_created__lt=now - Limits().lifetime
    )
    for execution in expired:
        with contextlib.suppress(ExecutionEnded):
            fired += deliver_event(execution, {"type": "expire"}, source="worker").handled
    return fired
