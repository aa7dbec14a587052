"""The Test panel's edges in a real browser: a lost frame and a lost connection, a real
contact's run, a viewer, bad REST parameters (see test_test_panel_browser.py for the main
paths)."""

from __future__ import annotations

import json
import re
import threading
from typing import Any

from django.db import connections
from playwright.sync_api import expect

from editor import services
from editor.models import WidgetMock
from editor.services.payloads import message_payload
from editor.services.test_runs import panel_addresses
from tests.browser_support import new_context
from tests.panel_support import (  # noqa: F401
    JSON,
    ORDER,
    PANEL_MARKS,
    by_id,
    ctx_fixture,
    has_class,
    last_bubble,
    open_panel,
    reply,
    sample_flow,
    start,
    under,
    widget,
)

pytestmark = PANEL_MARKS


def test_f_a_lost_frame_and_a_lost_connection_lose_nothing(ctx, asgi_live_server, team):
    """The page's socket goes through a proxy that can drop the server's frames and cut the
    connection: the panel asks again for what it missed, and shows everything once."""
    flow = sample_flow(team, "sms-chatbot")
    WidgetMock.objects.create(
        flow=flow, widget="http_order_lookup", status=200, headers=JSON, body=json.dumps(ORDER)
    )
    proxy = {"drop": 0, "cut": False, "connections": 0}
    page = ctx.new_page()

    def route(ws: Any) -> None:
        proxy["connections"] += 1
        server = ws.connect_to_server()

        def from_server(message: str | bytes) -> None:
            if proxy["drop"] and '"run.delta"' in str(message):
                proxy["drop"] -= 1
                if proxy["cut"]:
                    ws.close()
                return
            ws.send(message)

        server.on_message(from_server)
        ws.on_message(server.send)

    page.route_web_socket(re.compile(r".*/ws/flows/.*"), route)
    page.goto(f"{asgi_live_server.url}/flows/{flow.sid}/")
    page.wait_for_selector(".react-flow__node")
    by_id(page, "test-open").click()
    expect(by_id(page, "test-connection")).to_have_attribute("data-state", "open")
    start(page, "message", body="Hi")
    expect(last_bubble(page)).to_contain_text("Welcome to Owl Books!")

    # Another tab drives the run; the first of the two deltas it causes here is lost, so
    # the second starts after a gap and this tab asks for what it missed.
    sid = by_id(page, "run-head").get_attribute("data-execution")
    other = open_panel(ctx, asgi_live_server, flow.sid, query=f"?execution={sid}")
    proxy["drop"] = 1
    reply(other, "1")
    expect(last_bubble(other)).to_contain_text("What is your order number?")
    reply(other, "owl-7")
    expect(last_bubble(page)).to_contain_text("Good news: order OWL-7 shipped")
    expect(by_id(page, "bubble-out")).to_have_count(3)
    expect(by_id(page, "bubble-in")).to_have_count(3)
    assert proxy["drop"] == 0

    # The connection drops with the answer: the panel reconnects and catches up.
    start(page, "message", body="Hi")
    expect(by_id(page, "bubble-out")).to_have_count(1)
    proxy.update(drop=1, cut=True)
    reply(page, "2")
    expect(last_bubble(page)).to_contain_text("We are open Monday to Saturday")
    expect(by_id(page, "bubble-out")).to_have_count(2)
    assert proxy["connections"] == 2
    seqs = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=transcript] > li[data-seq]')]"
        ".map((li) => Number(li.dataset.seq))"
    )
    assert seqs == sorted(set(seqs)), "every entry once, in order"


def in_thread(function: Any) -> Any:
    """Run a service outside the test's thread, where Playwright's event loop would stop its
    after-commit broadcast (async_to_sync refuses to run inside a running loop)."""
    result = {}

    def body() -> None:
        try:
            result["value"] = function()
        finally:
            connections.close_all()  # this thread's own, or the test database stays busy

    thread = threading.Thread(target=body)
    thread.start()
    thread.join(timeout=30)
    return result["value"]


def test_g_a_real_contacts_run_is_watched_and_blocks_a_test_run_for_that_contact(
    ctx, asgi_live_server, team, alice
):
    flow = sample_flow(team, "sms-chatbot")
    # The tester's own default contact (each tester has one) is the real contact here.
    contact = panel_addresses(alice)["sms"]
    payload = message_payload(team.account_sid, contact, "+15555550199", "Hi", "", "sms")
    outcome = in_thread(
        lambda: services.start_execution(
            flow,
            kind="message",
            contact=contact,
            flow_address="+15555550199",
            payload=payload,
            origin="api",
            draft=True,
        )
    )
    sid = outcome.execution.sid

    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "message", body="Hi")
    error = by_id(page, "test-error")
    expect(error).to_have_attribute("data-code", "conflict")
    expect(error).to_contain_text(sid)

    page.goto(f"{asgi_live_server.url}/flows/{flow.sid}/?execution={sid}")
    expect(by_id(page, "run-head")).to_have_attribute("data-execution", sid)
    expect(by_id(page, "run-watch-only")).to_be_visible()
    expect(last_bubble(page)).to_contain_text("Welcome to Owl Books!")
    expect(by_id(page, "reply-body")).to_be_disabled()
    expect(by_id(page, "run-end")).to_have_count(0)


def test_a_viewer_can_run_tests_but_not_change_mocks(chromium, asgi_live_server, carol, team):
    flow = sample_flow(team, "sms-chatbot")
    context = new_context(chromium, asgi_live_server, carol)
    try:
        page = open_panel(context, asgi_live_server, flow.sid)
        expect(by_id(page, "test-connection")).to_contain_text("viewer")
        start(page, "message", body="Hi")
        expect(last_bubble(page)).to_contain_text("Welcome to Owl Books!")
        by_id(page, "fire-timeout").click()
        expect(by_id(page, "run-status")).to_contain_text("Ended")
        by_id(page, "test-tab-mocks").click()
        expect(by_id(page, "mock-save-http_order_lookup")).to_have_count(0)
        expect(by_id(page, "mock-body-http_order_lookup")).to_be_disabled()
    finally:
        context.close()


def test_rest_parameters_must_be_a_json_object(ctx, asgi_live_server, team):
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    by_id(page, "test-trigger").select_option("request")
    # The chatbot does not answer REST requests: said with the Trigger's own label.
    expect(by_id(page, "test-unwired")).to_have_text(
        "The Trigger's REST API output is not connected: this run ends at once."
    )
    by_id(page, "test-parameters").fill("[1, 2]")
    expect(by_id(page, "test-parameters-error")).to_contain_text("must be a JSON object")
    expect(by_id(page, "test-start")).to_be_disabled()
    by_id(page, "test-parameters").fill('{"name": ')
    expect(by_id(page, "test-parameters-error")).to_contain_text("Not valid JSON")
    by_id(page, "test-parameters").fill('{"name": "Ana"}')
    expect(by_id(page, "test-parameters-error")).to_have_count(0)
    expect(by_id(page, "test-start")).to_be_enabled()


def test_start_pressed_straight_after_an_edit_runs_the_edited_draft(ctx, asgi_live_server, team):
    """The click on Start is what leaves the inspector field, so the edit is still being
    saved when the click lands: the run starts once it is saved, with the new text."""
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    widget(page, "menu").locator(".w-head").click()
    body = page.locator("[data-testid='inspector'] [data-testid='field-body']")
    body.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("Edited just now: 1, 2 or 3?")
    by_id(page, "test-start").click()
    expect(last_bubble(page)).to_have_text(re.compile("Edited just now: 1, 2 or 3"))
    flow.refresh_from_db()
    states = {s["name"]: s for s in services.export_flow(flow)["states"]}
    assert states["menu"]["properties"]["body"] == "Edited just now: 1, 2 or 3?"


def test_fit_view_fits_the_flow_beside_the_panel_and_the_inspector(ctx, asgi_live_server, team):
    """The panels lie over the canvas: Fit view and the minimap keep clear of them."""
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    by_id(page, "fit").click()
    expect(page.locator(".react-flow__minimap")).to_be_visible()
    page.wait_for_timeout(400)  # the fit's 200 ms animation
    assert under(page, "panel-test", ".react-flow__node, .react-flow__minimap") == []

    widget(page, "menu").locator(".w-head").click()
    page.locator(".react-flow__controls-fitview").click()
    page.wait_for_timeout(400)
    for covering in ("panel-test", "inspector"):
        assert under(page, covering, ".react-flow__node, .react-flow__minimap") == []


def test_parameters_over_the_frame_limit_are_refused_and_start_comes_back(
    ctx, asgi_live_server, team
):
    """The server cannot read a frame over the limit, so its error names no request: the
    panel still stops waiting for the run to start."""
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    by_id(page, "test-trigger").select_option("request")
    by_id(page, "test-parameters").fill(json.dumps({"note": "x" * 70_000}))
    by_id(page, "test-start").click()
    expect(by_id(page, "test-error")).to_contain_text("at most 65536 bytes")
    expect(by_id(page, "test-start")).to_have_text("Start")
    expect(by_id(page, "test-start")).to_be_enabled()
    by_id(page, "test-parameters").fill('{"note": "short"}')
    by_id(page, "test-start").click()
    expect(by_id(page, "run-head")).to_have_count(1)


def test_rest_parameters_start_with_the_keys_the_flow_reads(ctx, asgi_live_server, team):
    flow = sample_flow(team, "appointment-reminder")  # REST-triggered; reads five keys
    page = open_panel(ctx, asgi_live_server, flow.sid)
    expect(by_id(page, "test-trigger")).to_have_value("request")
    keys = ["appointment_id", "appointment_time", "first_name", "office_phone", "provider"]

    given = json.loads(by_id(page, "test-parameters").input_value())

    assert given == dict.fromkeys(keys, "")
    expect(by_id(page, "test-parameters-missing")).to_have_count(0)
    by_id(page, "test-parameters").fill('{"first_name": "Ana"}')
    expect(by_id(page, "test-parameters-missing")).to_have_text(
        "The flow also reads these parameters: appointment_id, appointment_time, "
        "office_phone, provider."
    )


def test_digits_typed_but_not_sent_do_not_outlive_their_gather(ctx, asgi_live_server, team):
    """The IVR's Gather times out and comes round again (say_no_input leads back to it):
    a new wait, with an empty keypad, as a new call prompt is."""
    flow = sample_flow(team, "ivr-phone-tree")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "call")
    digits = by_id(page, "call-digits")
    digits.fill("12")
    by_id(page, "fire-timeout").click()
    expect(by_id(page, "transcript")).to_contain_text("Sorry, we didn't get your choice.")
    expect(widget(page, "say_no_input")).to_have_class(has_class("run-visited"))
    expect(widget(page, "gather_main_menu")).to_have_class(has_class("run-current"))
    expect(digits).to_have_value("")
