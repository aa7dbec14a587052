"""Step 3 of every execution verb (services/executions.py): what the engine produced
written in one short transaction, on condition that the execution's version is still the
one the engine started from, and its watchers told once that has committed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from .. import realtime
from ..engine import runtime
from ..models import Execution, ExecutionStep, TranscriptEntry
from ..models.one_trip import VersionMoved, one_trip
from . import outbox, transcripts


def commit(
    execution: Execution, result: runtime.Result, given: dict[str, Any] | None = None
) -> list[dict[str, Any]] | None:
    """Write what the engine produced: the state, the steps, the timer it now waits on and
    the requests for Twilio (services/outbox.py).

    A new execution is inserted; an existing one is updated only if its version is still
    the one the engine started from. None means someone else moved it on first and
    nothing was written; else the transcript entries written, numbered and stamped as
    their watchers hear of them (a test panel's answer uses them as they are). The
    transaction is models/one_trip.py's: one round trip on PostgreSQL, and refused inside
    a caller's transaction, which would have held its locks while the engine ran. The
    transcript gets what was `given` (the input that led here) and what the engine did;
    watchers hear of it once it has committed.
    """
    state = result.state
    seen = state.get("entries", 0)
    state["entries"] = seen + (1 if given else 0) + len(result.timeline)
    changes = changes_of(execution, state, result.wait)
    # New: not stored yet (its key may be known already: services/executions.py).
    new = execution._state.adding
    now = timezone.now()
    try:
        with one_trip():
            if new:
                for name, value in changes.items():
                    setattr(execution, name, value)
                Execution.objects.insert(execution)
            else:
                Execution.objects.update_if_version(execution, changes, now)
            entries, at = write_rows(execution, result, given, seen, changes)
    except VersionMoved:
        return None
    if not new:
        for name, value in changes.items():
            setattr(execution, name, value)
        execution.version += 1
        execution.date_updated = now
    return announce(execution, entries, seen + 1, at, broadcast=not new)


def changes_of(
    execution: Execution, state: dict[str, Any], wait: dict[str, Any] | None
) -> dict[str, Any]:
    """The execution's columns as the engine's new state sets them."""
    timeout_at = wait.get("timeout_at") if wait else None
    changes = {
        "state": state,
        "status": state["status"],
        "ended_reason": state.get("ended_reason") or "",
        "wait_id": wait["id"] if wait else None,
        "wake_at": datetime.fromisoformat(timeout_at) if timeout_at else None,
    }
    joined = joined_conversation(state)
    if (
        joined
        and joined != execution.flow_channel_address
        and execution.trigger != "conversation"
        and outbox.is_live(execution.flow, execution.origin)
    ):
        # Start Conversation made a real conversation the channel: its messages find the
        # execution by this address, as an inbound conversation's do. (A simulated one
        # keeps the address its replies are typed to, in the test panel and the shell.)
        changes["flow_channel_address"] = joined
    return changes


def write_rows(
    execution: Execution,
    result: runtime.Result,
    given: dict[str, Any] | None,
    seen: int,
    changes: dict[str, Any],
) -> tuple[list[dict[str, Any]], datetime]:
    """The steps, the transcript entries, the timer and the outbox rows of one commit."""
    from ..tasks import schedule_timeout

    state = result.state
    # state["steps"] counts every step recorded, these included.
    start = state["steps"] - len(result.steps)
    step_sids = ExecutionStep.objects.append(execution, start, result.steps)
    entries = [given] if given else []
    entries += transcripts.result_entries(result, step_sids, start)
    at = TranscriptEntry.objects.append(execution, seen + 1, entries)
    if changes["wake_at"] is not None:
        schedule_timeout(execution.sid, changes["wait_id"], changes["wake_at"])
    # What Twilio must carry out (messages, calls, tasks) is sent after commit.
    outbox.write(execution, result.effects)
    return entries, at


def joined_conversation(state: dict[str, Any]) -> str:
    """The conversation a Start Conversation widget made the execution's channel."""
    channel = state.get("context", {}).get("flow", {}).get("channel") or {}
    sid = str(channel.get("sid") or "")
    return sid if sid.startswith("CH") else ""


def announce(
    execution: Execution,
    entries: list[dict[str, Any]],
    first: int,
    at: datetime,
    *,
    broadcast: bool = True,
) -> list[dict[str, Any]]:
    """Tell the execution's watchers, once the commit has succeeded; `at` is the time the
    entries were stored with (TranscriptEntry.as_json gives the same to readers). Returns
    the entries as they are told. A new execution has no watchers yet (`broadcast`): its
    SID is known to nobody until its start returns, and a watcher reads what it missed
    from the database when it joins."""
    stamp = at.isoformat()
    numbered = [{**entry, "seq": first + n, "at": stamp} for n, entry in enumerate(entries)]
    if broadcast:
        execution_json = transcripts.execution_json(execution)
        realtime.execution_changed(execution.sid, execution_json, numbered)
    return numbered
