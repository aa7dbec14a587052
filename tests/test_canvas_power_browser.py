"""The canvas as someone who builds large flows every day uses it: selecting, keyboard moves,
cut and select all. Connecting and the inspector: test_canvas_power_connect_browser.py.

Playwright against the ASGI live server (tests/browser_support.py); results are checked
through the ORM.
"""

from __future__ import annotations

import json

import pytest

from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401
    clipboard_context,
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


def selected(page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('.react-flow__node.selected')].map(n => n.dataset.id)"
    )


def test_cut_and_paste_moves_widgets_with_the_transitions_between_them(
    chromium, asgi_live_server, alice, tutorial
):
    context = clipboard_context(chromium, asgi_live_server, alice)
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_and_reply_1")
    select(page, "split_1", modifiers=["Shift"])
    page.keyboard.press("Control+x")
    page.get_by_text("Cut 2 widgets.").wait_for()
    wait_saved(page)
    states = exported(tutorial)
    assert "send_and_reply_1" not in states and "split_1" not in states
    assert "next" not in states["Trigger"]["transitions"][0]
    fragment = json.loads(page.evaluate("() => navigator.clipboard.readText()"))
    assert [s["name"] for s in fragment["states"]] == ["send_and_reply_1", "split_1"]

    page.keyboard.press("Control+v")
    page.wait_for_selector("[data-testid='widget-split_1']")
    wait_saved(page)
    states = exported(tutorial)
    assert states["send_and_reply_1"]["transitions"][0]["next"] == "split_1"
    assert all("next" not in t for t in states["split_1"]["transitions"])  # left the cut

    # Undo takes back the paste, then the cut (with the Trigger's transition).
    page.locator(".react-flow__pane").click(position={"x": 30, "y": 400})
    page.keyboard.press("Control+z")
    page.wait_for_selector("[data-testid='widget-split_1']", state="detached")
    page.keyboard.press("Control+z")
    page.wait_for_selector("[data-testid='widget-split_1']")
    wait_saved(page)
    states = exported(tutorial)
    assert states["Trigger"]["transitions"][0]["next"] == "send_and_reply_1"
    assert states["split_1"]["transitions"][1]["next"] == "send_message_1"
    context.close()


def test_select_all_and_cut_are_left_to_a_field_being_typed_in(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.locator(".react-flow__pane").click(position={"x": 30, "y": 400})
    page.keyboard.press("Control+a")
    assert sorted(selected(page)) == sorted(exported(tutorial))

    page.keyboard.press("Escape")
    select(page, "send_message_1")
    body = page.locator("[data-testid='inspector'] [data-testid='field-body']")
    body.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Control+x")
    assert selected(page) == ["send_message_1"]
    assert body.input_value() == ""  # the field's own cut
    assert "send_message_1" in [
        s["name"] for s in page.evaluate("() => window.__canvas.getDoc().states")
    ]


def test_a_plain_click_on_one_widget_of_a_selection_selects_only_it(
    context, asgi_live_server, tutorial
):
    before = {n: offset(tutorial, n) for n in ("send_message_1", "send_message_2")}
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_1")
    select(page, "send_message_2", modifiers=["Shift"])
    select(page, "send_message_3", modifiers=["Shift"])
    assert len(selected(page)) == 3

    # Dragging one of them moves them all and keeps the selection.
    head = page.locator("[data-testid='widget-send_message_2'] .w-head").bounding_box()
    page.mouse.move(head["x"] + 10, head["y"] + 5)
    page.mouse.down()
    page.mouse.move(head["x"] + 50, head["y"] + 45, steps=6)
    page.mouse.up()
    wait_saved(page)
    assert len(selected(page)) == 3
    moved = offset(tutorial, "send_message_1")
    assert moved != before["send_message_1"]

    page.wait_for_timeout(400)  # the click that ends a drag is not a click on a widget
    select(page, "send_message_2")
    page.wait_for_function(
        "() => document.querySelectorAll('.react-flow__node.selected').length === 1"
    )
    assert selected(page) == ["send_message_2"]
    name = page.locator("[data-testid='inspector'] [data-testid='widget-name']")
    assert name.input_value() == "send_message_2"


def test_undo_right_after_arrow_keys_takes_the_move_back(context, asgi_live_server, tutorial):
    before = offset(tutorial, "send_message_1")
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_1")
    page.locator(".react-flow__node[data-id='send_message_1']").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Control+z")  # before the keys rest
    page.wait_for_timeout(800)
    wait_saved(page)
    assert page.evaluate("() => window.__canvas.sync.history.counts()") == {"undo": 0, "redo": 1}
    assert offset(tutorial, "send_message_1") == before
    node = page.locator(".react-flow__node[data-id='send_message_1']").bounding_box()
    page.keyboard.press("Control+y")
    page.wait_for_function(
        "() => window.__canvas.getDoc().states.find(s => s.name === 'send_message_1')"
        f".properties.offset.x === {before['x'] + 10}"
    )
    wait_saved(page)
    moved = page.locator(".react-flow__node[data-id='send_message_1']").bounding_box()
    assert moved["x"] > node["x"]


def box_select(page, first: str, last: str) -> None:
    a = page.locator(f"[data-testid='widget-{first}']").bounding_box()
    b = page.locator(f"[data-testid='widget-{last}']").bounding_box()
    page.keyboard.down("Shift")
    page.mouse.move(a["x"] - 20, a["y"] - 20)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] + 20, b["y"] + b["height"] + 15, steps=10)
    page.mouse.up()
    page.keyboard.up("Shift")


def test_a_click_inside_a_box_selection_selects_the_widget_under_it(
    context, asgi_live_server, tutorial
):
    before = offset(tutorial, "send_message_1")
    page = open_flow(context, asgi_live_server, tutorial.sid)
    box_select(page, "send_message_1", "send_message_2")
    assert sorted(selected(page)) == ["send_message_1", "send_message_2"]

    # Dragged by the gap between them, both move and stay selected.
    a = page.locator("[data-testid='widget-send_message_1']").bounding_box()
    x, y = a["x"] + a["width"] + 10, a["y"] + 10
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 40, steps=6)
    page.mouse.up()
    wait_saved(page)
    page.wait_for_function(
        "() => window.__canvas.getDoc().states.find(s => s.name === 'send_message_1')"
        f".properties.offset.x !== {before['x']}"
    )
    assert sorted(selected(page)) == ["send_message_1", "send_message_2"]

    page.wait_for_timeout(400)
    b = page.locator("[data-testid='widget-send_message_2']").bounding_box()
    page.mouse.click(b["x"] + 40, b["y"] + 12)
    page.wait_for_function(
        "() => document.querySelectorAll('.react-flow__node.selected').length === 1"
    )
    assert selected(page) == ["send_message_2"]
    name = page.locator("[data-testid='inspector'] [data-testid='widget-name']")
    assert name.input_value() == "send_message_2"


def test_a_paste_bigger_than_a_socket_frame_is_saved_and_undone_in_one_step(
    chromium, asgi_live_server, alice, tutorial
):
    # 40 widgets of 2,000 characters each: over the 64 KB one frame may carry.
    states = [
        {
            "name": f"notice_{i}",
            "type": "send-message",
            "transitions": [{"event": "sent", "next": f"notice_{i + 1}"}, {"event": "failed"}],
            "properties": {"body": "x" * 2000, "offset": {"x": 0, "y": 200 * i}},
        }
        for i in range(40)
    ]
    fragment = json.dumps({"states": states})
    context = clipboard_context(chromium, asgi_live_server, alice)
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.evaluate("text => navigator.clipboard.writeText(text)", fragment)
    page.locator(".react-flow__pane").click(position={"x": 30, "y": 400})
    page.keyboard.press("Control+v")
    page.wait_for_function("() => window.__canvas.getDoc().states.length === 46")
    page.wait_for_selector("[data-testid='save-state'][data-state='saved']", timeout=30_000)
    stored = exported(tutorial)
    assert len(stored) == 46
    assert stored["notice_0"]["transitions"][0]["next"] == "notice_1"

    page.locator(".react-flow__pane").click(position={"x": 30, "y": 400})
    page.keyboard.press("Control+z")
    page.wait_for_function("() => window.__canvas.getDoc().states.length === 6")
    wait_saved(page)
    assert len(exported(tutorial)) == 6
    context.close()
