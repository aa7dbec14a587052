"""A selected widget is never left under the minimap, which moves left beside the inspector
when it opens (editor/frontend/src/canvas.css): the pan that reveals a widget clicked, or
jumped to (Find, the Problems' links), keeps clear of where the minimap is then
(editor/frontend/src/reveal.js)."""

from __future__ import annotations

from typing import Any

import pytest

from editor import services
from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401 (a fixture)
    open_flow,
    select,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]

COLUMNS, ROWS = 5, 3


def grid() -> dict[str, Any]:
    """Trigger, then Send Messages in rows and columns: a flow that fills the canvas."""
    names = [f"step_{n}" for n in range(1, COLUMNS * ROWS + 1)]
    trigger = {
        "name": "Trigger",
        "type": "trigger",
        "transitions": [{"event": "incomingMessage", "next": names[0]}],
        "properties": {"offset": {"x": 0, "y": 0}},
    }
    sends = [
        {
            "name": name,
            "type": "send-message",
            "transitions": [
                {"event": "sent", **({"next": names[n + 1]} if n + 1 < len(names) else {})},
                {"event": "failed"},
            ],
            "properties": {
                "offset": {"x": 420 * (n % COLUMNS), "y": 260 + 260 * (n // COLUMNS)},
                "from": "{{flow.channel.address}}",
                "to": "{{contact.channel.address}}",
                "body": f"Message {n + 1}",
            },
        }
        for n, name in enumerate(names)
    ]
    return {"description": "Grid", "states": [trigger, *sends], "initial_state": "Trigger"}


UNDER_MINIMAP = """(name) => {
    const box = (e) => e.getBoundingClientRect();
    const minimap = document.querySelector('.cv-canvas .react-flow__minimap');
    const node = document.querySelector(`.cv-canvas .react-flow__node[data-id='${name}']`);
    if (!minimap || !node) return null;
    const m = box(minimap), n = box(node);
    return n.left < m.right && m.left < n.right && n.top < m.bottom && m.top < n.bottom;
}"""


@pytest.mark.parametrize("size,panel", [((1600, 1000), None), ((1150, 700), "problems")])
def test_a_widget_clicked_is_never_under_the_minimap(context, asgi_live_server, team, size, panel):
    """Each widget in turn, clicked from a fitted view: the inspector opens, the minimap
    moves beside it (compact in a narrow window), and the widget is not under it."""
    flow = services.create_flow(team, friendly_name="Grid", definition=grid())
    page = open_flow(context, asgi_live_server, flow.sid)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    if panel:
        page.click(f"[data-testid='tab-{panel}']")
    page.wait_for_selector(".react-flow__minimap")
    page.wait_for_timeout(600)  # the first fit
    under = []
    for n in range(1, COLUMNS * ROWS + 1):
        name = f"step_{n}"
        page.click("[data-testid='fit']")
        page.wait_for_timeout(400)
        if page.evaluate(UNDER_MINIMAP, name):
            continue  # not clickable now; the fit keeps clear of the minimap, so none is
        select(page, name)
        page.wait_for_selector("[data-testid='inspector']")
        page.wait_for_timeout(600)  # the pan that reveals it
        if page.evaluate(UNDER_MINIMAP, name):
            under.append(name)
        page.keyboard.press("Escape")
        page.wait_for_selector("[data-testid='inspector']", state="detached")
    assert under == [], (under, size, panel)


def test_a_widget_found_on_a_zoomed_in_canvas_is_not_left_under_the_minimap(
    context, asgi_live_server, team
):
    """Find (and the Problems' links) centre the widget beside the panels at the zoom the
    canvas has; zoomed in, in a short window, the centred widget reached under the minimap."""
    flow = services.create_flow(team, friendly_name="Grid", definition=grid())
    page = open_flow(context, asgi_live_server, flow.sid)
    page.set_viewport_size({"width": 1600, "height": 620})
    page.click("[data-testid='tab-problems']")
    page.wait_for_selector(".react-flow__minimap")
    page.evaluate("() => window.__canvas.flow.setViewport({x: 0, y: 0, zoom: 2})")
    page.keyboard.press("Control+f")
    page.fill("[data-testid='find-input']", "step_7")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid='inspector']")
    page.wait_for_timeout(1000)  # the centring, then any pan clear of the minimap
    assert page.evaluate(UNDER_MINIMAP, "step_7") is False
