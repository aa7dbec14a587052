"""What a new user meets first on the canvas: names, pastes, Escape and Tidy up.

Playwright drives Debian's chromium against the ASGI live server (tests/browser_support.py);
results are checked through the ORM and the page's own state, not pixels.
"""

from __future__ import annotations

import pytest

from editor import services
from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401
    clipboard_context,
    exported,
    open_flow,
    select,
    wait_saved,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


def name_field(page):
    return page.locator("[data-testid='inspector'] [data-testid='widget-name']")


def test_a_taken_or_malformed_name_is_said_under_the_field_and_nothing_is_sent(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_1")
    field = name_field(page)
    field.fill("send_message_2")
    field.press("Enter")
    problem = page.locator("[data-testid='widget-name-problem']")
    assert problem.inner_text() == (
        "Another widget is already named send_message_2. "
        "Choose a different name for send_message_1."
    )
    assert field.get_attribute("aria-invalid") == "true"
    red = "rgb(179, 38, 30)"  # --danger
    assert field.evaluate("(el) => getComputedStyle(el).borderTopColor") == red
    # Nothing was refused: no banner, the save state is not an error, both widgets remain.
    assert page.locator("[data-testid='error-banner']").count() == 0
    assert page.locator("[data-testid='save-state']").get_attribute("data-state") == "saved"
    assert page.locator("[data-testid='widget-send_message_1']").count() == 1

    field.fill("2nd reply")
    field.blur()
    assert "cannot be a widget name: start with a letter" in problem.inner_text()

    # Escape puts the saved name back and the problem goes.
    field.focus()
    field.press("Escape")
    assert field.input_value() == "send_message_1"
    assert problem.count() == 0

    field.fill("confirm_yes")
    field.press("Enter")
    page.wait_for_selector("[data-testid='widget-confirm_yes']")
    wait_saved(page)
    assert "confirm_yes" in exported(tutorial)
    assert page.locator("[data-testid='widget-name-problem']").count() == 0


SHOWN = """(names) => {
    const canvas = document.querySelector('.cv-canvas').getBoundingClientRect();
    const side = document.querySelector('.cv-inspector');
    const right = side ? side.getBoundingClientRect().left : canvas.right;
    return names.map((name) => {
        const r = document.querySelector(`[data-testid='widget-${name}']`).getBoundingClientRect();
        return r.left >= canvas.left && r.top >= canvas.top && r.right <= right
            && r.bottom <= canvas.bottom;
    });
}"""


def test_pasted_and_added_widgets_are_brought_into_view(
    chromium, asgi_live_server, alice, tutorial
):
    ctx = clipboard_context(chromium, asgi_live_server, alice)
    try:
        page = open_flow(ctx, asgi_live_server, tutorial.sid)
        select(page, "send_message_1")
        select(page, "send_message_2", modifiers=["Shift"])
        page.keyboard.press("Control+c")
        page.wait_for_selector("[data-testid='notice']")
        # Zoomed in on the split: the free space nearest the paste spot is off screen.
        page.evaluate(
            """() => {
                const f = window.__canvas.flow;
                const split = f.getNode('split_1');
                f.setCenter(split.position.x + 150, split.position.y + 42, {zoom: 1.6});
            }"""
        )
        page.locator(".react-flow__pane").click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+v")
        page.wait_for_selector("[data-testid='widget-send_message_5']")
        page.wait_for_timeout(600)  # the pan's animation
        assert page.evaluate(SHOWN, ["send_message_4", "send_message_5"]) == [True, True]

        page.dblclick("[data-testid='library-make-http-request']")
        page.wait_for_selector("[data-testid='inspector'] [data-testid='field-url']")
        page.wait_for_timeout(600)
        assert page.evaluate(SHOWN, ["http_1"]) == [True]
        wait_saved(page)
    finally:
        ctx.close()


def test_escape_in_a_field_stays_there_and_outside_it_clears_the_selection(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_1")
    field = name_field(page)
    field.fill("not_this")
    field.press("Escape")
    assert field.input_value() == "send_message_1"
    assert page.locator("[data-testid='inspector']").count() == 1
    # Delete and Backspace in a field edit the text, never the widget.
    field.press("End")
    field.press("Backspace")
    field.press("Delete")
    assert page.locator("[data-testid='widget-send_message_1']").count() == 1

    select(page, "send_message_1")
    page.keyboard.press("Escape")
    page.wait_for_selector("[data-testid='inspector']", state="detached")
    assert page.evaluate("window.__canvas.store.state.selection") == []


def test_key_value_lists_are_labelled_groups_whose_inputs_have_names(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.dblclick("[data-testid='library-make-http-request']")
    page.wait_for_selector("[data-testid='inspector'] [data-testid='field-url']")
    group = page.get_by_role("group", name="HTTP parameters")
    group.get_by_role("button", name="+ Add").click()
    key = group.get_by_role("textbox", name="Key 1")
    key.fill("order")
    key.blur()
    value = group.get_by_role("textbox", name="Value 1")
    value.fill("{{trigger.message.Body}}")
    value.blur()
    wait_saved(page)
    assert exported(tutorial)["http_1"]["properties"]["parameters"] == [
        {"key": "order", "value": "{{trigger.message.Body}}"}
    ]
    assert group.get_by_role("button", name="Remove row 1").count() == 1
    # Every control of the inspector has a name a screen reader can say.
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll(
                "[data-testid='inspector'] input, [data-testid='inspector'] select,"
                + " [data-testid='inspector'] textarea")]
            .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
            .map((el) => el.outerHTML)"""
    )
    assert unnamed == []


def test_a_required_field_left_empty_is_shown_on_the_widget_and_under_the_field(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_1")
    field = page.locator("[data-testid='inspector'] [data-testid='field-from']")
    field.fill("")
    field.blur()
    finding = page.locator("[data-testid='inspector'] [data-testid='liquid-lint-empty-required']")
    finding.wait_for()
    text = finding.inner_text()
    assert text.startswith("Widget send_message_1 (Send Message): From is empty")
    assert "Fill in From, for example {{flow.channel.address}}." in text
    # The names read as code, not as backticks.
    assert "`" not in text
    assert finding.locator("code").all_inner_texts() == ["send_message_1"]
    badge = page.locator("[data-testid='lint-badge-send_message_1']")
    assert badge.get_attribute("data-severity") == "error"


def test_a_library_widget_is_added_from_the_keyboard(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    item = page.locator("[data-testid='library-say-play']")
    item.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid='widget-say_play_1']")
    wait_saved(page)
    assert exported(tutorial)["say_play_1"]["type"] == "say-play"
    # A single mouse click only focuses: nothing more is added.
    page.locator("[data-testid='library-send-message']").click()
    page.wait_for_timeout(300)
    assert page.locator("[data-testid='widget-send_message_4']").count() == 0


def test_the_publish_button_stays_in_sight_below_a_long_list(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.set_viewport_size({"width": 1280, "height": 720})
    for n in range(1, 7):  # each is unreachable and has unwired events: a long list
        page.dblclick("[data-testid='library-make-http-request']")
        page.wait_for_selector(f"[data-testid='widget-http_{n}']")
    wait_saved(page)
    page.click("[data-testid='publish-open']")
    page.wait_for_selector("[data-testid='publish-lint-findings']")
    on_top = page.evaluate(
        """() => {
            const b = document.querySelector("[data-testid='publish']").getBoundingClientRect();
            const x = b.left + b.width / 2, y = b.top + b.height / 2;
            return y < innerHeight && document.elementFromPoint(x, y).dataset.testid;
        }"""
    )
    assert on_top == "publish"


def test_the_split_inspector_speaks_of_no_match_as_its_output_reads(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "split_1")
    help_text = page.locator("[data-testid='conditions'] .cv-help").inner_text()
    assert "No Match" in help_text and "noMatch" not in help_text


def test_a_first_edit_of_a_published_flow_does_not_move_the_canvas(
    context, asgi_live_server, tutorial
):
    # The sample's name: with the "Unpublished changes" chip the title grew wider than
    # the room the actions left beside it at 1440 pixels, and the header wrapped.
    tutorial.friendly_name = "SMS chatbot"
    tutorial.save(update_fields=["friendly_name"])
    services.publish_flow(tutorial)
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.wait_for_selector("[data-testid='flow-status']:has-text('Published')")
    top = "() => document.querySelector('.cv-canvas').getBoundingClientRect().top"
    before = page.evaluate(top)
    page.click("[data-testid='tidy']")
    page.wait_for_selector("[data-testid='unpublished']")
    wait_saved(page)
    assert page.evaluate(top) == before


def test_the_panel_tabs_say_which_one_is_open(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    tab = page.locator("[data-testid='tab-revisions']")
    assert tab.get_attribute("aria-pressed") == "false"
    tab.click()
    assert tab.get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="Revisions", pressed=True).count() == 1
    tab.click()
    assert tab.get_attribute("aria-pressed") == "false"


def test_a_widget_reached_with_tab_shows_its_focus(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.locator("[data-testid='library-send-to-flex']").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('react-flow__node')"):
            break
    outline = page.evaluate(
        "getComputedStyle(document.activeElement.querySelector('.widget')).outlineStyle"
    )
    assert outline == "solid"
    # Enter on it selects it: the inspector opens on that widget.
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid='inspector']")


def test_a_new_flow_opens_with_its_whole_canvas_in_the_window(context, asgi_live_server, team):
    page = context.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{asgi_live_server.url}/flows/new/")
    page.fill("#id_friendly_name", "SMS bot")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_selector(".react-flow__node")
    assert "Created SMS bot" in page.locator(".messages").inner_text()
    bottom = page.evaluate("document.getElementById('flow-canvas').getBoundingClientRect().bottom")
    assert bottom <= 900


def test_a_widget_clicked_at_the_right_edge_is_not_left_under_the_inspector(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.evaluate(
        """() => {
            const f = window.__canvas.flow;
            const n = f.getNode('send_message_1');
            const width = document.querySelector('.cv-canvas').getBoundingClientRect().width;
            f.setViewport({x: width - 260 - n.position.x, y: 200 - n.position.y, zoom: 1});
        }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate(SHOWN, ["send_message_1"]) == [True]
    select(page, "send_message_1")
    page.wait_for_selector("[data-testid='inspector']")
    page.wait_for_timeout(600)  # the pan's animation
    assert page.evaluate(SHOWN, ["send_message_1"]) == [True]
