"""What an execution hears of its outbound requests after they left: a request that failed
for good (services/outbox.py), and a message Twilio later reports undelivered or failed
(its status callback).

A failure is noted in the execution's transcript (an `outbound` entry with the widget, the
request's kind and the error), in the same transaction that marks the row failed. A Send &
Wait For Reply still waiting for the reply to that message then leaves by `deliveryFailure`,
as in Studio. Send Message has already left by `sent`: Studio decides `sent`/`failed` from
the Messages API's synchronous answer, which here comes after commit, so its failure stays a
transcript entry (and the outbox row's error).
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import Execution, OutboundKind, OutboundRequest, OutboundStatus, TranscriptEntry
from ..models.executions import ExecutionStatus
from .executions import (
    COMMIT_ATTEMPTS,
    ExecutionError,
    announce,
    deliver_event,
    remember,
)

MESSAGE_KINDS = (OutboundKind.MESSAGE, OutboundKind.CONVERSATION_MESSAGE)
UNDELIVERED = ("undelivered", "failed")


def record_failure(row: OutboundRequest, error: str) -> None:
    entry = {"kind": "outbound", "widget": row.widget, "request": row.kind, "status": "failed"}
    entry["error"] = error
    note(row.execution_id, entry, failed=row)
    if row.kind in MESSAGE_KINDS:
        params = {"ErrorMessage": error, "MessageStatus": "failed"}
        delivery_failure(row, params, key=f"outbound:{row.pk}:failed")
    elif row.kind == OutboundKind.CALL:
        answer_call_wait(row, {"CallStatus": "failed", "ErrorMessage": error})


def note(
    execution_id: int,
    entry: dict[str, Any],
    *,
    failed: OutboundRequest | None = None,
    seen: str = "",
) -> None:
    """Append one transcript entry (numbered after the execution's last), marking `failed`
    failed in the same transaction; `seen` names the delivery, so a retry notes nothing."""
    for _ in range(COMMIT_ATTEMPTS):
        execution = Execution.objects.select_related("flow").filter(pk=execution_id).first()
        if execution is None:
            return
        seq = execution.state.get("entries", 0) + 1
        execution.state["entries"] = seq
        if seen:
            remember(execution.state, {"key": seen})
        with transaction.atomic():
            moved = Execution.objects.filter(pk=execution.pk, version=execution.version)
            if not moved.update(state=execution.state, version=F("version") + 1):
                continue  # the engine committed meanwhile: number after its entries
            execution.version += 1
            if failed is not None:
                mark_failed(failed, entry.get("error", ""))
            at = TranscriptEntry.objects.append(execution, seq, [entry])
            announce(execution, [entry], seq, at)
        return
    if failed is not None:
        mark_failed(failed, entry.get("error", ""))


def mark_failed(row: OutboundRequest, error: str) -> None:
    OutboundRequest.objects.filter(pk=row.pk).update(
        status=OutboundStatus.FAILED, error=error, leased_until=None, date_updated=timezone.now()
    )


def waiting_on(row: OutboundRequest, kind: str) -> Execution | None:
    execution = Execution.objects.filter(pk=row.execution_id, status=ExecutionStatus.ACTIVE)
    found = execution.select_related("flow__team").first()
    wait = found.wait if found is not None else None
    if not wait or wait.get("widget") != row.widget or wait.get("kind") != kind:
        return None
    return found


def delivery_failure(row: OutboundRequest, params: dict[str, Any], *, key: str) -> bool:
    """A waiting Send & Wait For Reply whose message never arrived leaves by deliveryFailure."""
    execution = waiting_on(row, "reply")
    if execution is None:
        return False
    event = {"type": "event", "event": "deliveryFailure", "params": params, "key": key}
    with contextlib.suppress(ExecutionError):
        return deliver_event(execution, event, source="worker").handled
    return False


def answer_call_wait(row: OutboundRequest, params: dict[str, Any]) -> None:
    """A call Twilio never placed: Make Outgoing Call leaves by `failed`."""
    execution = waiting_on(row, "callback")
    if execution is None:
        return
    event = {"type": "callback", "params": params, "wait_id": execution.wait["id"]}
    with contextlib.suppress(ExecutionError):
        deliver_event(execution, event, source="worker")


def message_status(execution: Execution, form: dict[str, str]) -> bool:
    """Twilio's status callback for a message this execution sent. Only a message that did
    not arrive matters: the waiting Send & Wait leaves by deliveryFailure; after Send
    Message the failure is noted in the transcript. True if it changed anything."""
    status = form.get("MessageStatus") or form.get("SmsStatus") or ""
    sid = form.get("MessageSid", "")
    if status not in UNDELIVERED or not sid:
        return False
    row = OutboundRequest.objects.filter(execution=execution, twilio_sid=sid).first()
    if row is None:
        return False
    key = f"{sid}:{status}"
    if key in execution.state.get("seen_messages", []):
        return False  # a retried callback
    if delivery_failure(row, dict(form), key=key):
        return True
    entry = {"kind": "outbound", "widget": row.widget, "request": row.kind, "status": status}
    entry.update(sid=sid, error_code=form.get("ErrorCode", ""))
    note(execution.pk, entry, seen=key)
    return True
