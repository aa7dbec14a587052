"""What happened to an execution, in order: its transcript (inputs, steps, messages, channel
actions, its end), numbered from 1 per execution and written in the same transaction as the
state it led to. Live test panels get a snapshot of it, then the entries after the last one
they have, so a reload or a lost connection misses nothing and shows nothing twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from ..flowspec import jsontext
from .executions import Execution
from .rows import insert_many


class TranscriptManager(models.Manager):
    def append(self, execution: Execution, first: int, entries: list[dict[str, Any]]) -> datetime:
        """Insert entries numbered first, first + 1, … with one executemany (the hot path).

        Returns the time they are stamped with: their broadcast carries the same `at`, so a
        tab that hears of them live and one that reads them later show the same entries."""
        now = timezone.now()
        if not entries:
            return now
        rows = [
            (execution.pk, first + n, entry["kind"], jsontext.dumps(entry, default=str), now)
            for n, entry in enumerate(entries)
        ]
        insert_many(self.model, ("execution", "seq", "kind", "data", "date_created"), rows)
        return now


class TranscriptEntry(models.Model):
    # No index of its own: transcript_order's starts with it.
    execution = models.ForeignKey(
        Execution, on_delete=models.CASCADE, related_name="transcript", db_index=False
    )
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=16)
    # The entry as the protocol sends it, minus seq and at (docs/protocol.md).
    data = models.TextField()
    date_created = models.DateTimeField(default=timezone.now)

    objects = TranscriptManager()

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["execution", "seq"], name="transcript_order")
        ]

    def __str__(self) -> str:
        return f"{self.execution_id}#{self.seq} {self.kind}"

    def as_json(self) -> dict[str, Any]:
        return {**jsontext.loads(self.data), "seq": self.seq, "at": self.date_created.isoformat()}
