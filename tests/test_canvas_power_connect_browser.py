"""Connecting as someone who builds large flows every day does: a transition's next widget
chosen in the inspector, dropped anywhere on a widget, undone from a list; what a rename
rewrites. Selecting and keyboard moves: test_canvas_power_browser.py.

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


def test_the_inspector_connects_each_transition_to_a_widget_chosen_by_name(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_1")
    sent = page.locator("[data-testid='inspector'] [data-testid='next-0']")
    assert sent.input_value() == ""
    assert sent.get_attribute("aria-label") == "Next widget after Sent"
    sent.select_option("send_message_3")
    page.wait_for_selector("[data-testid='rf__edge-send_message_1:0']")
    wait_saved(page)
    assert exported(tutorial)["send_message_1"]["transitions"][0]["next"] == "send_message_3"

    # A split: No Match and every condition say where they go, and change it.
    page.keyboard.press("Escape")
    select(page, "split_1")
    conditions = page.locator("[data-testid='inspector'] [data-testid='conditions']")
    assert conditions.get_by_label("Next widget after No Match").input_value() == "send_message_3"
    first = conditions.locator("[data-testid='condition-0'] [data-testid='next-1']")
    assert first.input_value() == "send_message_1"
    first.select_option("send_message_2")
    wait_saved(page)
    assert exported(tutorial)["split_1"]["transitions"][1]["next"] == "send_message_2"
    first.select_option("")  # not connected
    wait_saved(page)
    assert "next" not in exported(tutorial)["split_1"]["transitions"][1]

    # Each choice is one step of undo.
    page.locator(".react-flow__pane").click(position={"x": 30, "y": 400})
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")
    page.wait_for_function(
        "() => window.__canvas.getDoc().states.find(s => s.name === 'split_1')"
        ".transitions[1].next === 'send_message_1'"
    )
    wait_saved(page)
    assert exported(tutorial)["split_1"]["transitions"][1]["next"] == "send_message_1"


def test_a_rename_says_which_widgets_liquid_it_rewrote(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_and_reply_1")
    name = page.locator("[data-testid='inspector'] [data-testid='widget-name']")
    name.fill("ask")
    name.press("Enter")
    wait_saved(page)
    notice = page.locator("[data-testid='notice-text']")
    notice.wait_for()
    assert notice.text_content() == (
        "Renamed send_and_reply_1 to ask; "
        "the Liquid referring to it in split_1 now says widgets.ask."
    )
    assert exported(tutorial)["split_1"]["properties"]["input"] == "{{widgets.ask.inbound.Body}}"

    # A widget nobody refers to is renamed without a word.
    page.locator("[data-testid='notice'] button").click()
    select(page, "send_message_1")
    name.fill("thanks")
    name.press("Enter")
    wait_saved(page)
    page.wait_for_selector("[data-testid='widget-thanks']")
    assert page.locator("[data-testid='notice-text']").count() == 0


def test_undo_works_from_a_list_or_a_check_box_just_changed(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_1")
    inspector = page.locator("[data-testid='inspector']")
    chooser = inspector.locator("[data-testid='next-0']")
    chooser.focus()  # as a click that opens the list leaves it
    chooser.select_option("send_message_3")
    wait_saved(page)
    # The focus is still on the list: Ctrl+Z undoes the connection all the same.
    page.keyboard.press("Control+z")
    page.wait_for_selector("[data-testid='rf__edge-send_message_1:0']", state="detached")
    wait_saved(page)
    assert "next" not in exported(tutorial)["send_message_1"]["transitions"][0]

    box = inspector.get_by_label("Use link shortening")
    box.check()
    wait_saved(page)
    assert exported(tutorial)["send_message_1"]["properties"]["shorten_urls"] is True
    page.keyboard.press("Control+z")
    page.wait_for_function(
        "() => !window.__canvas.getDoc().states.find(s => s.name === 'send_message_1')"
        ".properties.shorten_urls"
    )
    wait_saved(page)
    assert not exported(tutorial)["send_message_1"]["properties"].get("shorten_urls")

    # Text still keeps its own undo: Ctrl+Z there leaves the canvas's alone.
    page.keyboard.press("Control+y")
    page.wait_for_function(
        "() => window.__canvas.getDoc().states.find(s => s.name === 'send_message_1')"
        ".properties.shorten_urls === true"
    )
    body = inspector.locator("[data-testid='field-body']")
    body.click()
    page.keyboard.press("End")
    page.keyboard.type("!")
    page.keyboard.press("Control+z")
    page.wait_for_timeout(300)
    assert page.evaluate(
        "() => window.__canvas.getDoc().states.find(s => s.name === 'send_message_1')"
        ".properties.shorten_urls"
    )


def drag_transition(page, handle: str, x: float, y: float) -> None:
    box = page.locator(f"[data-testid='{handle}']").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(x, y, steps=12)
    page.mouse.up()


def test_a_transition_dropped_anywhere_on_a_widget_connects_to_it(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    target = page.locator("[data-testid='widget-send_message_3']").bounding_box()
    drag_transition(
        page,
        "handle-send_message_1-0",
        target["x"] + target["width"] / 2,
        target["y"] + target["height"] / 2,
    )
    page.wait_for_selector("[data-testid='rf__edge-send_message_1:0']")
    wait_saved(page)
    assert exported(tutorial)["send_message_1"]["transitions"][0]["next"] == "send_message_3"

    # Dropped back on its own widget, on the Trigger or on the empty canvas: nothing.
    own = page.locator("[data-testid='widget-send_message_2'] .w-head").bounding_box()
    drag_transition(page, "handle-send_message_2-1", own["x"] + 30, own["y"] + 10)
    trigger = page.locator("[data-testid='widget-Trigger'] .w-head").bounding_box()
    drag_transition(page, "handle-send_message_2-1", trigger["x"] + 30, trigger["y"] + 10)
    pane = page.locator(".react-flow__pane").bounding_box()
    drag_transition(page, "handle-send_message_2-1", pane["x"] + 40, pane["y"] + 300)
    page.wait_for_timeout(500)
    wait_saved(page)
    assert "next" not in exported(tutorial)["send_message_2"]["transitions"][1]
