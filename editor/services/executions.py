"""Execution verbs: start, deliver an event, end, delete (timers fire through timers.py).

The engine runs with no transaction open and no lock held: a Make HTTP Request may take
10 s, and a write transaction held that long would stall every other writer (SQLite has one
write lock for the whole database). So each verb
1. reads the execution as it is now (its state and its version),
2. runs the engine on that snapshot,
3. commits the new state with the steps it produced and the timer it now waits on (a task
   row in the same database) in one short transaction, on condition that the version is
   still the one read in 1.
When another event committed first (a reply racing a timeout, a retried webhook), nothing is
written and the verb starts again from the state that won; after a few such clashes it
refuses with a 409. A crash at any point loses nothing and does nothing twice.

The commit of step 3 is execution_commit.py's, the start's first read (the busy check)
execution_start_read.py's; this module holds the verbs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError

from ..engine import runtime
from ..models import Execution, Flow, execution_reads
from ..models.executions import ExecutionStatus, contact_sid
from . import debug_state, transcripts
from .execution_commit import announce as announce  # re-exported for outbox_failures.py
from .execution_commit import commit
from .execution_errors import (
    COMMIT_ATTEMPTS,
    ExecutionBusy,
    ExecutionConflict,
    ExecutionEnded,
    ExecutionError,
)
from .execution_start_read import active_sid, raise_if_busy, start_read
from .flows import save_draft
from .runs import definition_of, pick_revision, ports_for

SEEN_MESSAGES = 20  # inbound MessageSids remembered, so a retried webhook is handled once
# Executions started from the canvas's test panel: they run the draft and use the mocks.
TEST_ORIGIN = "test"


@dataclass
class Outcome:
    """What a verb did: the execution, and the messages and channel actions it produced."""

    execution: Execution
    effects: list[dict[str, Any]] = field(default_factory=list)
    handled: bool = True
    # The transcript entries it wrote, numbered as watchers hear of them (commit's).
    entries: list[dict[str, Any]] = field(default_factory=list)


def start_execution(
    flow: Flow,
    *,
    kind: str,
    contact: str,
    flow_address: str,
    payload: dict[str, Any] | None = None,
    parameters: dict[str, Any] | None = None,
    initiated_by: str = "",
    origin: str = "api",
    draft: bool = False,
    debug: dict[str, Any] | None = None,
    author: Any = None,
) -> Outcome:
    """A new execution: test users run the latest draft, everyone else the published flow.

    `draft` runs it as a test user's would be whoever the contact is (the test panel);
    `origin` says who started it: "test", "api", "shell" or "webhook"; a test run's
    `debug` is its debugger's state (editor/services/debugger.py). `author` (the person
    who pressed Start, or an API key's creator) is recorded on the revision a test user's
    run saves the draft as.
    """
    test_user = draft or contact in (flow.test_users or [])
    if test_user:
        # The head too: a canvas's websocket keeps the Flow it loaded, while the Settings
        # panel's edits (description, concurrent calls) change the head of another copy.
        flow.refresh_from_db(fields=["version", "revision", "head"])
        if flow.has_unsaved_changes():
            # Test users run the latest draft: the canvas's edits, pinned as a revision.
            flow = save_draft(flow, commit_message="Saved for a test run", author=author)
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
        origin=origin,
    )
    if not concurrent:
        busy, execution.pk, connected = start_read(flow, contact, flow_address)
        if busy:
            raise ExecutionConflict(busy)
        # For the outbox (services/outbox.py known_connection): not asked again at commit.
        flow.team.twilio_connected = connected
    result = runtime.start(
        revision.definition,
        kind=kind,
        contact=contact,
        flow_address=flow_address,
        ports=ports_for(flow, mocked=origin == TEST_ORIGIN, origin=origin),
        flow_sid=flow.sid,
        execution_sid=execution.sid,
        revision=revision.revision,
        payload=payload,
        data=parameters,
        test_user=test_user,
        debug=debug,
    )
    # A retried webhook of the message that started the run must not be taken as the first
    # widget's reply.
    remember(result.state, {"message": payload or {}})
    given = transcripts.start_entry(
        kind, contact=contact, payload=payload, parameters=parameters, source=origin
    )
    try:
        entries = commit(execution, result, given) or []
    except IntegrityError:
        # Another request started one for the same contact (or, for a conversation, in the
        # same conversation: `one_execution_per_conversation`) while the engine ran.
        raise_if_busy(flow, contact, flow_address, conversation=kind == "conversation")
        raise
    return Outcome(execution, result.effects, entries=entries)


def deliver_event(
    execution: Execution, event: dict[str, Any], *, source: str = "api", fresh: bool = False
) -> Outcome:
    """Resume a waiting execution with a reply, a channel callback, a timer or an end.

    `source` says who sent it ("test", "api", "shell", "worker", "webhook"), for the
    transcript. `fresh` says the caller read `execution` (with its flow and team) just
    now, in this same call: the first attempt then uses it as it is instead of reading it
    again. Safe because the commit checks the version: had it moved on meanwhile, nothing
    is written and the next attempt reads it afresh."""
    current = execution if fresh else None
    for _ in range(COMMIT_ATTEMPTS):
        if current is None:
            current = execution_reads.with_flow(id=execution.pk)
        if current is None or current.status != ExecutionStatus.ACTIVE:
            raise ExecutionEnded(f"Execution {execution.sid} has already ended")
        if is_repeat(current, event):
            return Outcome(current, handled=False)
        definition = definition_of(current.flow, current.flow_version)
        if "debug" in current.state:
            debug_state.refresh(current.flow, current.state)
        result = runtime.resume(
            definition,
            current.state,
            event,
            ports_for(current.flow, mocked=current.origin == TEST_ORIGIN, origin=current.origin),
        )
        if not result.handled:
            return Outcome(current, result.effects, handled=False)
        remember(result.state, event)
        entries = commit(current, result, transcripts.input_entry(event, source))
        if entries is not None:
            return Outcome(current, result.effects, entries=entries)
        current = None
    raise ExecutionBusy(execution.sid)


def delivery_key(event: dict[str, Any]) -> str | None:
    """What names one delivery of an event: an inbound message's MessageSid, or the `key`
    a webhook gives an event with no SID of its own (a call's end: its CallSid)."""
    return event.get("key") or (event.get("message") or {}).get("MessageSid")


def is_repeat(execution: Execution, event: dict[str, Any]) -> bool:
    sid = delivery_key(event)
    return bool(sid) and sid in execution.state.get("seen_messages", [])


def remember(state: dict[str, Any], event: dict[str, Any]) -> None:
    sid = delivery_key(event)
    if sid:
        state["seen_messages"] = [*state.get("seen_messages", []), sid][-SEEN_MESSAGES:]


def receive_message(
    flow: Flow,
    *,
    contact: str,
    flow_address: str,
    payload: dict[str, Any],
    source: str = "webhook",
    kind: str = "message",
) -> Outcome:
    """An inbound message goes to the contact's active execution, or starts a new one
    (`kind` is "message", or "conversation" for a Conversations message)."""
    sid = active_sid(flow, contact, flow_address)
    active = Execution.objects.filter(sid=sid).first() if sid else None
    if active is None:
        return start_execution(
            flow,
            kind=kind,
            contact=contact,
            flow_address=flow_address,
            payload=payload,
            initiated_by=str(payload.get("MessageSid", "")),
            origin=source,
        )
    return deliver_event(active, {"type": "reply", "message": payload}, source=source)


def end_execution(execution: Execution, *, source: str = "api") -> Execution:
    """Status=ended through the API; ending an ended execution is a 409."""
    return deliver_event(execution, {"type": "end"}, source=source).execution


def delete_execution(execution: Execution) -> None:
    execution.delete()
