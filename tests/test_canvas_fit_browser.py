"""Fits the canvas makes by itself (after Tidy up, an import, or choosing what to compare)
fit the flow into the part of the canvas the inspector and the panels leave visible, as
Fit view does (editor/frontend/src/fit.js; Fit view itself: test_test_panel_edges_browser.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from editor import services
from editor.models import Status
from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401 (a fixture)
    open_flow,
    select,
    wait_saved,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


def wide(steps: int, dx: int = 0) -> dict[str, Any]:
    """Trigger, then a row of Send Messages 600 px apart: wider than the canvas at zoom 1."""
    names = [f"step_{n}" for n in range(1, steps + 1)]
    trigger = {
        "name": "Trigger",
        "type": "trigger",
        "transitions": [{"event": "incomingMessage", "next": names[0]}],
        "properties": {"offset": {"x": dx, "y": 0}},
    }
    sends = [
        {
            "name": name,
            "type": "send-message",
            "transitions": [
                {"event": "sent", **({"next": names[n + 1]} if n + 1 < steps else {})},
                {"event": "failed"},
            ],
            "properties": {
                "offset": {"x": dx + 600 * n, "y": 240},
                "from": "{{flow.channel.address}}",
                "to": "{{contact.channel.address}}",
                "body": f"Message {n + 1}",
            },
        }
        for n, name in enumerate(names)
    ]
    return {"description": "Wide", "states": [trigger, *sends], "initial_state": "Trigger"}


def hidden(page: Any) -> list[str]:
    """The widgets not wholly in the canvas's visible part: off the canvas, or (partly)
    under the inspector or a panel lying over its right side."""
    return page.evaluate(
        """() => {
            const box = (e) => e.getBoundingClientRect();
            const canvas = box(document.querySelector("[data-testid='canvas']"));
            const over = document.querySelectorAll('.cv-body > :is(.cv-panel, .cv-inspector)');
            const right = Math.min(canvas.right, ...[...over].map((e) => box(e).left));
            const nodes = [...document.querySelectorAll('.react-flow__node-widget')];
            return nodes.filter((n) => {
                const r = box(n);
                const off = r.left < canvas.left || r.top < canvas.top || r.bottom > canvas.bottom;
                return off || r.right > right;
            }).map((n) => n.dataset.id);
        }"""
    )


def wait_all_shown(page: Any) -> None:
    page.wait_for_function(
        "() => document.querySelectorAll('.react-flow__node-widget').length > 0", timeout=5000
    )
    page.wait_for_timeout(600)  # the fit waits for the nodes' sizes, then animates
    assert hidden(page) == []


def look_away(page: Any) -> None:
    page.evaluate("() => window.__canvas.flow.setViewport({x: 6000, y: 6000, zoom: 1})")
    page.wait_for_timeout(100)
    assert hidden(page), "nothing shows before the fit"


def test_tidy_up_fits_the_flow_beside_the_test_panel(context, asgi_live_server, team):
    flow = services.create_flow(team, friendly_name="Wide", definition=wide(6))
    page = open_flow(context, asgi_live_server, flow.sid)
    page.click("[data-testid='test-open']")
    page.wait_for_selector("[data-testid='panel-test']")
    look_away(page)

    page.click("[data-testid='tidy']")
    wait_saved(page)
    wait_all_shown(page)


def test_an_import_fits_what_it_brought_beside_the_inspector(context, asgi_live_server, team):
    flow = services.create_flow(team, friendly_name="Wide", definition=wide(3))
    page = open_flow(context, asgi_live_server, flow.sid)
    select(page, "step_1")
    page.wait_for_selector("[data-testid='inspector']")
    page.click("[data-testid='tab-io']")
    page.fill("[data-testid='import-text']", json.dumps(wide(6, dx=5000)))
    page.click("[data-testid='import-submit']")
    page.wait_for_selector("[data-testid='widget-step_6']")
    page.wait_for_selector("[data-testid='panel-io']", state="detached")
    wait_saved(page)
    assert page.locator("[data-testid='inspector']").count() == 1  # step_1 is still selected
    wait_all_shown(page)


def test_choosing_what_to_compare_fits_it_beside_the_inspector(context, asgi_live_server, team):
    flow = services.create_flow(
        team, friendly_name="Wide", definition=wide(6), status=Status.PUBLISHED
    )
    page = open_flow(context, asgi_live_server, flow.sid)
    page.click("[data-testid='compare-open']")
    page.wait_for_selector("[data-testid='compare-same']")
    page.wait_for_timeout(600)
    select(page, "step_1", force=True)
    page.wait_for_selector("[data-testid='compare-inspector']")
    assert hidden(page), "the inspector lies over the flow fitted without it"

    page.select_option("[data-testid='compare-from']", "1")
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='compare-from']\").value === '1'"
    )
    page.wait_for_selector("[data-testid='compare-same']")
    wait_all_shown(page)


def test_fit_view_still_fits_after_widgets_were_edited(context, asgi_live_server, team):
    """An edited widget is a new node object: React Flow must not take it for unmeasured
    and hold the fit until it is resized (editor/frontend/src/graph.js)."""
    flow = services.create_flow(team, friendly_name="Wide", definition=wide(4))
    page = open_flow(context, asgi_live_server, flow.sid)
    page.evaluate(
        """() => window.__canvas.sync.edit([
            {op: 'move_widgets', offsets: {step_2: {x: 900, y: 600}, step_4: {x: 2000, y: 700}}},
        ])"""
    )
    wait_saved(page)
    look_away(page)
    page.click("[data-testid='fit']")
    wait_all_shown(page)
