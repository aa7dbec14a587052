"""The task worker: first fire what is overdue, then run the database task queue.

`manage.py worker` takes db_worker's options. Beside the queue it keeps a heartbeat, and
hands back to the queue any task left running by a worker that died (editor/leases.py), so
a timer lost in a crash fires within seconds on any worker still running. Starting with a
sweep also fires timers that fell due while no worker was running, and enqueues again any
outbound request (services/outbox.py) whose task was lost.
"""

from __future__ import annotations

import os
from typing import Any

from django.template.defaultfilters import pluralize
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from editor import services
from editor.leases import Heartbeat
from editor.services import outbox


class Command(DbWorker):
    help = "Fire overdue timeouts, then run queued tasks (db_worker's options apply)."

    def handle(self, *args: Any, **options: Any) -> None:
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
            super().handle(*args, **options)
        finally:
            if heartbeat:
                heartbeat.stop()
