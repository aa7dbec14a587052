"""The panel gives a wait the controls it needs whatever started the run: a REST-triggered
dialer whose call is answered gathers on a keypad, and a call's flow that texts the caller
and waits gets the reply box (docs/protocol.md, `run.gather` and `run.reply`)."""

from __future__ import annotations

from playwright.sync_api import expect

from editor import services
from tests.engine_support import trigger
from tests.panel_support import (  # noqa: F401
    PANEL_MARKS,
    by_id,
    ctx_fixture,
    open_panel,
    sample_flow,
    start,
)

pytestmark = PANEL_MARKS


def widget(name: str, type_: str, y: int, properties: dict, **events: str | None) -> dict:
    transitions = [{"event": e, **({"next": n} if n else {})} for e, n in events.items()]
    offset = {"offset": {"x": 0, "y": y}}
    return {
        "name": name,
        "type": type_,
        "properties": {**properties, **offset},
        "transitions": transitions,
    }


def say(name: str, text: str, y: int) -> dict:
    return widget(name, "say-play", y, {"say": text, "loop": 1}, audioComplete=None)


DIALER = [
    trigger(None, incomingRequest="call_out"),
    widget(
        "call_out",
        "make-outgoing-call-v2",
        200,
        {"from": "+15555550199", "to": "{{flow.data.to}}"},
        answered="confirm",
        busy=None,
        noAnswer=None,
        failed=None,
    ),
    widget(
        "confirm",
        "gather-input-on-call",
        400,
        {"say": "Press 1 to confirm", "number_of_digits": 1, "timeout": 5},
        keypress="thanks",
        speech=None,
        timeout=None,
    ),
    say("thanks", "You pressed {{widgets.confirm.Digits}}", 600),
]

TEXT_THE_CALLER = [
    trigger(None, incomingCall="ask"),
    widget(
        "ask",
        "send-and-wait-for-reply",
        200,
        {"from": "{{flow.channel.address}}", "body": "Reply with your email", "timeout": "3600"},
        incomingMessage="read_back",
        timeout=None,
        deliveryFailure=None,
    ),
    say("read_back", "We got {{widgets.ask.inbound.Body}}", 400),
]


def make(team, name: str, states: list[dict]):
    definition = {"description": name, "states": states, "initial_state": "Trigger"}
    return services.create_flow(team, friendly_name=name, definition=definition)


def test_a_rest_dialer_gathers_on_the_keypad_once_answered(ctx, asgi_live_server, team):
    flow = make(team, "Dialer", DIALER)
    page = open_panel(ctx, asgi_live_server, flow.sid)
    by_id(page, "test-trigger").select_option("request")
    by_id(page, "test-parameters").fill('{"to": "+15551112222"}')
    by_id(page, "test-start").click()
    by_id(page, "fire-answered").click()
    expect(by_id(page, "waiting-gather")).to_contain_text("Press 1 to confirm")
    expect(by_id(page, "fire-keypress")).to_have_count(0)
    by_id(page, "key-1").click()
    expect(by_id(page, "action-thanks")).to_contain_text("You pressed 1")
    expect(by_id(page, "run-head")).to_have_attribute("data-status", "ended")


def test_a_rest_dialers_callee_can_hang_up_during_a_gather(ctx, asgi_live_server, team):
    """A Gather has no hangup event to fire; the call simulator's Hang up is not there for a
    REST run, so the callee hanging up could not be tried."""
    flow = make(team, "Dialer", DIALER)
    page = open_panel(ctx, asgi_live_server, flow.sid)
    by_id(page, "test-trigger").select_option("request")
    by_id(page, "test-parameters").fill('{"to": "+15551112222"}')
    by_id(page, "test-start").click()
    by_id(page, "fire-answered").click()
    by_id(page, "waiting-gather").get_by_role("button", name="Hang up").click()
    expect(by_id(page, "run-head")).to_have_attribute("data-status", "ended")
    expect(by_id(page, "transcript")).to_contain_text("CALL_ENDED")


def test_a_call_that_texts_the_caller_can_be_replied_to(ctx, asgi_live_server, team):
    flow = make(team, "Text the caller", TEXT_THE_CALLER)
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "call")
    expect(by_id(page, "call-simulator")).to_contain_text("Reply with your email")
    by_id(page, "reply-body").fill("me@example.com")
    by_id(page, "reply-body").press("Enter")
    expect(by_id(page, "action-read_back")).to_contain_text("We got me@example.com")
    expect(by_id(page, "run-head")).to_have_attribute("data-status", "ended")


PIN = [
    trigger(None, incomingCall="pin"),
    widget(
        "pin",
        "gather-input-on-call",
        200,
        {"say": "Enter your PIN, then hash", "finish_on_key": "#", "timeout": 5},
        keypress="read_pin",
        speech=None,
        timeout=None,
    ),
    say("read_pin", "Your PIN is {{widgets.pin.Digits}}", 400),
]


def test_digits_typed_in_the_box_finish_on_the_finish_key(ctx, asgi_live_server, team):
    """Typed on the keyboard as on a phone: # sends the PIN, and Digits leaves the # out as
    Twilio's does (it used to stay in the box and go with Enter as "1234#")."""
    flow = make(team, "PIN", PIN)
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "call")
    by_id(page, "call-digits").click()
    page.keyboard.type("1234#")
    expect(by_id(page, "action-read_pin")).to_contain_text("Your PIN is 1234")
    expect(by_id(page, "action-read_pin")).not_to_contain_text("1234#")
    expect(by_id(page, "run-head")).to_have_attribute("data-status", "ended")


def test_a_call_is_answered_from_the_keyboard(ctx, asgi_live_server, team):
    """Start pressed with Enter goes away with the focus: the keypad's box takes it, so
    typed digits and Enter answer the menu, and then the Connect Call To card's first event button
    does (the focus used to fall to the page's top each time)."""
    flow = sample_flow(team, "ivr-phone-tree")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    by_id(page, "test-trigger").select_option("call")
    by_id(page, "test-start").focus()
    page.keyboard.press("Enter")
    expect(by_id(page, "call-digits")).to_be_focused()
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    expect(by_id(page, "waiting-card")).to_have_attribute("data-widget", "connect_reception")
    expect(by_id(page, "fire-callCompleted")).to_be_focused()
    page.keyboard.press("Enter")
    expect(by_id(page, "run-head")).to_have_attribute("data-status", "ended")


def test_the_next_run_started_from_the_keyboard_takes_the_focus_too(ctx, asgi_live_server, team):
    """Start is turned off while the run starts, which loses it the focus, and the panel's
    simulator stays from one run to the next: the next call's keypad did not take the focus
    (nor a chat's reply box), which fell to the page's top."""
    flow = sample_flow(team, "ivr-phone-tree")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    for _ in range(3):
        if not by_id(page, "trigger-form").is_visible():
            by_id(page, "test-new-run").click()
        by_id(page, "test-trigger").select_option("call")
        by_id(page, "test-start").focus()
        page.keyboard.press("Enter")
        expect(by_id(page, "call-digits")).to_be_focused()
