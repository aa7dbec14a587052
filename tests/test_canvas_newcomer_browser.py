"""What a brand-new user sees on the canvas: every widget clear of the minimap after a fit,
widget names whole at a far zoom, no red count on a valid sample flow, revision dates
written as the flow page writes them, how to add a widget, and a split's fields named.

Playwright drives Debian's chromium against the ASGI live server (tests/browser_support.py).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from editor import services
from editor.flowspec.studio_json import new_document
from editor.samples import load_sample
from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401 (a fixture)
    exported,
    open_flow,
    select,
    wait_saved,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


def send(name: str, x: int, y: int) -> dict[str, Any]:
    return {
        "name": name,
        "type": "send-message",
        "transitions": [{"event": "sent"}, {"event": "failed"}],
        "properties": {
            "offset": {"x": x, "y": y},
            "from": "{{flow.channel.address}}",
            "to": "{{contact.channel.address}}",
            "body": "Hi",
        },
    }


def grid(columns: int, rows: int, dx: int, dy: int) -> dict[str, Any]:
    """Trigger, then Send Messages in a grid: its bottom right widget is in the corner of
    the fitted view, where the minimap is."""
    sends = [
        send(f"cell_{r}_{c}", dx * c, 240 + dy * r) for r in range(rows) for c in range(columns)
    ]
    trigger = {
        "name": "Trigger",
        "type": "trigger",
        "transitions": [{"event": "incomingMessage", "next": "cell_0_0"}],
        "properties": {"offset": {"x": 0, "y": 0}},
    }
    return {"description": "Grid", "states": [trigger, *sends], "initial_state": "Trigger"}


UNDER_MINIMAP = """() => {
    const box = (e) => e.getBoundingClientRect();
    const m = box(document.querySelector('.react-flow__minimap'));
    return [...document.querySelectorAll("[data-testid^='widget-']")].filter((e) => {
        const r = box(e);
        return r.left < m.right && m.left < r.right && r.top < m.bottom && m.top < r.bottom;
    }).map((e) => e.dataset.testid);
}"""


def test_no_widget_is_left_under_the_minimap_after_fit_view(context, asgi_live_server, team):
    flow = services.create_flow(team, friendly_name="Grid", definition=grid(4, 3, 600, 260))
    page = open_flow(context, asgi_live_server, flow.sid)
    page.wait_for_selector(".react-flow__minimap")
    page.wait_for_timeout(400)
    assert page.evaluate(UNDER_MINIMAP) == []
    # Zoomed in and panned away, Fit view brings every widget back, none under the minimap.
    page.evaluate("() => window.__canvas.flow.setViewport({x: -900, y: -700, zoom: 1.5})")
    page.get_by_test_id("fit").click()
    page.wait_for_timeout(500)
    assert page.evaluate(UNDER_MINIMAP) == []
    # With the inspector open too (the minimap sits beside it).
    page.get_by_test_id("widget-cell_0_0").click()
    page.wait_for_selector("[data-testid='inspector']")
    page.get_by_test_id("fit").click()
    page.wait_for_timeout(500)
    assert page.evaluate(UNDER_MINIMAP) == []


# For each character of the name, the top of its line box: the lines it is written on.
LINES = """(name) => {
    const el = document.querySelector(`[data-testid='widget-${name}'] .w-name`);
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const tops = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            tops.push([node.data[i], Math.round(range.getBoundingClientRect().top)]);
        }
    }
    const style = getComputedStyle(el);
    return { tops, title: el.title, clipped: el.scrollHeight > el.clientHeight + 1,
             ellipsis: style.textOverflow, lines: style.webkitLineClamp };
}"""


def test_widget_names_wrap_between_words_at_a_far_zoom(context, asgi_live_server, team):
    long = "ask_for_the_customer_appointment_date_and_time_of_day"
    definition = grid(1, 1, 0, 0)
    definition["states"][1]["name"] = "confirm_booking"
    definition["states"][0]["transitions"][0]["next"] = "confirm_booking"
    definition["states"].append(send(long, 400, 240))
    flow = services.create_flow(team, friendly_name="Names", definition=definition)
    page = open_flow(context, asgi_live_server, flow.sid)
    # At the usual zoom a name takes one line, cut with an ellipsis: the widget keeps its
    # height and its outputs stay inside it.
    page.evaluate("() => window.__canvas.flow.setViewport({x: 200, y: 200, zoom: 1})")
    page.wait_for_timeout(300)
    near = page.evaluate(LINES, long)
    assert len({top for _, top in near["tops"]}) == 1 and near["ellipsis"] == "ellipsis"
    height = "(el) => el.getBoundingClientRect().height"
    assert page.get_by_test_id(f"widget-{long}").evaluate(height) == 84
    page.evaluate("() => window.__canvas.flow.setViewport({x: 200, y: 200, zoom: 0.3})")
    page.wait_for_selector("[data-testid='widget-confirm_booking'].is-compact")

    for name in ("confirm_booking", long):
        seen = page.evaluate(LINES, name)
        tops = seen["tops"]
        assert "".join(c for c, _ in tops) == name
        # A new line starts only after an underscore, never inside a word.
        for (before, top), (_, next_top) in pairwise(tops):
            if next_top != top:
                assert before == "_", (name, before)
        assert seen["title"] == name
    # The short name wraps onto two lines between its words ("confirm_" / "booking").
    short = page.evaluate(LINES, "confirm_booking")["tops"]
    assert len({top for _, top in short}) == 2
    # The long one is cut after two lines, with an ellipsis, and is whole in the tooltip.
    cut = page.evaluate(LINES, long)
    assert cut["clipped"] and cut["ellipsis"] == "ellipsis" and cut["lines"] == "2"


def test_a_valid_sample_flow_shows_no_red_count_beside_problems(context, asgi_live_server, team):
    flow = services.create_flow(
        team, friendly_name="Reminder", definition=load_sample("appointment-reminder")
    )
    page = open_flow(context, asgi_live_server, flow.sid)
    warnings = page.get_by_test_id("lint-warning-count")
    warnings.wait_for()
    assert warnings.inner_text() == "▲3"
    assert "do not block publishing" in warnings.get_attribute("title")
    tab = page.get_by_test_id("tab-problems")
    red = "rgb(179, 38, 30)"  # --danger
    colours = tab.locator(".cv-count").evaluate_all(
        "(els) => els.map((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor])"
    )
    assert colours and all(red not in pair for pair in colours)
    assert tab.get_by_test_id("problem-count").count() == 0


def test_the_revisions_panel_dates_a_revision_as_the_flow_page_does(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.get_by_test_id("tab-revisions").click()
    shown = page.locator("[data-testid='revision-1'] time").inner_text()
    table = page.locator("[aria-labelledby='revisions-heading'] tbody time").last.text_content()
    assert shown == table
    assert "," in shown  # "Dec. 1, 2026, 2:05 p.m.", not the browser's own format


def test_the_library_says_how_to_add_a_widget(context, asgi_live_server, team):
    flow = services.create_flow(team, friendly_name="Empty", definition=grid(1, 1, 0, 0))
    page = open_flow(context, asgi_live_server, flow.sid)
    hint = page.get_by_test_id("library-hint")
    assert hint.is_visible()
    assert hint.inner_text() == "Drag a widget onto the canvas, or double-click it to add it."
    item = page.get_by_test_id("library-send-message")
    assert item.get_attribute("aria-describedby") == "library-hint"
    # A single click only focuses the item; a double-click adds the widget, as it says.
    item.click()
    page.wait_for_timeout(300)
    assert page.locator("[data-testid='widget-send_message_1']").count() == 0
    item.dblclick()
    page.wait_for_selector("[data-testid='widget-send_message_1']")


def test_a_split_condition_names_its_value_and_its_label(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "split_1")
    condition = page.get_by_test_id("condition-0")
    value = condition.get_by_label("Value", exact=True)
    label = condition.get_by_label("Label on the canvas", exact=True)
    # Each input has a label the user can read, not only a placeholder.
    shown = condition.locator("label.cv-condition-field > span").all_inner_texts()
    assert shown == ["Value", "Label on the canvas (optional)", "Then go to"]
    assert value.get_attribute("data-testid") == "condition-value-0"
    label.fill("Says yes")
    label.blur()
    wait_saved(page)
    split = exported(tutorial)["split_1"]
    assert split["transitions"][1]["conditions"][0]["friendly_name"] == "Says yes"


def connect_call(name: str = "dial_desk") -> dict[str, Any]:
    definition = grid(1, 1, 0, 0)
    definition["states"][1] = {
        "name": name,
        "type": "connect-call-to",
        "transitions": [{"event": "callCompleted"}, {"event": "hangup"}],
        "properties": {"offset": {"x": 0, "y": 240}, "noun": "number", "to": "+15550100"},
    }
    definition["states"][0]["transitions"] = [{"event": "incomingCall", "next": name}]
    return definition


def test_connect_call_to_shows_the_sip_fields_only_for_a_sip_endpoint(
    context, asgi_live_server, team
):
    flow = services.create_flow(team, friendly_name="IVR", definition=connect_call())
    page = open_flow(context, asgi_live_server, flow.sid)
    select(page, "dial_desk")
    inspector = page.get_by_test_id("inspector")

    def field(name: str) -> Any:
        return inspector.locator(f".cv-field[data-field='{name}']")

    field("caller_id").wait_for()
    assert field("sip_endpoint").count() == 0
    assert field("sip_password").count() == 0
    starred = """(el) => [...el.querySelectorAll('.cv-field')]
        .filter((f) => f.querySelector(':scope > label .cv-required'))
        .map((f) => f.dataset.field)"""
    # A number is dialled: To is needed (marked, and linted when empty).
    assert "to" in inspector.evaluate(starred)
    inspector.locator("[data-testid='field-noun']").select_option("sip")
    field("sip_endpoint").wait_for()
    assert field("sip_username").count() == 1
    marked = inspector.evaluate(starred)
    assert "sip_endpoint" in marked and "to" not in marked


def test_a_widget_added_from_the_library_goes_under_the_selected_one(
    context, asgi_live_server, team
):
    flow = services.create_flow(team, friendly_name="Chain", definition=grid(1, 1, 0, 0))
    page = open_flow(context, asgi_live_server, flow.sid)
    select(page, "cell_0_0")
    page.get_by_test_id("library-send-and-wait-for-reply").dblclick()
    page.wait_for_selector("[data-testid='widget-send_and_reply_1']")
    # The new widget is selected: the next one goes under it in turn.
    page.get_by_test_id("library-split-based-on").dblclick()
    page.wait_for_selector("[data-testid='widget-split_1']")
    wait_saved(page)
    states = exported(flow)
    offsets = {name: states[name]["properties"]["offset"] for name in states}
    # cell_0_0 is a Send Message at (0, 240), 220 wide; each new widget is centred under the
    # one before, 100 px below its bottom edge (84 px high).
    assert offsets["send_and_reply_1"]["y"] == 240 + 84 + 80
    assert offsets["split_1"]["y"] == offsets["send_and_reply_1"]["y"] + 84 + 80
    # Send & Wait For Reply's three outputs make it 312 px wide.
    assert offsets["send_and_reply_1"]["x"] + 312 / 2 == offsets["cell_0_0"]["x"] + 220 / 2


def test_a_widget_added_to_a_blank_flow_leaves_room_for_the_transition_from_the_trigger(
    context, asgi_live_server, team
):
    """Nothing selected, a double-click adds the widget in the middle of the view: on a new
    blank flow that is the Trigger's place, and the widget used to land 20 px under it, with
    no room to draw the transition. It keeps the distance of a widget added under a selected
    one (test_a_widget_added_from_the_library_goes_under_the_selected_one)."""
    flow = services.create_flow(team, friendly_name="Blank", definition=new_document("Blank"))
    page = open_flow(context, asgi_live_server, flow.sid)
    page.get_by_test_id("library-send-and-wait-for-reply").dblclick()
    page.wait_for_selector("[data-testid='widget-send_and_reply_1']")
    page.keyboard.press("Escape")
    page.get_by_test_id("library-send-message").dblclick()
    page.wait_for_selector("[data-testid='widget-send_message_1']")
    wait_saved(page)
    states = exported(flow)
    tops = sorted(s["properties"]["offset"]["y"] for s in states.values())
    gaps = [lower - (upper + 84) for upper, lower in pairwise(tops)]
    assert gaps == [80, 80], tops
