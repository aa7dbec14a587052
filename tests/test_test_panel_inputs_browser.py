"""The Test panel as a demanding tester meets it: each bad input gets a message beside its
field, keeps what was typed and sends nothing; the keyboard reaches and works the panel;
the defaults and labels say what they mean (see test_test_panel_browser.py for the main
paths, test_test_panel_layout_browser.py for small windows)."""

from __future__ import annotations

from playwright.sync_api import expect

from editor import services
from editor.models import Execution
from editor.samples import load_sample
from tests.panel_support import (  # noqa: F401
    PANEL_MARKS,
    by_id,
    ctx_fixture,
    last_bubble,
    open_panel,
    sample_flow,
    start,
)

pytestmark = PANEL_MARKS


def listening_ivr(team):
    """The IVR sample with its menu's Speech transition connected: Studio then listens for
    speech (editor/engine/widgets/gather_input_on_call.py), and the keypad has a speech box."""
    definition = load_sample("ivr-phone-tree")
    gather = next(s for s in definition["states"] if s["name"] == "gather_main_menu")
    speech = next(t for t in gather["transitions"] if t["event"] == "speech")
    speech["next"] = "split_digits"
    return services.create_flow(team, friendly_name="IVR", definition=definition)


HUGE = "x" * 100_000


def test_a_reply_too_long_to_send_says_so_and_is_kept(ctx, asgi_live_server, team):
    """100 kB pasted into the reply box: not a refused frame and an empty box, but the limit
    in words, Send off, and the text still there to shorten."""
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    start(page, "message", body="Hi")
    expect(last_bubble(page)).to_contain_text("Welcome to Owl Books!")

    by_id(page, "reply-body").fill(HUGE)
    expect(by_id(page, "reply-error")).to_contain_text("Too long: 100,000 characters")
    expect(by_id(page, "reply-error")).to_contain_text("at most 1,600")
    expect(by_id(page, "reply-body")).to_have_attribute("aria-invalid", "true")
    expect(by_id(page, "reply-send")).to_be_disabled()
    by_id(page, "reply-body").press("Enter")
    expect(by_id(page, "reply-body")).to_have_value(HUGE)
    expect(by_id(page, "test-error")).to_have_count(0)

    by_id(page, "reply-body").fill("1")
    expect(by_id(page, "reply-error")).to_have_count(0)
    by_id(page, "reply-body").press("Enter")
    expect(last_bubble(page)).to_contain_text("What is your order number?")
    assert errors == []


def test_a_first_message_or_speech_too_long_waits_with_a_message(ctx, asgi_live_server, team):
    flow = listening_ivr(team)
    page = open_panel(ctx, asgi_live_server, flow.sid)
    by_id(page, "test-trigger").select_option("message")
    by_id(page, "test-body").fill(HUGE)
    expect(by_id(page, "test-body-error")).to_contain_text("Too long: 100,000 characters")
    expect(by_id(page, "test-start")).to_be_disabled()
    assert not Execution.objects.filter(flow=flow).exists()

    by_id(page, "test-trigger").select_option("call")
    expect(by_id(page, "test-body-error")).to_have_count(0)
    by_id(page, "test-start").click()
    expect(by_id(page, "keypad")).to_be_visible()
    by_id(page, "call-speech").fill("y" * 1601)
    expect(by_id(page, "speech-error")).to_contain_text("Too long: 1,601 characters")
    expect(by_id(page, "call-speech-send")).to_be_disabled()
    by_id(page, "call-speech").fill("reception")
    expect(by_id(page, "speech-error")).to_have_count(0)
    expect(by_id(page, "call-speech-send")).to_be_enabled()


def test_speech_is_offered_only_to_a_gather_that_listens_for_it(ctx, asgi_live_server, team):
    """The IVR sample's menu leaves Speech unconnected, so Studio gathers digits only: the
    speech box used to be there anyway, and words typed in it ended the call by Speech."""
    page = open_panel(ctx, asgi_live_server, sample_flow(team, "ivr-phone-tree").sid)
    start(page, "call")
    expect(by_id(page, "keypad")).to_be_visible()
    expect(by_id(page, "call-speech")).to_have_count(0)
    expect(by_id(page, "call-speech-off")).to_have_text(
        "This Gather listens for keys only: connect its Speech transition to take speech."
    )
    by_id(page, "key-1").click()
    expect(by_id(page, "transcript")).to_contain_text("We are open Monday to Friday")

    page = open_panel(ctx, asgi_live_server, listening_ivr(team).sid)
    start(page, "call")
    expect(by_id(page, "call-speech")).to_be_visible()
    expect(by_id(page, "call-speech-off")).to_have_count(0)


def test_rest_parameters_with_a_number_json_cannot_hold_are_refused(ctx, asgi_live_server, team):
    """JSON.parse reads 1e999 as Infinity, which used to start the run with null instead."""
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    by_id(page, "test-trigger").select_option("request")
    by_id(page, "test-parameters").fill('{"order": {"total": 1e999}}')
    expect(by_id(page, "test-parameters-error")).to_have_text(
        "The number at order.total is too large to send; put it in quotes to send it as text."
    )
    expect(by_id(page, "test-start")).to_be_disabled()
    by_id(page, "test-parameters").fill('{"order": {"total": "1e999"}}')
    expect(by_id(page, "test-parameters-error")).to_have_count(0)
    by_id(page, "test-start").click()
    expect(by_id(page, "run-head")).to_have_attribute("data-status", "ended")
    execution = Execution.objects.get(flow=flow)
    assert execution.context["flow"]["data"] == {"order": {"total": "1e999"}}


def tab_to(page, testid: str, most: int = 12) -> None:
    """Tab until the element `testid` has the focus (at most `most` presses)."""
    for _ in range(most):
        if page.evaluate("document.activeElement?.dataset?.testid") == testid:
            break
        page.keyboard.press("Tab")
    expect(by_id(page, testid)).to_be_focused()


def test_the_keyboard_reaches_the_panel_when_it_opens(ctx, asgi_live_server, team):
    """The panel comes after the library and every widget in the page; opened with the
    keyboard, it takes the focus, so a few Tabs reach Start; once the run waits for a reply,
    the reply box has the focus (Start, which had it, is gone), and Enter answers the flow."""
    flow = sample_flow(team, "sms-chatbot")
    page = ctx.new_page()
    page.goto(f"{asgi_live_server.url}/flows/{flow.sid}/")
    page.wait_for_selector(".react-flow__node")
    by_id(page, "test-open").focus()
    page.keyboard.press("Enter")
    expect(by_id(page, "test-heading")).to_be_focused()
    expect(by_id(page, "test-connection")).to_have_attribute("data-state", "open")
    tab_to(page, "test-start")
    page.keyboard.press("Enter")
    expect(last_bubble(page)).to_contain_text("Welcome to Owl Books!")
    # Start went away with the focus on it: the reply box takes it, not the page's top.
    expect(by_id(page, "reply-body")).to_be_focused()
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    expect(last_bubble(page)).to_contain_text("What is your order number?")


def test_a_webchat_flow_is_tried_as_a_chat(ctx, asgi_live_server, team):
    """The Webchat pre-agent sample greets the visitor by trigger.message.ChannelAttributes,
    which only a chat message has: tried as an SMS it said "Hi !" and gave Flex an empty
    channel type."""
    flow = sample_flow(team, "webchat-pre-agent")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    expect(by_id(page, "test-channel")).to_have_value("chat")
    contact = by_id(page, "test-contact").input_value()
    start(page, "message", body="Hello")
    expect(last_bubble(page)).to_contain_text(f"Hi {contact}! What can we help you with today?")
    by_id(page, "reply-body").fill("billing")
    by_id(page, "reply-body").press("Enter")
    card = by_id(page, "action-send_to_flex_1")
    expect(card).to_contain_text('"channelType": "web"')
    expect(card).to_contain_text('"topic": "billing"')


def test_an_sms_flow_is_still_tried_as_an_sms(ctx, asgi_live_server, team):
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    expect(by_id(page, "test-channel")).to_have_value("sms")


def test_a_blank_address_says_why_start_is_off(ctx, asgi_live_server, team):
    """Start used to turn grey without a word when the contact's address was cleared."""
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    contact = by_id(page, "test-contact").input_value()
    by_id(page, "test-contact").fill(" ")
    expect(by_id(page, "test-contact-error")).to_have_text(f"Needed to start a run, e.g. {contact}")
    expect(by_id(page, "test-contact")).to_have_attribute("aria-invalid", "true")
    expect(by_id(page, "test-start")).to_be_disabled()
    by_id(page, "test-flow-address").fill("")
    expect(by_id(page, "test-flow-address-error")).to_have_text(
        "Needed to start a run, e.g. +15555550199"
    )
    by_id(page, "test-contact").fill(contact)
    by_id(page, "test-flow-address").fill("+15555550123")
    expect(by_id(page, "test-contact-error")).to_have_count(0)
    expect(by_id(page, "test-flow-address-error")).to_have_count(0)
    expect(by_id(page, "test-start")).to_be_enabled()


def test_event_buttons_name_the_event_once(ctx, asgi_live_server, team):
    """A button read "Hangup (hangup)"; the event's name stays where the label differs. The
    line above them read "Record voicemail: 120"."""
    flow = sample_flow(team, "ivr-phone-tree")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "call")
    expect(by_id(page, "fire-timeout")).to_have_text("No Input (timeout)")
    by_id(page, "key-3").click()
    expect(by_id(page, "fire-hangup")).to_have_text("Hangup")
    # The instruction waited on names its first field when the value alone says nothing.
    expect(by_id(page, "waiting-card")).to_contain_text(
        "Waiting at record_voicemail_1: Record voicemail: Max length (s) 120"
    )
    expect(by_id(page, "fire-recordingComplete")).to_have_text("Recording Complete")
    by_id(page, "call-hangup").click()
    expect(by_id(page, "run-head")).to_have_attribute("data-status", "ended")


def test_enter_on_an_empty_reply_says_what_it_needs(ctx, asgi_live_server, team):
    """Send is off while the box is empty; Enter there used to do nothing at all."""
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "message", body="Hi")
    expect(last_bubble(page)).to_contain_text("Welcome to Owl Books!")
    by_id(page, "reply-body").fill("   ")
    by_id(page, "reply-body").press("Enter")
    expect(by_id(page, "reply-blank")).to_have_text(
        "Type a reply, or attach a media URL, to send it."
    )
    expect(by_id(page, "bubble-in")).to_have_count(1)
    by_id(page, "reply-body").fill("2")
    expect(by_id(page, "reply-blank")).to_have_count(0)
    by_id(page, "reply-body").press("Enter")
    expect(by_id(page, "bubble-in")).to_have_count(2)


def test_the_run_tabs_follow_the_arrow_keys(ctx, asgi_live_server, team):
    """The tabs said role=tab but answered no arrow key, and each one cost a Tab press."""
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    by_id(page, "test-tab-run").focus()
    page.keyboard.press("ArrowRight")
    expect(by_id(page, "test-tab-steps")).to_be_focused()
    expect(by_id(page, "test-tab-steps")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel")).to_have_attribute("aria-labelledby", "tp-tab-steps")
    page.keyboard.press("End")
    expect(by_id(page, "test-tab-debug")).to_be_focused()
    page.keyboard.press("ArrowRight")  # round to the first
    expect(by_id(page, "test-tab-run")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowLeft")
    expect(by_id(page, "test-tab-debug")).to_be_focused()
    page.keyboard.press("Home")
    expect(by_id(page, "test-tab-run")).to_be_focused()
    # Only the chosen tab is in the Tab order: Tab goes on into the tab's content.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('role')")
    assert focused != "tab"
