"""The Tests panel in a real browser: write a case, run it and see it pass; break the flow
and see it fail with the widget highlighted on the canvas; a validation error shown under
the text; a test-panel run saved as a case with one click."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from editor import services
from editor.models import FlowTestCase
from editor.services import testcases
from tests.panel_support import (  # noqa: F401
    PANEL_MARKS,
    by_id,
    ctx_fixture,
    has_class,
    open_panel,
    reply,
    sample_flow,
    start,
    widget,
)

from .browser_support import open_flow

pytestmark = PANEL_MARKS
YES = (
    Path(__file__).resolve().parent / "data" / "testcases" / "conversations-yes.yaml"
).read_text()
CASE = "[data-testid='case-A contact who likes bots']"


def test_write_run_break_and_see_the_failing_widget(ctx, asgi_live_server, team, alice):
    flow = sample_flow(team, "conversations-tutorial")
    page = open_flow(ctx, asgi_live_server, flow.sid)
    by_id(page, "tab-tests").click()
    expect(by_id(page, "tests-empty")).to_be_visible()

    by_id(page, "tests-new").click()
    by_id(page, "case-source").fill("name: broken\ntrigger: {type: incomingFax}\n")
    by_id(page, "case-save").click()
    expect(by_id(page, "case-errors")).to_contain_text("trigger.type")

    by_id(page, "case-source").fill(YES)
    by_id(page, "case-save").click()
    row = page.locator(CASE)
    expect(row).to_have_attribute("data-status", "not_run")
    by_id(page, "tests-run-all").click()
    expect(row).to_have_attribute("data-status", "pass")
    expect(widget(page, "send_message_1")).to_have_class(has_class("run-visited"))

    definition = flow.definition()
    for state in definition["states"]:
        if state["name"] == "send_message_1":
            state["properties"]["body"] = "Meh."
    services.update_flow(flow, status="draft", definition=definition, author=alice)
    row.locator("[data-testid='case-run']").click()
    expect(row).to_have_attribute("data-status", "fail")
    expect(row.locator("[data-testid='case-failure']")).to_contain_text("send_message_1")
    expect(widget(page, "send_message_1")).to_have_class(has_class("run-failed"))
    assert FlowTestCase.objects.get(flow=flow).last_status == "fail"


def test_a_finished_test_run_is_saved_as_a_case(ctx, asgi_live_server, team):
    flow = sample_flow(team, "conversations-tutorial")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "conversation", body="Hello")
    reply(page, "no")
    expect(by_id(page, "run-status")).to_contain_text("Ended")
    by_id(page, "run-save-case").click()
    expect(by_id(page, "run-save-case-note")).to_contain_text("Saved as")
    case = FlowTestCase.objects.get(flow=flow)
    assert case.body["script"] == [{"message": "no"}]

    by_id(page, "tab-tests").click()
    row = page.locator(f"[data-testid='case-{case.name}']")
    row.locator("[data-testid='case-run']").click()
    expect(row).to_have_attribute("data-status", "pass")


def test_a_replay_outlines_where_the_draft_diverges(ctx, asgi_live_server, team, alice):
    flow = sample_flow(team, "conversations-tutorial")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "conversation", body="Hello")
    reply(page, "yes")
    expect(by_id(page, "run-status")).to_contain_text("Ended")
    sid = by_id(page, "run-head").get_attribute("data-execution")

    definition = flow.definition()
    for state in definition["states"]:
        for transition in state["transitions"]:
            if state["name"] == "split_1" and transition.get("next") == "send_message_1":
                transition["next"] = "send_message_2"
    services.update_flow(flow, status="draft", definition=definition, author=alice)

    by_id(page, "tab-tests").click()
    by_id(page, "replay").locator("summary").click()
    by_id(page, "replay-sid").fill(sid)
    by_id(page, "replay-run").click()
    expect(by_id(page, "replay-result")).to_have_attribute("data-diverged", "send_message_2")
    expect(widget(page, "send_message_2")).to_have_class(has_class("run-failed"))

    # The execution page's "Replay on draft" opens the Tests panel and replays at once.
    detail = ctx.new_page()
    detail.goto(f"{asgi_live_server.url}/flows/{flow.sid}/executions/{sid}/")
    detail.locator("[data-testid='replay-on-draft']").click()
    detail.wait_for_selector("[data-testid='canvas-app']")
    expect(by_id(detail, "replay-result")).to_have_attribute("data-diverged", "send_message_2")
    expect(widget(detail, "send_message_2")).to_have_class(has_class("run-failed"))


def test_a_cases_mocked_steps_are_marked(ctx, asgi_live_server, team, alice):
    """A step a case's mock answered shows the test panel's "Mocked" label in its result."""
    definition = {
        "description": "mocked",
        "initial_state": "Trigger",
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "properties": {},
                "transitions": [{"event": "incomingMessage", "next": "lookup"}],
            },
            {
                "name": "lookup",
                "type": "run-function",
                "properties": {"url": "https://fn.example.com/lookup"},
                "transitions": [{"event": "success"}, {"event": "fail"}],
            },
        ],
    }
    flow = services.create_flow(team, friendly_name="Mocked", definition=definition)
    source = (
        "name: lookup\ntrigger: {type: incomingMessage}\nmocks: {http: {lookup: {status: 201}}}\n"
    )
    testcases.create_case(flow, source, alice)
    page = open_flow(ctx, asgi_live_server, flow.sid)
    by_id(page, "tab-tests").click()
    row = page.locator("[data-testid='case-lookup']")
    row.locator("[data-testid='case-run']").click()
    expect(row).to_have_attribute("data-status", "pass")
    expect(row.locator("[data-testid='case-mocked-step']")).to_have_text("step 2 lookup Mocked 201")
