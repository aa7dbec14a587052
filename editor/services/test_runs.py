"""Test runs from the canvas's test panel: the tester plays the contact, and every input is
shaped as Twilio's webhook would deliver it, so the flow sees exactly what a real contact's
message, call or Conversations message would give it (docs/protocol.md).

They are real executions (origin "test") of the draft on the canvas, through the same
service verbs as webhooks and the API.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .. import realtime
from ..models import Execution, Flow, WidgetMock
from ..sids import new_sid
from . import debugger
from .execution_start_read import active_sid
from .executions import (
    TEST_ORIGIN,
    ExecutionEnded,
    ExecutionError,
    Outcome,
    deliver_event,
    start_execution,
)
from .payloads import call_payload, conversation_payload, message_payload


def panel_addresses(user: Any) -> dict[str, str]:
    """The contact each trigger (and message channel) starts with in this user's test panel,
    and the flow's address: what the panel shows before the tester types their own."""
    contacts = {channel: default_contact(user, "message", channel) for channel in CHANNELS}
    contacts.update({kind: default_contact(user, kind, "") for kind in ("call", "conversation")})
    contacts.update({kind: default_contact(user, kind, "") for kind in ("request", "parent")})
    return {**contacts, "flow_address": DEFAULT_FLOW_ADDRESS}


CHANNELS = ("sms", "whatsapp", "chat")


def source_of(author: str) -> str:
    """The Conversations `Source` an author implies: a number texts, an identity chats."""
    if author.startswith("whatsapp:"):
        return "WhatsApp"
    return "SMS" if author.lstrip("+").replace(" ", "").isdigit() else "SDK"


def default_contact(user: Any, trigger: str, channel: str) -> str:
    """Each tester is a different contact by default, so two people testing one flow do not
    restart each other's runs (one active execution per contact)."""
    number = f"+1555{7_000_000 + (getattr(user, 'pk', 0) or 0) % 1_000_000:07d}"
    if trigger == "message" and channel == "whatsapp":
        return "whatsapp:" + number
    if (trigger == "message" and channel == "chat") or trigger == "conversation":
        # A chat identity, as a webchat or Conversations SDK user has.
        return f"tester-{getattr(user, 'username', '') or 'anonymous'}"
    return number


DEFAULT_FLOW_ADDRESS = "+15555550199"


def default_conversation(user: Any) -> str:
    """Each tester's own conversation (a stable CH… SID), so two people testing one flow's
    Conversations trigger are two conversations, and pressing Start again restarts one's."""
    digest = hashlib.sha256(f"test-conversation:{getattr(user, 'pk', 0) or 0}".encode())
    return "CH" + digest.hexdigest()[:32]


@dataclass
class TestStart:
    """What the tester chose in the panel (docs/protocol.md, `run.start`)."""

    trigger: str
    contact: str = ""
    flow_address: str = ""
    body: str = "Hi"
    media_url: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    channel: str = "sms"
    conversation: dict[str, str] = field(default_factory=dict)
    # Start anywhere (docs/debugger.md): the widget to begin at and the context's seed.
    at: str = ""
    seed: dict[str, Any] | None = None

    def contact_address(self, user: Any = None) -> str:
        return self.contact or default_contact(user, self.trigger, self.channel)

    def check(self) -> None:
        """Addresses are single-line text, and no database stores a NUL byte."""
        for name in ("contact", "flow_address"):
            if any(ord(c) < 32 for c in getattr(self, name)):
                raise ExecutionError(f"The {name.replace('_', ' ')} cannot hold control characters")
        if "\x00" in self.body or "\x00" in self.media_url:
            raise ExecutionError("The message cannot hold a NUL character")

    def flow_channel_address(self) -> str:
        if self.flow_address:
            return self.flow_address
        if self.trigger == "message" and self.channel == "whatsapp":
            return "whatsapp:" + DEFAULT_FLOW_ADDRESS
        return DEFAULT_FLOW_ADDRESS


def start_test_run(flow: Flow, start: TestStart, user: Any = None) -> Outcome:
    """Start a test execution of the draft on the canvas. A test run already active for
    the same contact is ended first (pressing Start again restarts); a real one is not."""
    start.check()
    debug = debugger.debug_for(flow, user, start.at, start.seed)
    contact, flow_address = start.contact_address(user), start.flow_channel_address()
    account = flow.team.account_sid
    payload: dict[str, Any] | None = None
    parameters: dict[str, Any] | None = None
    initiated_by = new_sid("RQ")
    if start.trigger == "message":
        payload = message_payload(
            account, contact, flow_address, start.body, start.media_url, start.channel
        )
        initiated_by = payload["MessageSid"]
    elif start.trigger == "call":
        payload = call_payload(account, contact, flow_address)
        initiated_by = payload["CallSid"]
    elif start.trigger == "conversation":
        source = start.conversation.get("source") or source_of(contact)
        payload = conversation_payload(
            account,
            author=start.conversation.get("author") or contact,
            body=start.body,
            media_url=start.media_url,
            source=source,
            conversation_sid=start.conversation.get("sid") or default_conversation(user),
        )
        initiated_by = payload["MessageSid"]
        # A conversation's run is keyed on the conversation, as the webhook keys it
        # (services/conversations.py): one active run per conversation and flow.
        flow_address = payload["ConversationSid"]
    elif start.trigger == "parent":
        # As a Run Subflow widget hands them over: `trigger.parent.parameters`. A real
        # subflow's flow.data is its parent's (engine/context.py child_context), which the
        # panel has no other way to give: the same object stands for it.
        payload = {"parameters": start.parameters}
        parameters = start.parameters
    else:
        parameters = start.parameters
    end_test_run_of(flow, contact, flow_address)
    outcome = start_execution(
        flow,
        kind=start.trigger,
        contact=contact,
        flow_address=flow_address,
        payload=payload,
        parameters=parameters,
        initiated_by=initiated_by,
        origin=TEST_ORIGIN,
        draft=True,
        debug=debug,
        author=user,
    )
    return play_through(outcome)


# Say/Play finishes by itself on a real call once its audio has played: so it does in a test
# call (the panel shows the text, and may speak it). Bounded, as a flow may loop on prompts.
SELF_COMPLETING = "say-play"
PLAY_THROUGH_LIMIT = 50


def play_through(outcome: Outcome) -> Outcome:
    for _ in range(PLAY_THROUGH_LIMIT):
        wait = outcome.execution.wait
        if not wait or wait.get("type") != SELF_COMPLETING or wait["kind"] == "pause":
            break
        # The execution as the previous event committed it: no need to read it again.
        callback = {"type": "callback", "params": {}}
        done = deliver_event(outcome.execution, callback, source="test", fresh=True)
        if not done.handled:
            break
        done.entries[:0] = outcome.entries  # what the whole drive wrote, in order
        outcome = done
    return outcome


def end_test_run_of(flow: Flow, contact: str, flow_address: str) -> None:
    sid = active_sid(flow, contact, flow_address)
    active = Execution.objects.filter(sid=sid).first() if sid else None
    if active is None or active.origin != TEST_ORIGIN:
        return  # a real contact's execution: start_execution refuses with a conflict
    with contextlib.suppress(ExecutionEnded):
        deliver_event(active, {"type": "end"}, source=TEST_ORIGIN)


def reply(execution: Execution, body: str, media_url: str = "") -> Outcome:
    """The tester's reply, shaped as the channel the run came in on would deliver it."""
    account = execution.flow.team.account_sid
    contact, flow_address = execution.contact_channel_address, execution.flow_channel_address
    trigger = execution.context.get("trigger") or {}
    if execution.trigger == "conversation":
        previous = trigger.get("conversation") or {}
        message = conversation_payload(
            account,
            author=str(previous.get("Author") or contact),
            body=body,
            media_url=media_url,
            source=str(previous.get("Source") or "SMS"),
            previous=previous,
        )
    else:
        first = trigger.get("message") or {}
        channel = "chat" if "ChannelSid" in first else "sms"
        channel = "whatsapp" if contact.startswith("whatsapp:") else channel
        message = message_payload(account, contact, flow_address, body, media_url, channel)
        if channel == "chat":
            message.update(ChannelSid=first["ChannelSid"], InstanceSid=first.get("InstanceSid"))
    return deliver(execution, {"type": "reply", "message": message})


def gather(
    execution: Execution, digits: str | None, speech: str | None, confidence: float
) -> Outcome:
    """Keys pressed or words said at a Gather, as its action callback posts them."""
    params: dict[str, Any] = {"CallSid": call_sid(execution), "CallStatus": "in-progress"}
    if digits is not None:
        params["Digits"] = digits
    if speech is not None:
        params.update(SpeechResult=speech, Confidence=str(confidence))
    return deliver(execution, {"type": "callback", "params": params})


def fire(execution: Execution, event: str, params: dict[str, str]) -> Outcome:
    return deliver(execution, {"type": "event", "event": event, "params": params})


def hang_up(execution: Execution) -> Outcome:
    params = {"CallSid": call_sid(execution), "CallStatus": "completed"}
    return deliver(execution, {"type": "hangup", "params": params})


def end(execution: Execution) -> Outcome:
    return deliver(execution, {"type": "end"})


def call_sid(execution: Execution) -> str:
    call = (execution.context.get("trigger") or {}).get("call") or {}
    return str(call.get("CallSid") or "")


class NotWaiting(ExecutionError):
    status = 409
    code = 20409


def deliver(execution: Execution, event: dict[str, Any]) -> Outcome:
    """`execution` was read with its flow by the caller in this same database trip
    (consumers/commands.py `drive`), so the event uses it as it is (`fresh`)."""
    outcome = deliver_event(execution, event, source=TEST_ORIGIN, fresh=True)
    if not outcome.handled:
        wait = outcome.execution.wait
        waiting = f"{wait['widget']} waits for a {wait['kind']}" if wait else "nothing waits"
        raise NotWaiting(f"Execution {execution.sid} cannot take that now: {waiting}")
    return play_through(outcome)


def mocks_of(flow: Flow) -> dict[str, dict[str, Any]]:
    return {row.widget: row.as_json() for row in WidgetMock.objects.filter(flow=flow)}


MOCKABLE = ("make-http-request", "run-function")


def set_mock(flow: Flow, widget: str, mock: dict[str, Any] | None, user: Any) -> None:
    """Set (or with None remove) a widget's mock, and tell everyone on the flow."""
    with transaction.atomic():
        if mock is None:
            if debugger.can_be_a_name(widget):
                WidgetMock.objects.filter(flow=flow, widget=widget).delete()
        else:
            if debugger.widget_type(flow, widget) not in MOCKABLE:
                raise ExecutionError(
                    f"{widget} is not a Make HTTP Request or Run Function widget of this flow; "
                    "only those can have a mock response"
                )
            values = {key: mock[key] for key in ("status", "headers", "body")}
            WidgetMock.objects.update_or_create(
                flow=flow, widget=widget, defaults={**values, "updated_by": user}
            )
        name = user.get_full_name() or user.get_username() if user else ""
        realtime.mocks_changed(flow.sid, mocks_of(flow), name)
