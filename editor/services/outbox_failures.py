"""What an execution hears of its outbound requests after they left: a request that failed
for good (services/outbox.py), and a message Twilio later reports undelivered or failed
(its status callback, or a Conversations delivery receipt), even one that arrives before
the sender has stored the message's SID.

A failure is noted in the execution's transcript (an `outbound` entry with the widget, the
request's kind and the error), in the same transaction that marks the row failed. A Send &
Wait For Reply still waiting for the reply to that message then leaves by `deliveryFailure`,
as in Studio. A live Send Message waits for the outbox (engine/widgets/send_message.py), as
Studio decides `sent`/`failed` from the Messages API's synchronous answer: it leaves by
`sent` with the Message resource once Twilio created it (`message_sent`), by `failed` with
Twilio's error code and message when the request failed for good. A later status callback
saying the message was undelivered does not change that event (Studio's `sent` stands): it
is a transcript entry.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..models import (
    EarlyReport,
    Execution,
    OutboundKind,
    OutboundRequest,
    OutboundStatus,
    TranscriptEntry,
)
from ..models.executions import ExecutionStatus
from .executions import (
    COMMIT_ATTEMPTS,
    ExecutionError,
    announce,
    deliver_event,
    remember,
)

MESSAGE_KINDS = (OutboundKind.MESSAGE, OutboundKind.CONVERSATION_MESSAGE)
# Send to Flex outside a call: a TaskRouter task, or a Flex Interaction in a conversation.
FLEX_KINDS = (OutboundKind.TASK, OutboundKind.INTERACTION)
# Twilio's error code in the failure services/outbox.py records ("… (error 21211): …").
ERROR_CODE = re.compile(r"\(error (\d+)\)")
UNDELIVERED = ("undelivered", "failed")


def record_failure(row: OutboundRequest, error: str) -> None:
    entry = {"kind": "outbound", "widget": row.widget, "request": row.kind, "status": "failed"}
    entry["error"] = error
    note(row.execution_id, entry, failed=row)
    if row.kind in MESSAGE_KINDS:
        params = {"ErrorMessage": error, "MessageStatus": "failed"}
        code = ERROR_CODE.search(error)
        params["ErrorCode"] = code.group(1) if code else None
        if row.request.get("wait_id"):
            from .outbox_conversations import answer

            answer(row, "failed", params)
        else:
            delivery_failure(row, params, key=f"outbound:{row.pk}:failed")
    elif row.kind == OutboundKind.CALL:
        answer_call_wait(row, {"CallStatus": "failed", "ErrorMessage": error})
    elif row.kind in FLEX_KINDS and row.request.get("wait_id"):
        from .outbox_conversations import answer

        code = ERROR_CODE.search(error)
        failure = {"ErrorCode": code.group(1) if code else None, "ErrorMessage": error}
        answer(row, "failedToEnqueue", failure)
    elif row.kind in (OutboundKind.START_CONVERSATION, OutboundKind.RESUME_CONVERSATION):
        from .outbox_conversations import failed

        failed(row, error)


def message_sent(row: OutboundRequest) -> bool:
    """A live Send Message waiting for Twilio's answer leaves by `sent`, its `outbound` the
    Message resource (or the Conversations Message) as Twilio returned it, in the keys
    Studio writes (`Sid`, `Status`, `From`, `To`, `Body`, `ConversationSid`…)."""
    if not row.request.get("wait_id"):
        return False
    from .outbox_conversations import answer

    return answer(row, "sent", {"outbound": message_resource(row.response or {})})


def flex_created(row: OutboundRequest) -> bool:
    """A live Send to Flex outside a call leaves by `callComplete` once Twilio created the
    task (`TaskSid`, `Attributes`, `Age` as TaskRouter answered) or the Interaction
    (`Sid`, and the task's `Attributes`)."""
    if not row.request.get("wait_id"):
        return False
    from .outbox_conversations import answer

    response = row.response or {}
    if row.kind == OutboundKind.TASK:
        outputs = {"TaskSid": row.twilio_sid, "Age": response.get("age") or 0}
        outputs["Attributes"] = response.get("attributes") or row.request.get("attributes")
    else:
        routing = (row.request.get("routing") or {}).get("properties") or {}
        outputs = {"Sid": row.twilio_sid, "Attributes": json.dumps(routing.get("attributes"))}
    return answer(row, "callComplete", outputs)


def outbound_known(row: OutboundRequest) -> bool:
    """Send & Wait For Reply waits for the reply, not for Twilio's answer: once Twilio has
    answered, the `outbound` its wait keeps (written when it leaves) becomes the Message
    resource Twilio returned, Twilio's `Sid` included. A state change of its own, checked
    against the execution's version (the engine may commit meanwhile); no engine run."""
    wait_id = row.request.get("reply_wait_id")
    if not wait_id:
        return False
    for _ in range(COMMIT_ATTEMPTS):
        execution = Execution.objects.filter(
            pk=row.execution_id, status=ExecutionStatus.ACTIVE
        ).first()
        wait = execution.wait if execution is not None else None
        if not wait or wait.get("id") != wait_id or wait.get("widget") != row.widget:
            return False  # it has moved on: the reply (or a failure) came first
        outputs = wait.setdefault("data", {}).setdefault("outputs", {})
        known = outputs.get("outbound") or {}
        if known.get("Sid") == row.twilio_sid:
            return False
        outputs["outbound"] = {**known, **message_resource(row.response or {})}
        moved = Execution.objects.filter(pk=execution.pk, version=execution.version)
        if moved.update(state=execution.state, version=F("version") + 1):
            return True
    return False


def message_resource(fields: dict[str, Any]) -> dict[str, Any]:
    """The SDK's snake_case attributes in Studio's keys: `from_` is `From`."""
    return {
        "".join(part.capitalize() for part in key.rstrip("_").split("_")): value
        for key, value in fields.items()
    }


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
            if seen in execution.state.get("seen_messages", []):
                return  # noted already, by a report that came at the same time
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
    return report(execution, sid, status, dict(form))


def sent_row(execution_id: int, sid: str) -> OutboundRequest | None:
    return OutboundRequest.objects.filter(execution_id=execution_id, twilio_sid=sid).first()


def report(execution: Execution, sid: str, status: str, params: dict[str, Any]) -> bool:
    """A report of message `sid` of this execution. Twilio may send it before the sender has
    stored the SID Twilio answered with (its commit comes after Twilio's answer): then the
    report is kept, and the sender applies it once the SID is stored
    (`apply_early_reports`). The report is written before the second look and the SID
    before the sender's look, so one of the two sees the other; applying twice is harmless
    (the report's key is remembered). Only while one of the execution's messages is still
    unsent can a report be early: otherwise it is of a message the flow did not send (an
    agent's, in a conversation), and nothing is kept."""
    row = sent_row(execution.pk, sid)
    if row is None:
        if in_flight(execution):
            with contextlib.suppress(IntegrityError), transaction.atomic():
                EarlyReport.objects.create(
                    execution=execution, message_sid=sid, status=status, params=params
                )
        row = sent_row(execution.pk, sid)
        if row is None:
            return False  # kept for the sender
        EarlyReport.objects.filter(message_sid=sid, status=status).delete()
    return apply_status(row, sid, status, params)


def in_flight(execution: Execution) -> bool:
    return OutboundRequest.objects.filter(
        execution=execution, kind__in=MESSAGE_KINDS, status=OutboundStatus.PENDING
    ).exists()


def apply_early_reports(row: OutboundRequest) -> None:
    """The sender has stored Twilio's SID: the reports that came before it apply now."""
    early = EarlyReport.objects.filter(execution_id=row.execution_id, message_sid=row.twilio_sid)
    for found in early.order_by("id"):
        apply_status(row, found.message_sid, found.status, found.params)
        found.delete()


def apply_status(row: OutboundRequest, sid: str, status: str, params: dict[str, Any]) -> bool:
    key = f"{sid}:{status}"
    execution = Execution.objects.filter(pk=row.execution_id).only("state").first()
    if execution is None or key in execution.state.get("seen_messages", []):
        return False  # a retried report
    if delivery_failure(row, params, key=key):
        return True
    entry = {"kind": "outbound", "widget": row.widget, "request": row.kind, "status": status}
    entry.update(sid=sid, error_code=params.get("ErrorCode", ""))
    note(row.execution_id, entry, seen=key)
    return True
