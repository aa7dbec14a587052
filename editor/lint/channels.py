"""Widgets on the wrong channel: voice widgets only messages reach, messaging widgets only
calls reach, and Start Conversation outside a REST-triggered flow."""

from __future__ import annotations

from collections.abc import Iterator

from ..flowspec.catalogue import channel_of
from .context import Context
from .finding import Finding, Rule
from .flow import Flow

VOICE_ON_MESSAGING = Rule(
    "voice-on-messaging",
    "error",
    "A voice widget that only messaging triggers reach: there is no call for it to act on.",
)
MESSAGING_ON_VOICE = Rule(
    "messaging-on-voice",
    "warning",
    "A messaging widget (Send & Wait For Reply) that only the Incoming Call trigger reaches.",
)
REST_ONLY = Rule(
    "rest-only-widget",
    "error",
    "Start Conversation reached from a message, call or conversation trigger; it only works "
    "in flows started by the REST API.",
)
RULES = (VOICE_ON_MESSAGING, MESSAGING_ON_VOICE, REST_ONLY)

ENTRY_CHANNEL = {
    "incomingCall": "voice",
    "incomingMessage": "messaging",
    "incomingConversationMessage": "messaging",
    "incomingRequest": "any",
    "incomingParent": "any",
}
# Widgets that place a call: what follows their `answered` is on a call, whatever started it.
CALLERS = {"make-outgoing-call-v2", "make-outgoing-call-v1"}
REST_ONLY_TYPES = {"start-conversation"}
REST_EVENTS = {"incomingRequest", "incomingParent"}


def channels(flow: Flow) -> dict[str, set[str]]:
    """For each widget, the channels an execution can be on when it gets there."""
    found: dict[str, set[str]] = {}
    if flow.trigger is None:
        return found
    stack = [
        (t.next, ENTRY_CHANNEL[t.event])
        for t in flow.trigger.transitions
        if t.next in flow.by_name and t.event in ENTRY_CHANNEL
    ]
    while stack:
        name, channel = stack.pop()
        if channel in found.setdefault(name, set()):
            continue
        found[name].add(channel)
        widget = flow.by_name[name]
        for t in widget.transitions:
            if t.next in flow.by_name:
                after = "voice" if widget.type in CALLERS and t.event == "answered" else channel
                stack.append((t.next, after))
    return found


def check(ctx: Context) -> Iterator[Finding]:
    flow = ctx.flow
    reach = channels(flow)
    for widget in flow.widgets:
        needs = channel_of(widget.type)
        on = reach.get(widget.name, set())
        if needs == "voice" and on == {"messaging"}:
            yield VOICE_ON_MESSAGING.found(
                widget.name,
                None,
                f"Widget {widget.label} acts on a call, but only the message and conversation "
                f"triggers lead to it, so there is no call. Connect it after Incoming Call (or "
                f"after a Make Outgoing Call's Answered), or use a messaging widget instead.",
            )
        elif needs == "messaging" and on == {"voice"}:
            yield MESSAGING_ON_VOICE.found(
                widget.name,
                None,
                f"Widget {widget.label} waits for a text reply, but only the Incoming Call "
                f"trigger leads to it: the caller stays on the line while it waits. Use Gather "
                f"Input On Call to ask the caller instead.",
            )
    if flow.trigger is None:
        return
    users = [w for w in flow.widgets if w.type in REST_ONLY_TYPES]
    if not users:
        return
    other = sorted({t.event for t in flow.trigger.transitions if t.next} - REST_EVENTS)
    reach_by_event = {event: flow.entry_reach({event}) for event in other}
    kind = flow.trigger.kind
    for widget in users:
        events = [e for e in other if widget.name in reach_by_event[e]]
        if not events:
            continue
        listed = ", ".join(f"`{kind.event_label(e) if kind else e}`" for e in events)
        yield REST_ONLY.found(
            widget.name,
            None,
            f"Widget {widget.label} only works in flows started by the REST API, but the "
            f"trigger's {listed} lead{'s' if len(events) == 1 else ''} to it. Disconnect "
            f"{'that trigger event' if len(events) == 1 else 'those trigger events'}, or move "
            f"the widget to a flow started by the REST API.",
        )
