"""The canvas's Test panel in a real browser, against the live websocket server.

Playwright drives Debian's chromium (tests/browser_support.py) against `asgi_live_server`
(tests/asgi_server.py), which serves the pages and /ws/flows/FW…/ (docs/protocol.md) from one
ASGI process. Runs are real executions: what the panel shows is checked against the
database too. Lost frames, reconnects, real runs and viewers: test_test_panel_edges_browser.py.
"""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests.browser_support import new_context
from tests.panel_support import (  # noqa: F401
    ORDER,
    PANEL_MARKS,
    by_id,
    ctx_fixture,
    current_execution,
    has_class,
    last_bubble,
    open_panel,
    reply,
    sample_flow,
    start,
    widget,
)

pytestmark = PANEL_MARKS


def test_a_conversation_run_follows_the_reply_on_the_canvas(ctx, asgi_live_server, team):
    flow = sample_flow(team, "conversations-tutorial")
    page = open_panel(ctx, asgi_live_server, flow.sid)

    start(page, "conversation", body="Hello")
    expect(last_bubble(page)).to_contain_text("Hi, do you like bots?")
    expect(widget(page, "send_and_reply_1")).to_have_class(has_class("run-current"))
    expect(by_id(page, "run-badge-send_and_reply_1")).to_contain_text("waiting for reply")
    expect(by_id(page, "participants")).to_contain_text("tester")
    # The flow by name; its address, the conversation's SID, only in the chip's title.
    flow_chip = by_id(page, "participant-flow")
    expect(flow_chip).to_have_text("This flow · Studio")
    expect(flow_chip).to_have_attribute("title", re.compile(r"^Conversation CH[0-9a-f]{32}$"))
    expect(by_id(page, "fire-timeout")).to_have_text("Fire timeout")
    expect(by_id(page, "fire-deliveryFailure")).to_have_text("Delivery failure")

    reply(page, "yes")
    expect(last_bubble(page)).to_contain_text("Great! We like you too")
    expect(widget(page, "send_message_1")).to_have_class(has_class("run-current"))
    expect(widget(page, "send_and_reply_1")).to_have_class(has_class("run-visited"))
    expect(widget(page, "send_and_reply_1")).not_to_have_class(has_class("run-current"))
    expect(by_id(page, "run-badge-send_and_reply_1")).to_have_count(0)
    expect(by_id(page, "run-status")).to_contain_text("Ended")

    execution = current_execution(page)
    assert execution.status == "ended"
    assert execution.trigger == "conversation"


def test_b_a_call_is_driven_from_the_keypad(ctx, asgi_live_server, team):
    flow = sample_flow(team, "ivr-phone-tree")
    page = open_panel(ctx, asgi_live_server, flow.sid)

    start(page, "call")
    expect(by_id(page, "keypad")).to_be_visible()
    expect(widget(page, "gather_main_menu")).to_have_class(has_class("run-current"))
    expect(by_id(page, "run-badge-gather_main_menu")).to_contain_text("waiting for call input")
    expect(by_id(page, "transcript-action").first).to_contain_text("Thanks for calling Owl Dental")

    # number_of_digits is 1: one key sends the digits. Say/Play plays through by itself.
    by_id(page, "key-9").click()
    expect(by_id(page, "transcript")).to_contain_text("Sorry, that is not one of the options.")
    expect(widget(page, "say_invalid_choice")).to_have_class(has_class("run-visited"))
    expect(widget(page, "gather_main_menu")).to_have_class(has_class("run-current"))
    # The Say played through: said in words, as are the fields the card has no label for.
    expect(by_id(page, "transcript")).to_contain_text("The channel called back")
    expect(by_id(page, "transcript")).not_to_contain_text("undefined")
    expect(by_id(page, "transcript-action").first).to_contain_text("Stop gather")

    # Digits typed in the box go with Enter, as the keypad's Send sends them.
    by_id(page, "call-digits").fill("1")
    by_id(page, "call-digits").press("Enter")
    expect(by_id(page, "transcript")).to_contain_text("We are open Monday to Friday")
    expect(widget(page, "say_opening_hours")).to_have_class(has_class("run-current"))
    expect(by_id(page, "run-status")).to_contain_text("FLOW_END")

    by_id(page, "test-tab-steps").click()
    path = [
        (s.get_attribute("data-from"), s.get_attribute("data-to"))
        for s in by_id(page, "step-list").locator("button").all()
    ]
    assert path == [
        ("Trigger", "gather_main_menu"),
        ("gather_main_menu", "split_digits"),
        ("split_digits", "say_invalid_choice"),
        ("say_invalid_choice", "gather_main_menu"),
        ("gather_main_menu", "split_digits"),
        ("split_digits", "say_opening_hours"),
        ("say_opening_hours", "Ended"),
    ]
    assert current_execution(page).steps.count() == len(path)

    # A Connect Call To is a card saying whom it dials, with a button per event it waits for.
    by_id(page, "test-tab-run").click()
    start(page, "call")
    by_id(page, "key-2").click()
    card = by_id(page, "action-connect_reception").first
    expect(card).to_contain_text("Connect call to")
    expect(card).to_contain_text("+15555550100")
    expect(by_id(page, "run-badge-connect_reception")).to_contain_text("callCompleted, hangup")
    by_id(page, "fire-callCompleted").click()
    expect(by_id(page, "run-status")).to_contain_text("FLOW_END")


def test_c_a_reload_while_waiting_restores_the_transcript(ctx, asgi_live_server, team):
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "message", body="Hi")
    expect(last_bubble(page)).to_contain_text("Welcome to Owl Books!")
    sid = by_id(page, "run-head").get_attribute("data-execution")

    page.reload()
    expect(by_id(page, "panel-test")).to_be_visible()
    expect(by_id(page, "run-head")).to_have_attribute("data-execution", sid)
    expect(by_id(page, "bubble-out")).to_have_count(1)
    expect(by_id(page, "bubble-in")).to_contain_text("Hi")
    expect(widget(page, "menu")).to_have_class(has_class("run-current"))

    reply(page, "2")
    expect(last_bubble(page)).to_contain_text("We are open Monday to Saturday")

    # The executions page's "Show on canvas" link opens the panel on that execution.
    other = open_panel(ctx, asgi_live_server, flow.sid, query=f"?execution={sid}")
    expect(other.locator("[data-testid='bubble-out']")).to_have_count(2)
    expect(other.locator("[data-testid='widget-reply_hours']")).to_have_class(
        has_class("run-current")
    )
    # and replays its path: each widget in turn is marked, then none.
    expect(other.locator(".widget.run-focused")).to_have_count(1)
    expect(other.locator(".widget.run-focused")).to_have_count(0, timeout=10_000)


def test_d_the_context_inspector_copies_a_liquid_path(chromium, asgi_live_server, alice, team):
    flow = sample_flow(team, "sms-chatbot")
    context = new_context(chromium, asgi_live_server, alice)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=asgi_live_server.url)
    try:
        page = open_panel(context, asgi_live_server, flow.sid)
        start(page, "message", body="Hi there")
        expect(last_bubble(page)).to_contain_text("Welcome to Owl Books!")

        by_id(page, "test-tab-context").click()
        by_id(page, "context-search").fill("hi there")
        key = page.locator("[data-testid='context-key-trigger.message.Body']")
        expect(key).to_be_visible()
        key.click()
        expect(by_id(page, "context-copied")).to_have_text("Copied {{trigger.message.Body}}")
        assert page.evaluate("navigator.clipboard.readText()") == "{{trigger.message.Body}}"

        by_id(page, "context-search").fill("no such thing anywhere")
        expect(page.locator("[data-testid^='context-key-']")).to_have_count(0)
    finally:
        context.close()


def test_e_a_mock_set_in_the_panel_answers_the_request_and_is_kept(ctx, asgi_live_server, team):
    flow = sample_flow(team, "sms-chatbot")
    other = open_panel(ctx, asgi_live_server, flow.sid)
    by_id(other, "test-tab-mocks").click()
    page = open_panel(ctx, asgi_live_server, flow.sid)
    by_id(page, "test-tab-mocks").click()
    by_id(page, "mock-http_order_lookup").locator("summary").click()
    by_id(page, "mock-status-http_order_lookup").fill("200")
    by_id(page, "mock-body-http_order_lookup").fill(json.dumps(ORDER))
    by_id(page, "mock-save-http_order_lookup").click()
    expect(by_id(page, "mock-state-http_order_lookup")).to_have_text("mocked · 200")
    expect(by_id(page, "mocks-note")).to_have_text("Mock saved.")
    # Another tab on the flow sees the change as it happens.
    expect(by_id(other, "mock-state-http_order_lookup")).to_have_text("mocked · 200")
    expect(by_id(other, "mocks-note")).to_have_text("Mocks changed by alice.")

    by_id(page, "test-tab-run").click()
    start(page, "message", body="Hi")
    expect(last_bubble(page)).to_contain_text("Welcome to Owl Books!")
    reply(page, "1")
    expect(last_bubble(page)).to_contain_text("What is your order number?")
    reply(page, "owl-10492")
    expect(last_bubble(page)).to_contain_text(
        "Good news: order OWL-10492 shipped on 2 May with tracking number 1Z999."
    )

    page.reload()
    expect(by_id(page, "panel-test")).to_be_visible()
    by_id(page, "test-tab-mocks").click()
    expect(by_id(page, "mock-state-http_order_lookup")).to_have_text("mocked · 200")
    assert json.loads(by_id(page, "mock-body-http_order_lookup").input_value()) == ORDER
