"""What the call simulator says: its cards, what a contact-centre widget would do while the
run waits on it (editor/frontend/src/components/test/ActionCard.jsx), and its prompts read
aloud (CallSimulator.jsx)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.engine_support import trigger
from tests.panel_support import (  # noqa: F401
    PANEL_MARKS,
    by_id,
    ctx_fixture,
    open_panel,
    sample_flow,
    start,
)
from tests.test_test_panel_channels_browser import make, say, widget

pytestmark = PANEL_MARKS

REDIRECT = [
    trigger(None, incomingCall="hand_off"),
    widget(
        "hand_off",
        "add-twiml-redirect",
        200,
        {"url": "https://ivr.example.com/twiml", "method": "POST"},
        **{"return": "back", "timeout": None, "fail": None},
    ),
    say("back", "Welcome back", 400),
]


def test_a_twiml_redirect_waits_on_its_url_not_its_method(ctx, asgi_live_server, team):
    """The line under the transcript said "TwiML redirect: POST"."""
    flow = make(team, "Redirect", REDIRECT)
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "call")
    card = by_id(page, "waiting-card")
    expect(card).to_contain_text("TwiML redirect: https://ivr.example.com/twiml")
    expect(by_id(page, "fire-fail")).to_be_visible()


# The browser's speech synthesis, replaced by one that notes what it is asked to say.
SPEECH = """
window.spoken = [];
Object.defineProperty(window, 'speechSynthesis', {
  value: {speak: (u) => window.spoken.push(u.text), cancel: () => window.spoken.push('(cancel)')},
});
"""
GREETING = "Thanks for calling Owl Dental."


def test_with_speak_ticked_the_next_call_is_spoken_from_its_start(ctx, asgi_live_server, team):
    """The Speak box stays ticked from one call to the next; the next call's greeting was
    not spoken, its entries being numbered from 1 again, below the last call's."""
    ctx.add_init_script(SPEECH)
    flow = sample_flow(team, "ivr-phone-tree")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "call")
    by_id(page, "call-speak").check()
    by_id(page, "key-9").click()
    expect(by_id(page, "transcript")).to_contain_text("Sorry, that is not one of the options.")
    by_id(page, "call-hangup").click()
    expect(by_id(page, "run-head")).to_have_attribute("data-status", "ended")
    spoken = page.evaluate("window.spoken.length")

    start(page, "call")
    expect(by_id(page, "keypad")).to_be_visible()
    expect(by_id(page, "call-speak")).to_be_checked()
    page.wait_for_function(f"window.spoken.length > {spoken}")
    said = page.evaluate("window.spoken")[spoken:]
    assert said[0] == "(cancel)" and said[1].startswith(GREETING), said


QUEUE = [
    trigger(None, incomingCall="record"),
    widget("record", "record-call", 200, {"record_call": True}, success="queue", failed=None),
    widget(
        "queue",
        "enqueue-call",
        400,
        {
            "workflow_sid": "WW" + "c" * 32,
            "task_attributes": '{"selected_product": "sales"}',
            "wait_url_method": "GET",
        },
        callComplete=None,
        failedToEnqueue=None,
        callFailure=None,
    ),
]


def test_a_callback_setting_without_its_callback_is_left_out(ctx, asgi_live_server, team):
    """A queue with no wait URL said "Wait url method GET", a recording with no status
    callback its method and events: defaults that say nothing about the run."""
    flow = make(team, "Queue", QUEUE)
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "call")
    queue = by_id(page, "action-queue")
    expect(queue).to_contain_text("Workflow SID")
    expect(queue).to_contain_text('"selected_product": "sales"')
    expect(queue).not_to_contain_text("Wait url method")
    record = by_id(page, "action-record")
    expect(record).to_contain_text("Channels")
    expect(record).not_to_contain_text("Recording status callback")
