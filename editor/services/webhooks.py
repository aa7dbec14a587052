"""Twilio's inbound webhooks as service verbs: a message, a call, a voice verb's callback, a
TwiML Redirect's return and a call's end, each turned into the same execution verbs the API
and the test panel use (services/executions.py), with origin and source "webhook".

Twilio retries webhooks, and a retry must never start a second execution or move one on
twice:
- a message is known by its MessageSid: it started an execution (`initiated_by`, unique per
  flow among executions started by webhooks), or one of the contact's latest executions
  remembered it as a reply (`seen_messages`): a late retry of the reply that ended one must
  not be the reply of the next;
- a call is known by its CallSid (`initiated_by` again): a retry answers with the TwiML of
  where the execution is now (a call Make Outgoing Call placed, by the CallSid its outbox
  request got from Twilio, for a TwiML Redirect's return);
- a voice verb's callback names the wait it answers (`wait` in its URL): once the execution
  has moved on, a retry changes nothing and gets the current TwiML;
- a call ends once: the hangup is remembered under the CallSid.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection
from django.db.models import QuerySet

from ..models import Execution, Flow, OutboundKind, OutboundRequest
from ..models.executions import ExecutionStatus
from ..webhooks import twiml
from . import outbox_failures
from .executions import (
    ExecutionConflict,
    ExecutionEnded,
    deliver_event,
    receive_message,
    start_execution,
)
from .late_callbacks import record_late_callback

SOURCE = "webhook"
# CallStatus values that say the call is over (docs/channels.md).
CALL_OVER = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
# Waits that only the live call can answer.
CALL_WAITS = ("callback", "return")
# Widgets whose callback wait is the outbox's answer, not the call's: a placed call's end
# reported at its callback leaves them waiting (a busy call's path may send an SMS).
OUTBOX_WAITS = ("send-message", "start-conversation", "resume-conversation")
# How many widgets in a row a call's end passes through by their `hangup` events (the
# engine's loop and step limits end a longer chain anyway).
HANGUP_CHAIN = 20


@dataclass
class Answered:
    """The execution a webhook reached (None: it reached none) and what this request made
    it do; the view answers Twilio with TwiML for where the execution now waits."""

    execution: Execution | None = None
    effects: list[dict[str, Any]] = field(default_factory=list)

    @property
    def wait(self) -> dict[str, Any] | None:
        execution = self.execution
        if execution is None or execution.status != ExecutionStatus.ACTIVE:
            return None
        return execution.wait


def receive_sms(flow: Flow, form: dict[str, str]) -> Answered:
    """An SMS, MMS or WhatsApp message: the reply of the contact's waiting execution, or the
    start of a new one."""
    sid, contact, flow_address = form.get("MessageSid", ""), form["From"], form["To"]
    for _ in range(2):
        if sid and message_seen(flow, contact, flow_address, sid):
            return Answered()
        try:
            outcome = receive_message(
                flow, contact=contact, flow_address=flow_address, payload=form, source=SOURCE
            )
        except (IntegrityError, ExecutionConflict, ExecutionEnded):
            # Another request started or ended the contact's execution meanwhile (perhaps
            # this very message, delivered twice): look again.
            continue
        return Answered(outcome.execution, outcome.effects)
    return Answered()


def started_by(flow: Flow, sid: str) -> Execution | None:
    """The execution a webhook's message or call started. Plain SQL whose condition is the
    partial unique index's own, as a literal: SQLite uses a partial index only then (see
    execution_start_read.active_sid)."""
    if not sid:
        return None
    table = connection.ops.quote_name(Execution._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE flow_id = %s AND initiated_by = %s "  # noqa: S608
            "AND origin = 'webhook' LIMIT 1",
            [flow.pk, sid],
        )
        row = cursor.fetchone()
    return Execution.objects.select_related("flow").filter(pk=row[0]).first() if row else None


def message_seen(flow: Flow, contact: str, flow_address: str, sid: str) -> bool:
    executions = Execution.objects.filter(
        flow=flow, contact_channel_address=contact, flow_channel_address=flow_address
    )
    return delivered(flow, executions, sid)


# The latest executions of a contact (of a conversation) a retried message is looked for
# in: a reply that ended one may be delivered again once the contact's next message has
# started another (Twilio retries a webhook it got no timely answer for).
RECENT_EXECUTIONS = 5


def delivered(flow: Flow, executions: QuerySet[Execution], sid: str) -> bool:
    """Whether the message `sid` reached the flow already: it started an execution, or one
    of the latest `executions` (the contact's, the conversation's) remembered it as a reply
    (the active one checks itself again as it takes the reply: executions.is_repeat). The
    channel index `execution_channel` serves the newest-first read."""
    if started_by(flow, sid) is not None:
        return True
    recent = executions.order_by("-id").values_list("state", flat=True)[:RECENT_EXECUTIONS]
    return any(sid in (state or {}).get("seen_messages", []) for state in recent)


def receive_message_status(flow: Flow, form: dict[str, str]) -> None:
    """A message's status callback posted to the flow's Webhook URL (a WhatsApp sender's or
    a Messaging Service's status callback URL set to it): the delivery report of the flow's
    message whose outbox row holds that SID, as at its execution's MessageStatus URL. The
    statuses of messages this flow did not send change nothing."""
    sid = form.get("MessageSid", "")
    rows = OutboundRequest.objects.filter(
        kind=OutboundKind.MESSAGE, twilio_sid=sid, execution__flow=flow
    )
    row = rows.select_related("execution__flow").first() if sid else None
    if row is not None:
        outbox_failures.message_status(row.execution, form)


def receive_call(flow: Flow, form: dict[str, str]) -> Answered:
    """An incoming call starts an execution; the same CallSid again finds it."""
    call_sid = form["CallSid"]
    existing = started_by(flow, call_sid)
    if existing is not None:
        return Answered(existing)
    try:
        outcome = start_execution(
            flow,
            kind="call",
            contact=form.get("From", ""),
            flow_address=form.get("To", ""),
            payload=form,
            initiated_by=call_sid,
            origin=SOURCE,
        )
    except (IntegrityError, ExecutionConflict):
        existing = started_by(flow, call_sid)
        if existing is None:
            raise  # the caller has another active execution, and the flow allows one
        return Answered(existing)
    return Answered(outcome.execution, outcome.effects)


def receive_callback(execution: Execution, wait_id: int, form: dict[str, str]) -> Answered:
    """A voice verb's action (or the Redirect after it) answers the wait it names."""
    event = {"type": "callback", "params": form, "wait_id": wait_id}
    answered = deliver(execution, event)
    if form.get("CallStatus") in CALL_OVER:
        answered = call_over(answered, form, only_call_waits=True)
    hung_up = answered.execution.state.get("hung_up") if answered.execution else None
    if hung_up and hung_up.get("wait") == wait_id:
        # The wait it names was left when the call's status callback came first: a Dial's
        # action still records its parameters (services/late_callbacks.py); nothing moves.
        record_late_callback(answered.execution, wait_id, form)
    return answered


def receive_return(flow: Flow, params: dict[str, str]) -> Answered:
    """`FlowEvent=return`: the TwiML a TwiML Redirect widget handed the call or message to
    gives it back; its other parameters become the widget's variables."""
    if params.get("CallSid"):
        execution = with_call(flow, params["CallSid"])
    else:
        execution = Execution.objects.filter(
            flow=flow,
            status=ExecutionStatus.ACTIVE,
            contact_channel_address=params.get("From", ""),
            flow_channel_address=params.get("To", ""),
        ).first()
    wait = execution.wait if execution is not None else None
    if wait is None or wait.get("kind") != "return":
        return Answered(execution)
    return deliver(execution, {"type": "return", "params": params, "wait_id": wait["id"]})


def with_call(flow: Flow, call_sid: str) -> Execution | None:
    """The execution a call belongs to: the one the incoming call started, or the one whose
    Make Outgoing Call placed it (its outbox request holds Twilio's CallSid)."""
    execution = started_by(flow, call_sid)
    if execution is not None:
        return execution
    placed = OutboundRequest.objects.filter(
        kind=OutboundKind.CALL, twilio_sid=call_sid, execution__flow=flow
    )
    row = placed.select_related("execution__flow").first()
    return row.execution if row is not None else None


def receive_call_status(flow: Flow, form: dict[str, str]) -> Answered:
    """A call's status callback: once the call is over, so is its execution (or the waiting
    widget leaves by its `hangup` event, where it has one)."""
    execution = started_by(flow, form.get("CallSid", ""))
    answered = Answered(execution)
    if execution is not None and form.get("CallStatus") in CALL_OVER:
        answered = call_over(answered, form, only_call_waits=False)
    return answered


def call_over(answered: Answered, form: dict[str, str], *, only_call_waits: bool) -> Answered:
    """Tell the execution its call is over, once (the CallSid names the delivery). After a
    callback only a widget that needs the call hears it; a status callback ends any wait,
    as Studio ends an execution when its call ends."""
    wait = answered.wait
    if wait is None or (only_call_waits and wait.get("kind") not in CALL_WAITS):
        return answered
    if only_call_waits and outbox_wait(wait):
        return answered
    call_sid = form.get("CallSid", "")
    first = {"type": "hangup", "params": form, "key": f"{call_sid}:over"}
    over = deliver(answered.execution, first)
    effects = answered.effects + over.effects
    # A widget that left by `hangup` may lead to one that needs the call (a Say, a Dial):
    # the call is over, so it hears the hangup too, until a wait that does not need the
    # call (a Send & Wait For Reply) or the end. Each delivery is named by its wait.
    for _ in range(HANGUP_CHAIN):
        wait = over.wait
        if wait is None or not needs_call(wait):
            break
        event = {"type": "hangup", "params": form, "key": f"{call_sid}:over:{wait['id']}"}
        over = deliver(over.execution, event)
        effects += over.effects
        if (over.wait or {}).get("id") == wait["id"]:
            break  # not handled: nothing more will move it
    return Answered(over.execution, effects)


def needs_call(wait: dict[str, Any]) -> bool:
    """A wait only the live call can answer: a TwiML verb's (editor/webhooks/twiml.py)."""
    verb = (wait.get("action") or {}).get("verb")
    return wait.get("kind") in CALL_WAITS and verb in twiml.WAITING


def outbox_wait(wait: dict[str, Any]) -> bool:
    """A wait the outbox answers, not the call: Send Message's, Start and Resume
    Conversation's, and Send to Flex's outside a call (in a call it waits in <Enqueue>)."""
    if wait.get("type") == "send-to-flex":
        return not wait.get("action")
    return wait.get("type") in OUTBOX_WAITS


def deliver(execution: Execution, event: dict[str, Any]) -> Answered:
    try:
        outcome = deliver_event(execution, event, source=SOURCE)
    except ExecutionEnded:
        with contextlib.suppress(Execution.DoesNotExist):
            execution.refresh_from_db()
        return Answered(execution)
    return Answered(outcome.execution, outcome.effects)
