"""Conversations webhooks (`onMessageAdded`) at the flow's Webhook URL: a message added to
a conversation starts an execution on `incomingConversationMessage`, or is the reply of the
execution waiting in that conversation.

- One active execution per conversation: its `flow_channel_address` is the ConversationSid,
  and its contact the first message's Author. Any participant's message moves it on (the
  customer's, or an agent's added by a Run Function), as Studio keys its run on the
  conversation (docs/channels.md).
- The bot never talks to itself: a message with no ParticipantSid (posted through the REST
  API, as the flow's own replies are) or whose Author is one the flow has posted as in this
  conversation is ignored.
- Once Send to Flex has handed the conversation to Flex (an Interaction), agents and the
  customer talk there: the flow hears no more of it. (Studio removes its webhook.)
- Twilio retries: a message is known by its MessageSid (`IM…`), as SMS are, in the
  conversation's latest executions (a late retry of the reply that ended one must not be
  the reply of the next).
- Two first messages at once start one execution: the partial unique index
  `one_execution_per_conversation` lets one insert win, and the other message is then the
  reply of the execution it started (or ignored, if nothing there waits for a reply).
- `onDeliveryUpdated`: an undelivered or failed receipt of a message the flow posted is the
  waiting Send & Wait For Reply's deliveryFailure, as a Messages status callback is.
"""

from __future__ import annotations

from django.db import IntegrityError

from ..models import Execution, Flow, OutboundKind, OutboundRequest, OutboundStatus, PostedAuthor
from ..models.executions import ExecutionStatus
from ..models.outbox import hash_author
from . import outbox_failures
from .executions import (
    ExecutionConflict,
    ExecutionEnded,
    deliver_event,
    start_execution,
)
from .webhooks import SOURCE, Answered, delivered

MESSAGE_ADDED = "onMessageAdded"
DELIVERY_UPDATED = "onDeliveryUpdated"


def receive_conversation_event(flow: Flow, form: dict[str, str]) -> Answered:
    if form.get("EventType") == DELIVERY_UPDATED and form.get("ConversationSid"):
        delivery_updated(flow, form)
        return Answered()
    if form.get("EventType") != MESSAGE_ADDED or not form.get("ConversationSid"):
        return Answered()  # other events are acknowledged and change nothing
    conversation, sid = form["ConversationSid"], form.get("MessageSid", "")
    if from_the_bot(flow, form) or handed_off(flow, conversation):
        return Answered()
    # Studio's trigger.conversation also has From and ChannelSid, which the webhook lacks.
    payload = {**form, "From": form.get("Author", ""), "ChannelSid": conversation}
    for _ in range(2):
        if sid and seen(flow, conversation, sid):
            return Answered()
        active = active_in(flow, conversation)
        try:
            if active is None:
                outcome = start_execution(
                    flow,
                    kind="conversation",
                    contact=form.get("Author", ""),
                    flow_address=conversation,
                    payload=payload,
                    initiated_by=sid,
                    origin=SOURCE,
                )
            else:
                event = {"type": "reply", "message": payload}
                outcome = deliver_event(active, event, source=SOURCE)
        except (IntegrityError, ExecutionConflict, ExecutionEnded):
            continue  # another delivery started or ended it meanwhile: look again
        return Answered(outcome.execution, outcome.effects)
    return Answered()


def active_in(flow: Flow, conversation: str) -> Execution | None:
    active = Execution.objects.select_related("flow__team").filter(
        flow=flow, flow_channel_address=conversation, status=ExecutionStatus.ACTIVE
    )
    return active.order_by("id").first()


def seen(flow: Flow, conversation: str, sid: str) -> bool:
    executions = Execution.objects.filter(flow=flow, flow_channel_address=conversation)
    return delivered(flow, executions, sid)


def from_the_bot(flow: Flow, form: dict[str, str]) -> bool:
    """A message the flow posted itself: no participant, or an Author it has posted as in
    this conversation (one indexed lookup: models/outbox.py PostedAuthor)."""
    if not form.get("ParticipantSid"):
        return True
    return PostedAuthor.objects.filter(
        flow=flow,
        conversation=form["ConversationSid"],
        author_hash=hash_author(form.get("Author", "")),
    ).exists()


def handed_off(flow: Flow, conversation: str) -> bool:
    return (
        OutboundRequest.objects.filter(
            kind=OutboundKind.INTERACTION,
            execution__flow=flow,
            execution__flow_channel_address=conversation,
        )
        .exclude(status=OutboundStatus.FAILED)
        .exists()
    )


def delivery_updated(flow: Flow, form: dict[str, str]) -> bool:
    """A delivery receipt for a message the flow posted: an undelivered or failed one is
    reported as the Messages API's status callback is (services/outbox_failures.py), so a
    Send & Wait still waiting for the reply leaves by deliveryFailure."""
    sid, status = form.get("MessageSid", ""), form.get("Status", "")
    if not sid.startswith("IM") or status not in outbox_failures.UNDELIVERED:
        return False
    row = OutboundRequest.objects.filter(
        kind=OutboundKind.CONVERSATION_MESSAGE, twilio_sid=sid, execution__flow=flow
    ).first()
    execution = row.execution if row is not None else latest_in(flow, form["ConversationSid"])
    if execution is None:
        return False
    params = {**form, "MessageStatus": status}
    return outbox_failures.report(execution, sid, status, params)


def latest_in(flow: Flow, conversation: str) -> Execution | None:
    """The conversation's execution a receipt that beat the sender's commit is kept for."""
    return active_in(flow, conversation) or (
        Execution.objects.filter(flow=flow, flow_channel_address=conversation)
        .order_by("-id")
        .first()
    )
