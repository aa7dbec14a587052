"""The step debugger in a real browser (docs/debugger.md): a breakpoint set on the canvas,
a test run paused before its widget, an edit, a step, a reload mid-pause and a continue;
and a test started at a widget with a seeded context.

Playwright drives Debian's chromium against `asgi_live_server` (tests/asgi_server.py), as
tests/test_test_panel_browser.py does.
"""

from __future__ import annotations

from playwright.sync_api import expect

from editor.models import Breakpoint
from tests.panel_support import (  # noqa: F401
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


def edit(page, path: str, value: str) -> None:
    by_id(page, "debug-edit-path").fill(path)
    by_id(page, "debug-edit-value").fill(value)
    by_id(page, "debug-edit-set").click()


def test_pause_edit_step_reload_and_continue(ctx, asgi_live_server, team, alice):
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)

    # A breakpoint from the canvas: the dot on the widget's corner.
    by_id(page, "breakpoint-split_menu").click()
    expect(by_id(page, "breakpoint-split_menu")).to_have_attribute("data-set", "true")
    by_id(page, "test-tab-debug").click()
    expect(by_id(page, "debug-bp-split_menu")).to_be_visible()
    assert Breakpoint.objects.filter(flow=flow, user=alice, widget="split_menu").exists()

    by_id(page, "test-tab-run").click()
    start(page, "message", body="Hi")
    expect(last_bubble(page)).to_contain_text("Welcome to Owl Books!")
    reply(page, "2")
    paused = by_id(page, "debug-paused")
    expect(paused).to_have_attribute("data-widget", "split_menu")
    expect(paused).to_have_attribute("data-reason", "breakpoint")
    expect(widget(page, "split_menu")).to_have_class(has_class("run-paused"))
    expect(by_id(page, "run-badge-split_menu")).to_contain_text("paused")

    # Bad JSON is refused in the panel; a variable and the reply are edited.
    edit(page, "flow.variables.tries", "{oops")
    expect(by_id(page, "debug-edit-error")).to_contain_text("not valid JSON")
    edit(page, "flow.variables.tries", "3")
    expect(by_id(page, "transcript-debug").last).to_contain_text("flow.variables.tries = 3")
    edit(page, "widgets.menu.inbound.Body", '"3"')
    expect(by_id(page, "transcript-debug").last).to_contain_text("widgets.menu.inbound.Body")

    # Step: split_menu runs on the edited reply and the run pauses before the next widget.
    by_id(page, "debug-step").click()
    expect(paused).to_have_attribute("data-widget", "reply_bookseller")
    expect(paused).to_have_attribute("data-reason", "step")
    expect(widget(page, "reply_bookseller")).to_have_class(has_class("run-paused"))

    # A reload mid-pause shows the same pause, with its controls.
    page.reload()
    expect(by_id(page, "panel-test")).to_be_visible()
    paused = by_id(page, "debug-paused")
    expect(paused).to_have_attribute("data-widget", "reply_bookseller")
    expect(widget(page, "reply_bookseller")).to_have_class(has_class("run-paused"))
    expect(by_id(page, "breakpoint-split_menu")).to_have_attribute("data-set", "true")

    by_id(page, "test-tab-steps").click()
    expect(by_id(page, "step-edit")).to_have_count(2)
    by_id(page, "test-tab-run").click()
    by_id(page, "debug-continue").click()
    expect(last_bubble(page)).to_contain_text("A bookseller will text you back")
    expect(by_id(page, "run-status")).to_contain_text("Ended")
    expect(by_id(page, "debug-paused")).to_have_count(0)
    execution = current_execution(page)
    assert execution.context["flow"]["variables"]["tries"] == 3


def test_start_a_test_here_with_a_seed(ctx, asgi_live_server, team):
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)

    widget(page, "split_menu").click(button="right")
    by_id(page, "debug-menu-start-here").click()
    expect(by_id(page, "debug-start-widget")).to_have_value("split_menu")
    by_id(page, "debug-start-seed").fill('{"contact": {}}')
    by_id(page, "debug-start-run").click()
    expect(by_id(page, "test-error")).to_contain_text("seed.contact is not part of a seed")
    by_id(page, "debug-start-seed").fill('{"widgets": {"menu": {"inbound": {"Body": "2"}}}}')
    by_id(page, "debug-start-run").click()
    by_id(page, "test-tab-run").click()
    expect(last_bubble(page)).to_contain_text("We are open Monday to Saturday")
    expect(widget(page, "reply_hours")).to_have_class(has_class("run-current"))
