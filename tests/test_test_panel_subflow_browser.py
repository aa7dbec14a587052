"""A run waiting inside a subflow (Run Subflow) on the parent's canvas and in its Steps:
the subflow's widgets are not on this canvas, so its Run Subflow widget stands for them."""

from __future__ import annotations

from playwright.sync_api import expect

from editor import services
from tests.engine_support import trigger
from tests.panel_support import (  # noqa: F401
    PANEL_MARKS,
    by_id,
    ctx_fixture,
    has_class,
    open_panel,
    reply,
    start,
)
from tests.test_test_panel_channels_browser import make, widget

pytestmark = PANEL_MARKS


def collect_email(team):
    """A published subflow that asks for an email and keeps it in flow.variables."""
    child = make(
        team,
        "Collect email",
        [
            trigger(None, incomingParent="ask"),
            widget(
                "ask",
                "send-and-wait-for-reply",
                200,
                {"from": "{{flow.channel.address}}", "body": "Your email?", "timeout": "3600"},
                incomingMessage="keep",
                timeout=None,
                deliveryFailure=None,
            ),
            widget(
                "keep",
                "set-variables",
                400,
                {"variables": [{"key": "email", "value": "{{widgets.ask.inbound.Body}}"}]},
                next=None,
            ),
        ],
    )
    services.publish_flow(child)
    return child


def test_a_wait_in_a_subflow_is_shown_on_its_run_subflow_widget(ctx, asgi_live_server, team):
    child = collect_email(team)
    parent = make(
        team,
        "Sign-up",
        [
            trigger(None, incomingMessage="collect"),
            widget(
                "collect",
                "run-subflow",
                200,
                {"flow_sid": child.sid, "flow_revision": "LatestPublished", "parameters": []},
                completed="thanks",
                failed=None,
            ),
            widget(
                "thanks",
                "send-message",
                400,
                {"from": "{{flow.channel.address}}", "body": "Thanks, {{widgets.collect.email}}"},
                sent=None,
                failed=None,
            ),
        ],
    )
    page = open_panel(ctx, asgi_live_server, parent.sid)
    start(page, "message", body="Sign me up")
    expect(by_id(page, "bubble-out").last).to_contain_text("Your email?")
    # Nothing on this canvas was current, and no badge said the run waited.
    node = by_id(page, "widget-collect")
    expect(node).to_have_class(has_class("run-current"))
    expect(by_id(page, "run-badge-collect")).to_contain_text("in subflow, ask waiting for reply")

    # The subflow's step is listed as the subflow's, and choosing it shows collect, not
    # this flow's Trigger (the subflow's own Trigger step has the same "from").
    by_id(page, "test-tab-steps").click()
    expect(by_id(page, "step-1")).to_contain_text("in subflow · collect")
    expect(by_id(page, "step-0").locator("[data-testid=step-subflow]")).to_have_count(0)
    by_id(page, "step-1").click()
    expect(node).to_have_class(has_class("run-focused"))
    expect(by_id(page, "widget-Trigger")).not_to_have_class(has_class("run-focused"))

    by_id(page, "test-tab-run").click()
    reply(page, "me@example.com")
    expect(by_id(page, "bubble-out").last).to_contain_text("Thanks, me@example.com")
