"""Task workers' heartbeats: the lease on the tasks they run."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per live `manage.py worker` process, refreshed every few seconds.

    A task marked running by a worker whose heartbeat has stopped (killed, out of memory,
    its machine gone) is handed back to the queue by any other worker; see editor/leases.py.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.beat_at:%H:%M:%S}"
