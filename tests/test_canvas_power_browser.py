"""The canvas as someone who builds large flows every day uses it: keyboard moves, cut, …

Playwright against the ASGI live server (tests/browser_support.py); results are checked
through the ORM.
"""

from __future__ import annotations

import pytest

from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401
    exported,
    open_flow,
    select,
    wait_saved,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


def offset(flow, name: str) -> dict:
    return exported(flow)[name]["properties"]["offset"]


def test_arrow_keys_move_the_selection_and_the_move_is_saved_as_one_edit(
    context, asgi_live_server, tutorial
):
    before = offset(tutorial, "send_message_1")
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_1")
    page.locator(".react-flow__node[data-id='send_message_1']").focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowDown")  # four steps at once
    page.wait_for_function(
        "() => window.__canvas.getDoc().states.find(s => s.name === 'send_message_1')"
        f".properties.offset.x === {before['x'] + 20}"
    )
    wait_saved(page)
    assert offset(tutorial, "send_message_1") == {"x": before["x"] + 20, "y": before["y"] + 20}

    # The run of keys is one step of undo.
    page.locator(".react-flow__pane").click(position={"x": 30, "y": 400})
    page.keyboard.press("Control+z")
    page.wait_for_function(
        "() => window.__canvas.getDoc().states.find(s => s.name === 'send_message_1')"
        f".properties.offset.x === {before['x']}"
    )
    wait_saved(page)
    assert offset(tutorial, "send_message_1") == before
