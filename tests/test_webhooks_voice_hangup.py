"""The caller hangs up in the middle of each voice widget, and Twilio reports it with the
number's status callback (`CallStatus=completed`): the widget leaves by its `hangup` event
where it has one, otherwise the execution ends (`CALL_ENDED`), as docs/channels.md says.
A `hangup` branch that leads to another widget needing the call (a Say, a Gather) ends
there too: nothing can answer that widget once the call is over."""

from __future__ import annotations

import pytest

from editor.flowspec.catalogue import widget_type
from editor.models import Execution

from .engine_support import flow, state
from .twilio_support import call, connect, post, published, twiml, verbs, webhook_path

pytestmark = pytest.mark.django_db
CALL = "CA" + "1" * 32
OVER = {"CallDuration": "9"}

# Each voice widget that waits for the call, with what it needs to reach Twilio.
WAITING = {
    "say-play": {"say": "Hello"},
    "gather-input-on-call": {"say": "Press a key"},
    "connect-call-to": {"noun": "number", "to": "+15550000100"},
    "record-voicemail": {},
    "enqueue-call": {"queue_name": "support"},
    "send-to-flex": {"workflow": "WW" + "3" * 32, "channel": "TC" + "2" * 32},
    "capture-payments": {"payment_connector": "Stripe"},
    "connect-virtual-agent": {"connector": "dialogflow"},
    "connect-virtual-agent-v2": {"connector_name": "cx"},
    "run-conversation-relay": {"url": "wss://ai.example.com/relay"},
    "add-twiml-redirect": {"url": "https://example.com/ivr.xml"},
}
AFTER_HANGUP = {
    "say-play": ({"say": "Goodbye"}, "audioComplete"),
    "gather-input-on-call": ({"say": "Still there?"}, "keypress"),
    "connect-call-to": ({"noun": "number", "to": "+15550000200"}, "callCompleted"),
}


def hanging_up(type_: str, then: str | None = None, then_type: str = "say-play") -> dict:
    """The widget, whose `hangup` (where it has one) leads to `then`; other events end."""
    events = {event: None for event in widget_type(type_).events}
    if "hangup" in events:
        events["hangup"] = "then" if then else None
    states = [state("w", type_, WAITING[type_], **events)]
    if then:
        props, event = AFTER_HANGUP[then_type]
        states.append(state("then", then_type, props, **{event: None}))
    return flow(*states)


def hang_up(team, definition: dict) -> Execution:
    connect(team)
    flow_ = published(team, definition)
    assert verbs(twiml(post(webhook_path(flow_), call(CALL))))  # the widget's verb
    ended = twiml(post(webhook_path(flow_), call(CALL, "completed", **OVER)))
    assert verbs(ended) == []
    return Execution.objects.get(flow=flow_)


def left_by(execution: Execution) -> list[tuple[str, str]]:
    steps = execution.steps.order_by("position")
    return [(s.transitioned_from, s.name) for s in steps if s.transitioned_from != "Trigger"]


@pytest.mark.parametrize("type_", sorted(WAITING))
def test_a_hangup_in_the_widget_ends_the_execution(team, type_):
    execution = hang_up(team, hanging_up(type_))
    assert (execution.status, execution.wait) == ("ended", None)
    if "hangup" in widget_type(type_).events:
        assert left_by(execution) == [("w", "hangup")]
        assert execution.ended_reason == "FLOW_END"
        assert execution.context["widgets"]["w"]["CallStatus"] == "completed"
        assert execution.context["widgets"]["w"]["CallDuration"] == "9"
    else:
        assert left_by(execution) == []
        assert execution.ended_reason == "CALL_ENDED"


HANGUP_TYPES = sorted(t for t in WAITING if "hangup" in widget_type(t).events)


@pytest.mark.parametrize("type_", HANGUP_TYPES)
@pytest.mark.parametrize("then_type", sorted(AFTER_HANGUP))
def test_a_hangup_branch_into_a_voice_widget_ends_there(team, type_, then_type):
    # Before, the status callback left the execution waiting in `then` for ever: its verb
    # was never served, and a retried status callback was recognised and ignored.
    execution = hang_up(team, hanging_up(type_, "then", then_type))
    assert left_by(execution) == [("w", "hangup")]
    assert (execution.status, execution.ended_reason) == ("ended", "CALL_ENDED")


def test_a_hangup_branch_into_a_widget_that_waits_for_a_message_goes_on(team):
    """A text to the caller after the call: the reply can still come."""
    definition = hanging_up("record-voicemail", "then")
    definition["states"][-1] = state(
        "then",
        "send-and-wait-for-reply",
        {"body": "Sorry we missed you", "from": "{{flow.channel.address}}", "timeout": "3600"},
        incomingMessage=None,
        timeout=None,
        deliveryFailure=None,
    )
    execution = hang_up(team, definition)
    assert execution.status == "active" and execution.wait["widget"] == "then"
    post(webhook_path(execution.flow), call(CALL, "completed", **OVER))  # retried
    execution.refresh_from_db()
    assert execution.status == "active" and execution.wait["widget"] == "then"
