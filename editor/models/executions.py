"""Executions (one contact's run through a flow) and their steps, as Twilio's API has them."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from ..fields import JSONTextField
from ..flowspec import jsontext
from ..sids import new_sid
from .flows import Flow
from .one_trip import update_if_version
from .rows import insert_many, insert_one, insert_row


def execution_sid() -> str:
    return new_sid("FN")


def step_sid() -> str:
    return new_sid("FT")


def contact_sid(account_sid: str, address: str) -> str:
    """Stable per contact address within an account, as Twilio's `FC…` is."""
    return "FC" + hashlib.sha256(f"{account_sid}:{address}".encode()).hexdigest()[:32]


class ExecutionStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class ExecutionManager(models.Manager):
    def insert(self, execution: Execution) -> None:
        """INSERT a new execution with plain SQL: Model.save() costs more in Python than the
        database spends on the row, and starting executions is the hot path. Its key when
        it was taken already (services/execution_start_read.py start_read), else returned."""
        now = timezone.now()
        execution.date_created = execution.date_updated = now
        if execution.pk is None:
            insert_one(execution)
        else:
            insert_row(execution)

    def update_if_version(
        self, execution: Execution, changes: dict[str, Any], now: datetime
    ) -> None:
        """UPDATE the execution with `changes` (field names) and a version one higher, if
        its version is still `execution.version`; one_trip.VersionMoved when another
        commit came first. Plain SQL for the same reason as `insert`: every event on an
        execution makes it."""
        update_if_version(self.model, execution.pk, execution.version, changes, now)


class Execution(models.Model):
    """The engine's JSON state is kept whole in `state`; the columns are what is queried."""

    # Unique through Meta.constraints (unique_sid), not unique=True: on PostgreSQL that
    # also builds a second, LIKE-pattern index on the column, which nothing queries and
    # every insert would pay for. Likewise the flow has no index of its own: the indexes
    # below all start with it.
    sid = models.CharField(max_length=34, default=execution_sid)
    flow = models.ForeignKey(
        Flow, on_delete=models.CASCADE, related_name="executions", db_index=False
    )
    flow_version = models.PositiveIntegerField()
    trigger = models.CharField(max_length=20)
    contact_channel_address = models.CharField(max_length=255)
    contact_sid = models.CharField(max_length=34)
    flow_channel_address = models.CharField(max_length=255)
    initiated_by = models.CharField(max_length=64, blank=True)
    test_user = models.BooleanField(default=False)
    # Who started it: "test" (the canvas's test panel), "api", "shell" or "webhook".
    origin = models.CharField(max_length=16, blank=True)
    status = models.CharField(
        max_length=10, choices=ExecutionStatus.choices, default=ExecutionStatus.ACTIVE
    )
    ended_reason = models.CharField(max_length=32, blank=True)
    # Calls of flows that allow concurrent calls are exempt from one-active-per-contact.
    concurrent = models.BooleanField(default=False)
    state = JSONTextField()
    # The timer the execution waits on, if any: a task fires it unless the wait moved on.
    wait_id = models.PositiveIntegerField(null=True, blank=True)
    wake_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every commit of new state: the engine runs with no lock held, and its
    # result is written only if nobody else moved the execution on meanwhile.
    version = models.PositiveIntegerField(default=0)
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True)

    objects = ExecutionManager()

    class Meta:
        ordering = ["-date_created", "-id"]
        indexes = [
            # A flow's executions newest first (the API's list and the executions page, with
            # or without their filters): read from the index's end, not sorted from all of
            # them. It replaced (flow, status), which no list could read in order.
            models.Index(fields=["flow", "date_created"], name="execution_newest"),
            # A channel's executions of a flow, newest first: a conversation's, a contact's
            # at a number (a retried webhook looks for its message in the latest,
            # services/webhooks.py delivered). Only a Start Conversation changes one of
            # these columns, once (services/execution_commit.py changes_of).
            models.Index(
                fields=["flow", "flow_channel_address", "contact_channel_address", "id"],
                name="execution_channel",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["sid"], name="execution_sid_unique"),
            models.UniqueConstraint(
                fields=["flow", "contact_channel_address", "flow_channel_address"],
                condition=models.Q(status="active", concurrent=False),
                name="one_active_execution_per_contact",
            ),
            # One execution per message or call that a Twilio webhook delivered (its SID is
            # `initiated_by`): Twilio retries webhooks, and two deliveries of one CallSid
            # racing each other must not start two executions. Other origins may repeat a
            # value (a benchmark uses one for every run).
            # One active execution per conversation, whoever wrote its first message: two
            # participants' first messages arriving together start one (services/
            # conversations.py delivers the other to it).
            models.UniqueConstraint(
                fields=["flow", "flow_channel_address"],
                condition=models.Q(status="active", trigger="conversation"),
                name="one_execution_per_conversation",
            ),
            models.UniqueConstraint(
                fields=["flow", "initiated_by"],
                condition=models.Q(origin="webhook"),
                name="one_execution_per_webhook",
            ),
        ]

    def __str__(self) -> str:
        return self.sid

    @property
    def context(self) -> dict[str, Any]:
        return self.state.get("context", {})

    @property
    def wait(self) -> dict[str, Any] | None:
        return self.state.get("wait")


class StepManager(models.Manager):
    def append(self, execution: Execution, first: int, steps: list[dict[str, Any]]) -> list[str]:
        """Insert an engine result's steps with one executemany; returns their SIDs.

        This is the hot path of every start and every event; bulk_create's per-row model
        preparation cost more than the inserts themselves. The columns are the model's own.
        """
        if not steps:
            return []
        now = timezone.now()
        sids = {first + n: step_sid() for n in range(len(steps))}
        parents = self.parent_sids(execution, steps, sids)
        columns = ("sid", "execution_id", "position", "name", "transitioned_from")
        columns += ("transitioned_to", "type", "flow_sid", "parent_step_sid", "context")
        columns += ("date_created",)
        rows = [
            (
                sids[first + n],
                execution.pk,
                first + n,
                step["name"],
                step["transitioned_from"],
                step["transitioned_to"],
                step["type"],
                step["flow_sid"],
                parents.get(step.get("parent_step"), ""),
                encode_context(step.get("context")),
                now,
            )
            for n, step in enumerate(steps)
        ]
        insert_many(self.model, columns, rows)
        return [row[0] for row in rows]

    def parent_sids(
        self, execution: Execution, steps: list[dict[str, Any]], sids: dict[int, str]
    ) -> dict[int | None, str]:
        """SIDs of the parent steps that subflow steps name by position."""
        wanted = {s["parent_step"] for s in steps if s.get("parent_step") is not None}
        found = {p: sids[p] for p in wanted if p in sids}
        missing = wanted - set(found)
        if missing:
            stored = self.filter(execution=execution, position__in=missing)
            found.update(stored.values_list("position", "sid"))
        return found


def encode_context(context: Any) -> str:
    """Snapshots are encoded when stored; an engine without snapshots leaves them empty."""
    if context is None:
        return ""
    # A snapshot is served as JSON, and NaN is not JSON: dumps refuses it (see fields.py).
    return jsontext.dumps(context, default=str)


class ExecutionStep(models.Model):
    # Unique and indexed as Execution's are, through Meta.constraints alone.
    sid = models.CharField(max_length=34, default=step_sid)
    execution = models.ForeignKey(
        Execution, on_delete=models.CASCADE, related_name="steps", db_index=False
    )
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=64)
    transitioned_from = models.CharField(max_length=100)
    transitioned_to = models.CharField(max_length=100)
    type = models.CharField(max_length=64)
    # The flow that ran the widget: the execution's own, or a subflow's.
    flow_sid = models.CharField(max_length=34)
    parent_step_sid = models.CharField(max_length=34, blank=True)
    # The context snapshot as the engine wrote it (JSON text, stored as is).
    context = models.TextField(blank=True)
    date_created = models.DateTimeField(auto_now_add=True)

    objects = StepManager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["sid"], name="step_sid_unique"),
            models.UniqueConstraint(fields=["execution", "position"], name="step_order"),
        ]

    def __str__(self) -> str:
        return f"{self.transitioned_from} -> {self.transitioned_to} ({self.name})"
