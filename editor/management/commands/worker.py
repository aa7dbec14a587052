"""The task worker: first fire what is overdue, then run the database task queue.

`manage.py worker` takes db_worker's options. Beside the queue it keeps a heartbeat, and
hands back to the queue any task left running by a worker that died (editor/leases.py), so
a timer lost in a crash fires within seconds on any worker still running. Starting with a
sweep also fires timers that fell due while no worker was running, and enqueues again any
outbound request (services/outbox.py) whose task was lost.

A lost database connection (a restarted or failed-over PostgreSQL, a terminated backend)
does not end the worker: db_worker's loop re-raises any database error but a lock, so the
loop is entered again after RECONNECT seconds, with fresh connections, once the tasks this
worker was running when the error struck are back in the queue (they are safe to run twice).
"""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Command as DbWorker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from editor import services
from editor.leases import Heartbeat, hand_back_own
from editor.services import outbox

logger = logging.getLogger("editor.worker")
RECONNECT = 1.0  # seconds between a lost database and the next try
# A task that failed on a database error (a lock waited out, a connection lost while its
# end could still be recorded) runs again this many seconds later, up to RETRIES times.
RETRY_AFTER = 5.0
RETRIES = 10
DATABASE_ERRORS = frozenset(
    f"{error.__module__}.{error.__qualname__}" for error in (OperationalError, InterfaceError)
)


class Command(DbWorker):
    help = "Fire overdue timeouts, then run queued tasks (db_worker's options apply)."

    def handle(self, *args: Any, **options: Any) -> None:
        # A task left RUNNING under this worker's id was left by an earlier process of the
        # same id (--worker-id is meant to be unique in the pool), killed mid-task: this
        # one's heartbeat would keep it from ever being reclaimed.
        returned = hand_back_own(options["worker_id"])
        if returned:
            self.stdout.write(f"handed back {returned} task{pluralize(returned)} of a killed run")
        fired = services.fire_overdue()
        if fired:
            self.stdout.write(f"fired {fired} overdue timeout{pluralize(fired)}")
        requeued = outbox.requeue_stuck()
        if requeued:
            self.stdout.write(f"requeued {requeued} outbound request{pluralize(requeued)}")
        # With --reload this process only watches files; its child runs the queue (and beats).
        runs_queue = (
            options["batch"]
            or not options["reload"]
            or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        )
        heartbeat = Heartbeat(options["worker_id"]) if runs_queue else None
        if heartbeat:
            heartbeat.start()
        try:
            # db_worker's handle builds db_worker.Worker, and with --reload runs it in a
            # thread of the reloader's child, where an exception ends only that thread:
            # RecoveringWorker stands in for it for this call.
            db_worker.Worker = RecoveringWorker
            super().handle(*args, **options)
        finally:
            db_worker.Worker = Worker
            if heartbeat:
                heartbeat.stop()


class RecoveringWorker(Worker):
    """db_worker's loop, entered again RECONNECT seconds after a database error, once the
    tasks it was running are back in the queue."""

    def run(self) -> None:
        lost = False
        while True:
            try:
                if lost:
                    hand_back_own(self.worker_id)
                super().run()
                return
            except DatabaseError as exc:
                logger.warning("worker %s lost the database: %s", self.worker_id, exc)
                connections.close_all()
                lost = True
                self.startup_delay = False
                time.sleep(RECONNECT)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """db_worker's, but a task that failed on a database error goes back to the queue
        (our tasks are safe to run twice): a timer or an outbound request lost to a busy
        or restarting database would otherwise wait for the next worker start's sweep."""
        super().run_task(db_task_result)
        row = db_task_result
        if row.status != "FAILED" or row.exception_class_path not in DATABASE_ERRORS:
            return
        if len(row.worker_ids) >= RETRIES:
            return
        later = timezone.now() + timedelta(seconds=RETRY_AFTER)
        DBTaskResult.objects.filter(pk=row.pk, status="FAILED").update(
            status="READY", run_after=later, finished_at=None
        )
        logger.warning("task %s failed on the database; again at %s", row.pk, later)
