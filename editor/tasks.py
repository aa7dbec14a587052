"""Background work, run by the database task worker (`manage.py db_worker`)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task


@task()
def fire_timeout_task(execution_sid: str, wait_id: int) -> bool:
    from . import services

    return services.fire_timeout(execution_sid, wait_id)


def schedule_timeout(execution_sid: str, wait_id: int, when: datetime) -> None:
    """Enqueue inside the caller's transaction: the timer exists exactly when the wait does."""
    fire_timeout_task.using(run_after=when).enqueue(execution_sid, wait_id)
