"""In a real browser: a step the flow's mock answered wears a "Mocked" badge in the test
panel's transcript and step list, after a reload too, and on the executions page; and the
canvas tools' Minimap toggle is remembered across a reload (editor/frontend/src/prefs.js)."""

from __future__ import annotations

import json

from django.urls import reverse
from playwright.sync_api import expect

from editor.models import WidgetMock
from tests.panel_support import (  # noqa: F401
    JSON,
    ORDER,
    PANEL_MARKS,
    by_id,
    ctx_fixture,
    current_execution,
    last_bubble,
    open_panel,
    reply,
    sample_flow,
    start,
)

pytestmark = PANEL_MARKS
TOOLTIP = "Answered by the mock set in the Mocks tab; no request was sent"


def mocked_badges_of(page, step_list: bool = False):
    if step_list:
        return by_id(page, "step-list").locator("[data-testid='step-mocked']")
    return by_id(page, "transcript").locator("[data-testid='step-mocked']")


def test_a_mocked_http_step_shows_a_mocked_badge(ctx, asgi_live_server, team):
    flow = sample_flow(team, "sms-chatbot")
    WidgetMock.objects.create(
        flow=flow, widget="http_order_lookup", status=200, headers=JSON, body=json.dumps(ORDER)
    )
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "message", body="Hi")
    reply(page, "1")
    expect(last_bubble(page)).to_contain_text("What is your order number?")
    expect(mocked_badges_of(page)).to_have_count(0)
    reply(page, "owl-10492")
    expect(last_bubble(page)).to_contain_text("shipped on 2 May")

    badge = mocked_badges_of(page)
    expect(badge).to_have_count(1)
    expect(badge).to_have_text("Mocked 200")
    expect(badge).to_have_attribute("title", TOOLTIP)
    line = by_id(page, "transcript-step").filter(has=page.locator("[data-testid='step-mocked']"))
    expect(line).to_contain_text("http_order_lookup")

    page.reload()
    expect(by_id(page, "panel-test")).to_be_visible()
    expect(mocked_badges_of(page)).to_have_text("Mocked 200")
    by_id(page, "test-tab-steps").click()
    listed = mocked_badges_of(page, step_list=True)
    expect(listed).to_have_count(1)
    expect(listed).to_have_attribute("title", TOOLTIP)
    badge_inside = page.locator("[data-testid='step-mocked']")
    step = by_id(page, "step-list").locator("button").filter(has=badge_inside)
    expect(step).to_have_attribute("data-from", "http_order_lookup")

    execution = current_execution(page)
    detail = reverse("execution_detail", args=[flow.sid, execution.sid])
    page.goto(f"{asgi_live_server.url}{detail}")
    on_page = page.locator("[data-testid='step-mocked']")
    expect(on_page).to_have_count(1)
    expect(on_page).to_have_text("Mocked 200")
    expect(on_page).to_have_attribute("title", TOOLTIP)


def test_the_minimap_choice_is_remembered_across_a_reload(ctx, asgi_live_server, team):
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    minimap, toggle = page.locator(".react-flow__minimap"), by_id(page, "minimap")
    expect(minimap).to_have_count(1)  # a small flow shows it until the tester says otherwise
    expect(toggle).to_be_checked()

    toggle.uncheck()
    expect(minimap).to_have_count(0)
    page.reload()
    page.wait_for_selector(".react-flow__node")
    expect(by_id(page, "minimap")).not_to_be_checked()
    expect(minimap).to_have_count(0)
    # Every flow of this browser keeps the choice.
    other = sample_flow(team, "conversations-tutorial")
    page.goto(f"{asgi_live_server.url}/flows/{other.sid}/")
    page.wait_for_selector(".react-flow__node")
    expect(minimap).to_have_count(0)

    by_id(page, "minimap").check()
    expect(minimap).to_have_count(1)
    page.reload()
    page.wait_for_selector(".react-flow__node")
    expect(by_id(page, "minimap")).to_be_checked()
    expect(page.locator(".react-flow__minimap")).to_have_count(1)
