"""Background work, run by the database task worker (`manage.py db_worker`)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task


@task()
def fire_timeout_task(execution_sid: str, wait_id: int) -> bool:
    """Deliver a wait's timeout. Safe to run late, twice, or after the execution moved on or
    was deleted: services.fire_timeout does nothing unless the execution still waits on
    `wait_id`, and commits only if nobody moved the execution on meanwhile (its version)."""
    from . import services

    return services.fire_timeout(execution_sid, wait_id)


def schedule_timeout(execution_sid: str, wait_id: int, when: datetime) -> None:
    """Enqueue inside the caller's transaction: the timer exists exactly when the wait does."""
    fire_timeout_task.using(run_after=when).enqueue(execution_sid, wait_id)


@task()
def send_outbound_task(request_id: int) -> str:
    """Send one outbox row to Twilio. Safe to run late or twice: services.outbox.send does
    nothing for a row already sent, failed, not yet due, or claimed by another sender."""
    from .services import outbox

    return outbox.send(request_id)
