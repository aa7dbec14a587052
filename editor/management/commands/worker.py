"""The task worker: first fire what is overdue, then run the database task queue.

`manage.py worker` takes db_worker's options. Starting with a sweep means a timer lost by a
worker that was killed while running it fires as soon as any worker comes back.
"""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import pluralize
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from editor import services


class Command(DbWorker):
    help = "Fire overdue timeouts, then run queued tasks (db_worker's options apply)."

    def handle(self, *args: Any, **options: Any) -> None:
        fired = services.fire_overdue()
        if fired:
            self.stdout.write(f"fired {fired} overdue timeout{pluralize(fired)}")
        super().handle(*args, **options)
