"""Leases on running tasks: a worker that dies mid-task loses its task within seconds.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again,
so a worker killed while running one (SIGKILL, out of memory, a lost machine) would leave it
RUNNING for ever: a timeout that never fires. Every worker therefore keeps a heartbeat row
fresh from a background thread, and the same thread hands back to the queue every task
that is RUNNING for a worker whose heartbeat stopped more than LEASE ago. Any worker then
claims and runs it again. Our tasks are safe to run twice (a timer fires only if the
execution still waits on it, see services.fire_timeout).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

BEAT = 2.0  # seconds between heartbeats
LEASE = timedelta(seconds=10)  # silence after which a worker is taken for dead
FORGET = timedelta(hours=1)  # heartbeat rows of workers gone this long are deleted
STOP_WAIT = 5.0  # seconds a stopping worker waits for its heartbeat thread

logger = logging.getLogger("editor.worker")


def beat(worker_id: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now):
        WorkerHeartbeat.objects.get_or_create(worker_id=worker_id, defaults={"beat_at": now})


def reclaim_lost_tasks(now: datetime | None = None) -> int:
    """Put back in the queue every task whose worker has been silent for LEASE or more."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(beat_at__gt=now - LEASE).values_list("worker_id", flat=True)
    )
    # A task claimed less than LEASE ago may belong to a worker yet to beat for the first time.
    running = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=now - LEASE)
    lost = [
        pk for pk, ids in running.values_list("pk", "worker_ids") if not ids or ids[-1] not in alive
    ]
    if not lost:
        return 0
    reclaimed = DBTaskResult.objects.filter(pk__in=lost, status="RUNNING").update(status="READY")
    WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET).delete()
    if reclaimed:
        logger.warning("reclaimed %d task(s) whose worker stopped", reclaimed)
    return reclaimed


class Heartbeat(threading.Thread):
    """Beats for one worker and reclaims others' lost tasks until stopped."""

    def __init__(self, worker_id: str, interval: float = BEAT) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.tick()
                self.stopping.wait(self.interval)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        finally:
            connections.close_all()

    def tick(self) -> None:
        close_old_connections()
        try:
            beat(self.worker_id)
            reclaim_lost_tasks()
        except DatabaseError:
            # A locked or restarting database: the next beat tries again, well within LEASE.
            logger.warning("heartbeat of %s failed", self.worker_id, exc_info=True)

    def stop(self) -> None:
        """Ends the beats and waits for the thread to clear its row: at most a few seconds,
        whatever the interval (a beat already under way finishes first, and on a loaded
        database that can take longer than a short interval)."""
        self.stopping.set()
        self.join(timeout=max(2 * self.interval, STOP_WAIT))


def hand_back_own(worker_id: str) -> int:
    """Put back in the queue the tasks this (live) worker left RUNNING when the database
    failed under it: a task whose end could not be recorded would otherwise stay RUNNING
    for ever, since the worker's heartbeat keeps others from reclaiming it."""
    running = DBTaskResult.objects.filter(status="RUNNING").values_list("pk", "worker_ids")
    own = [pk for pk, ids in running if ids and ids[-1] == worker_id]
    if not own:
        return 0
    return DBTaskResult.objects.filter(pk__in=own, status="RUNNING").update(status="READY")
