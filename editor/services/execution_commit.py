"""Step 3 of every execution verb (services/executions.py): what the engine produced
written in one short transaction, on condition that the execution's version is still the
one the engine started from, and its watchers told once that has committed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from .. import realtime
from ..engine import runtime
from ..models import Execution, ExecutionStep, TranscriptEntry
from ..models.pipeline import pipelined
from . import outbox, transcripts


def commit(
    execution: Execution, result: runtime.Result, given: dict[str, Any] | None = None
) -> bool:
    """Write what the engine produced: the state, the steps, the timer it now waits on and
    the requests for Twilio (services/outbox.py).

    A new execution is inserted; an existing one is updated only if its version is still
    the one the engine started from. False means someone else moved it on first and
    nothing was written. `durable` refuses to run inside a caller's transaction, which
    would have held its locks while the engine ran. The transcript gets what was `given`
    (the input that led here) and what the engine did; watchers hear of it after commit.
    """
    from ..tasks import schedule_timeout

    state = result.state
    wait = result.wait
    seen = state.get("entries", 0)
    state["entries"] = seen + (1 if given else 0) + len(result.timeline)
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
    new = execution.pk is None
    with transaction.atomic(durable=True):
        if new:
            for name, value in changes.items():
                setattr(execution, name, value)
            Execution.objects.insert(execution)
        else:
            now = timezone.now()
            if not Execution.objects.update_if_version(execution, changes, now):
                return False
            for name, value in changes.items():
                setattr(execution, name, value)
            execution.version += 1
            execution.date_updated = now
        # The rest is sent to the database in one go (models/pipeline.py).
        with pipelined():
            # state["steps"] counts every step recorded, these included.
            start = state["steps"] - len(result.steps)
            step_sids = ExecutionStep.objects.append(execution, start, result.steps)
            entries = [given] if given else []
            entries += transcripts.result_entries(result, step_sids, start)
            at = TranscriptEntry.objects.append(execution, seen + 1, entries)
            if execution.wake_at is not None:
                schedule_timeout(execution.sid, execution.wait_id, execution.wake_at)
            # What Twilio must carry out (messages, calls, tasks) is sent after commit.
            outbox.write(execution, result.effects)
        if not new:
            # A new execution has no watchers yet: its SID is known to nobody until this
            # returns, and a watcher reads what it missed from the database when it joins.
            announce(execution, entries, seen + 1, at)
    return True


def joined_conversation(state: dict[str, Any]) -> str:
    """The conversation a Start Conversation widget made the execution's channel."""
    channel = state.get("context", {}).get("flow", {}).get("channel") or {}
    sid = str(channel.get("sid") or "")
    return sid if sid.startswith("CH") else ""


def announce(execution: Execution, entries: list[dict[str, Any]], first: int, at: datetime) -> None:
    """Tell the execution's watchers, once the commit has succeeded; `at` is the time the
    entries were stored with (TranscriptEntry.as_json gives the same to readers)."""
    stamp = at.isoformat()
    numbered = [{**entry, "seq": first + n, "at": stamp} for n, entry in enumerate(entries)]
    realtime.execution_changed(execution.sid, transcripts.execution_json(execution), numbered)
