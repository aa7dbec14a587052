"""Execution verbs: start, deliver an event, fire a timer, end, delete.

Each verb locks the execution row, runs the engine and commits the new state together with
the steps it produced and the timer it now waits on (a task row in the same database), so a
crash at any point loses nothing and does nothing twice.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ..engine import runtime
from ..engine.http import SafeHttp
from ..engine.ports import Limits, Ports, Subflow
from ..models import Execution, ExecutionStep, Flow, Status
from ..models.executions import ExecutionStatus, contact_sid
from .flows import save_draft

OVERDUE_GRACE = timedelta(seconds=30)
SEEN_MESSAGES = 20  # inbound MessageSids remembered, so a retried webhook is handled once


class ExecutionError(Exception):
    """A request the execution cannot honour; `status` and `code` follow Twilio's API."""

    status = 400
    code = 20001

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ExecutionConflict(ExecutionError):
    status = 409
    code = 20409

    def __init__(self, sid: str) -> None:
        super().__init__(
            f"Execution {sid} is already active for this contact. "
            "End the active Execution before creating a new one",
            conflicting_execution_sid=sid,
        )


class ExecutionEnded(ExecutionError):
    status = 409
    code = 20409


@dataclass
class Outcome:
    """What a verb did: the execution, and the messages and channel actions it produced."""

    execution: Execution
    effects: list[dict[str, Any]] = field(default_factory=list)
    handled: bool = True


_http: dict[bool, SafeHttp] = {}


def outbound_http() -> SafeHttp:
    allow = bool(getattr(settings, "OUTBOUND_ALLOW_LOOPBACK", False))
    if allow not in _http:
        _http[allow] = SafeHttp(allow_loopback=allow)
    return _http[allow]


def ports_for(flow: Flow) -> Ports:
    def load_subflow(sid: str, revision: str, test_user: bool) -> Subflow | None:
        child = Flow.objects.filter(team_id=flow.team_id, sid=sid).first()
        found = child and pick_revision(child, revision, test_user)
        return Subflow(child.sid, found.revision, found.definition) if found else None

    return Ports(
        http=outbound_http(),
        clock=timezone.now,
        load_subflow=load_subflow,
        account_sid=flow.team.account_sid,
    )


@dataclass(frozen=True)
class Pinned:
    """A revision an execution runs: its number and definition (never changed once written)."""

    revision: int
    definition: dict[str, Any]


DEFINITIONS_CACHED = 256
_definitions: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()


def definition_of(flow: Flow, revision: int) -> dict[str, Any] | None:
    """Revisions are append-only, so a parsed definition can be kept for the process's life.
    Keyed by SID, which is never reused (a primary key may be, after a delete)."""
    key = (flow.sid, revision)
    definition = _definitions.get(key)
    if definition is None:
        definition = (
            flow.revisions.filter(revision=revision).values_list("definition", flat=True).first()
        )
        if definition is None:
            return None
        _definitions[key] = definition
        if len(_definitions) > DEFINITIONS_CACHED:
            _definitions.popitem(last=False)
    else:
        _definitions.move_to_end(key)
    return definition


_published: OrderedDict[tuple[str, int], int | None] = OrderedDict()


def latest_published(flow: Flow) -> int | None:
    """Which revision is live only changes with a new revision, and every new revision
    bumps flow.revision: so (sid, flow.revision) names the answer for good."""
    key = (flow.sid, flow.revision)
    if key not in _published:
        _published[key] = (
            flow.revisions.filter(status=Status.PUBLISHED)
            .order_by("-revision")
            .values_list("revision", flat=True)
            .first()
        )
        if len(_published) > DEFINITIONS_CACHED:
            _published.popitem(last=False)
    return _published[key]


def pick_revision(flow: Flow, spec: str, test_user: bool) -> Pinned | None:
    """LatestPublished, LatestDraft or a number; test users always get the latest draft."""
    if spec.isdigit():
        number: int | None = int(spec)
    elif spec == "LatestDraft" or test_user:
        number = flow.revision
    else:
        number = latest_published(flow)
    definition = definition_of(flow, number) if number else None
    return Pinned(number, definition) if definition is not None else None


def start_execution(
    flow: Flow,
    *,
    kind: str,
    contact: str,
    flow_address: str,
    payload: dict[str, Any] | None = None,
    parameters: dict[str, Any] | None = None,
    initiated_by: str = "",
) -> Outcome:
    """A new execution: test users run the latest draft, everyone else the published flow."""
    test_user = contact in (flow.test_users or [])
    if test_user:
        flow.refresh_from_db(fields=["version", "revision"])
        if flow.has_unsaved_changes():
            # Test users run the latest draft: the canvas's edits, pinned as a revision.
            flow = save_draft(flow, commit_message="Saved for a test run")
    revision = pick_revision(flow, "LatestPublished", test_user)
    if revision is None:
        raise ExecutionError(f"Flow {flow.sid} has no published revision to execute")
    flags = revision.definition.get("flags") or {}
    concurrent = kind == "call" and bool(flags.get("allow_concurrent_calls", True))
    execution = Execution(
        flow=flow,
        flow_version=revision.revision,
        trigger=kind,
        contact_channel_address=contact,
        contact_sid=contact_sid(flow.team.account_sid, contact),
        flow_channel_address=flow_address,
        initiated_by=initiated_by,
        test_user=test_user,
        concurrent=concurrent,
    )
    try:
        with transaction.atomic():
            if not concurrent:
                raise_if_busy(flow, contact, flow_address)
            result = runtime.start(
                revision.definition,
                kind=kind,
                contact=contact,
                flow_address=flow_address,
                ports=ports_for(flow),
                flow_sid=flow.sid,
                execution_sid=execution.sid,
                revision=revision.revision,
                payload=payload,
                data=parameters,
                test_user=test_user,
            )
            # A retried webhook of the message that started the run must not be taken as
            # the first widget's reply.
            remember(result.state, {"message": payload or {}})
            persist(execution, result)
    except IntegrityError:
        # Another request started one for the same contact between our check and insert.
        raise_if_busy(flow, contact, flow_address)
        raise
    return Outcome(execution, result.effects)


def active_sid(flow: Flow, contact: str, flow_address: str) -> str | None:
    """The contact's active (non-concurrent) execution of this flow, if any.

    Plain SQL whose conditions are the partial unique index's own, written as literals:
    SQLite uses a partial index only when the query states its condition literally, and
    with bound parameters it would scan every active execution of the flow instead.
    """
    table = connection.ops.quote_name(Execution._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sid FROM {table} WHERE flow_id = %s AND contact_channel_address = %s "  # noqa: S608
            "AND flow_channel_address = %s AND NOT concurrent AND status = 'active' LIMIT 1",
            [flow.pk, contact, flow_address],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def raise_if_busy(flow: Flow, contact: str, flow_address: str) -> None:
    sid = active_sid(flow, contact, flow_address)
    if sid:
        raise ExecutionConflict(sid)


def persist(execution: Execution, result: runtime.Result) -> None:
    """Save the state, append the steps and schedule the timer the execution now waits on."""
    from ..tasks import schedule_timeout

    execution.state = result.state
    execution.status = result.state["status"]
    execution.ended_reason = result.state.get("ended_reason") or ""
    wait = result.wait
    timeout_at = wait.get("timeout_at") if wait else None
    execution.wait_id = wait["id"] if wait else None
    execution.wake_at = datetime.fromisoformat(timeout_at) if timeout_at else None
    if execution.pk is None:
        Execution.objects.insert(execution)
    else:
        execution.save()
    # state["steps"] counts every step recorded, these included.
    start = result.state["steps"] - len(result.steps)
    ExecutionStep.objects.append(execution, start, result.steps)
    if execution.wake_at is not None:
        schedule_timeout(execution.sid, execution.wait_id, execution.wake_at)


def deliver_event(execution: Execution, event: dict[str, Any]) -> Outcome:
    """Resume a waiting execution with a reply, a channel callback, a timer or an end."""
    with transaction.atomic():
        locked = (
            Execution.objects.select_for_update(of=("self",))
            .select_related("flow__team")
            .get(pk=execution.pk)
        )
        if locked.status != ExecutionStatus.ACTIVE:
            raise ExecutionEnded(f"Execution {locked.sid} has already ended")
        if is_repeat(locked, event):
            return Outcome(locked, handled=False)
        definition = definition_of(locked.flow, locked.flow_version)
        result = runtime.resume(definition, locked.state, event, ports_for(locked.flow))
        if result.handled:
            remember(result.state, event)
            persist(locked, result)
    return Outcome(locked, result.effects, result.handled)


def is_repeat(execution: Execution, event: dict[str, Any]) -> bool:
    sid = (event.get("message") or {}).get("MessageSid")
    return bool(sid) and sid in execution.state.get("seen_messages", [])


def remember(state: dict[str, Any], event: dict[str, Any]) -> None:
    sid = (event.get("message") or {}).get("MessageSid")
    if sid:
        state["seen_messages"] = [*state.get("seen_messages", []), sid][-SEEN_MESSAGES:]


def fire_timeout(execution_sid: str, wait_id: int) -> bool:
    """The worker's entry point; a no-op when the execution has moved on or ended."""
    execution = Execution.objects.filter(
        sid=execution_sid, status=ExecutionStatus.ACTIVE, wait_id=wait_id
    ).first()
    if execution is None:
        return False
    try:
        return deliver_event(execution, {"type": "timeout", "wait_id": wait_id}).handled
    except ExecutionEnded:
        return False


def receive_message(
    flow: Flow, *, contact: str, flow_address: str, payload: dict[str, Any]
) -> Outcome:
    """An inbound message goes to the contact's active execution, or starts a new one."""
    sid = active_sid(flow, contact, flow_address)
    active = Execution.objects.filter(sid=sid).first() if sid else None
    if active is None:
        return start_execution(
            flow,
            kind="message",
            contact=contact,
            flow_address=flow_address,
            payload=payload,
            initiated_by=str(payload.get("MessageSid", "")),
        )
    return deliver_event(active, {"type": "reply", "message": payload})


def end_execution(execution: Execution) -> Execution:
    """Status=ended through the API; ending an ended execution is a 409."""
    return deliver_event(execution, {"type": "end"}).execution


def delete_execution(execution: Execution) -> None:
    execution.delete()


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
            fired += deliver_event(execution, {"type": "expire"}).handled
    return fired
