"""Every event a waiting voice or contact-centre widget offers the test panel leaves the
widget by that event's own transition (docs/protocol.md, `run.event`): a call reaches each
widget from the Trigger and every event leads to a Say/Play naming it."""

from __future__ import annotations

import pytest

from editor import services
from editor.flowspec.catalogue.registry import BY_TYPE
from tests.live_support import Live, run

pytestmark = pytest.mark.django_db(transaction=True)

# Each widget with what it needs to wait on the call (the rest is the catalogue's defaults).
WIDGETS = {
    "connect-call-to": {"noun": "number", "to": "+15551230000"},
    "make-outgoing-call-v2": {"from": "+15555550199", "to": "+15559870000"},
    "enqueue-call": {"queue_name": "support"},
    "record-voicemail": {},
    "capture-payments": {"payment_amount": "10.00"},
    "send-to-flex": {"workflow": "WW" + "a" * 32, "channel": "TC" + "b" * 32},
    "connect-virtual-agent": {"connector": "dialogflow1"},
    "connect-virtual-agent-v2": {},
    "add-twiml-redirect": {"url": "https://example.com/twiml"},
    "run-conversation-relay": {"url": "wss://example.com/relay"},
}


def every_event(widget_type: str) -> dict:
    """Trigger -> `w` (the widget) -> one Say/Play per event, `after_EVENT`."""
    events = BY_TYPE[widget_type].events
    props = {**BY_TYPE[widget_type].default_properties(), **WIDGETS[widget_type]}
    trigger = [{"event": e} for e in ("incomingMessage", "incomingConversationMessage")]
    states = [
        {
            "name": "Trigger",
            "type": "trigger",
            "properties": {"offset": {"x": 0, "y": 0}},
            "transitions": [*trigger, {"event": "incomingCall", "next": "w"}],
        },
        {
            "name": "w",
            "type": widget_type,
            "properties": {**props, "offset": {"x": 0, "y": 200}},
            "transitions": [{"event": e, "next": f"after_{e}"} for e in events],
        },
    ]
    for i, event in enumerate(events):
        states.append(
            {
                "name": f"after_{event}",
                "type": "say-play",
                "properties": {"say": f"after {event}", "offset": {"x": 300 * i, "y": 400}},
                "transitions": [{"event": "audioComplete"}],
            }
        )
    return {"description": widget_type, "states": states, "initial_state": "Trigger"}


@pytest.mark.parametrize("widget_type", sorted(WIDGETS))
def test_each_offered_event_takes_its_own_transition(team, alice, widget_type):
    definition = every_event(widget_type)
    flow = services.create_flow(team, friendly_name=widget_type, definition=definition)

    async def scenario():
        live = Live(alice, flow.sid)
        await live.open()
        taken = {}
        for event in BY_TYPE[widget_type].events:
            started = await live.ask({"type": "run.start", "trigger": "call"})
            wait = started["execution"]["wait"]
            assert (wait["widget"], event in wait["events"]) == ("w", True), wait
            sid = started["execution"]["sid"]
            fired = await live.ask({"type": "run.event", "execution": sid, "event": event})
            steps = [e for e in fired["entries"] if e["kind"] == "step" and e["from"] == "w"]
            taken[event] = (steps[0]["event"], steps[0]["to"])
        await live.close()
        return taken

    taken = run(scenario)
    assert taken == {e: (e, f"after_{e}") for e in BY_TYPE[widget_type].events}
