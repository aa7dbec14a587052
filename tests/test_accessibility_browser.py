"""Keyboard and screen-reader use of the pages: controls have names, dialogs and modes take
the keyboard in and give it back, and text reads against its background (WCAG 2.1 AA:
4.5:1 for text, 3:1 for a focus ring).

Playwright drives Debian's chromium against the ASGI live server (tests/browser_support.py).
Contrast is computed here from the colours the browser resolved, not from pixels.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401 (a fixture)
    open_flow,
    select,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]

# The element's text colour and the colour of the first ancestor (or itself) with an opaque
# background, as the browser resolved them ("rgb(r, g, b)").
COLOURS = """(el) => {
  const fg = getComputedStyle(el).color;
  let node = el;
  while (node) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== 'transparent' && !bg.startsWith('rgba(0, 0, 0, 0')) return [fg, bg];
    node = node.parentElement;
  }
  return [fg, 'rgb(255, 255, 255)'];
}"""


def luminance(colour: str) -> float:
    channels = [int(c) / 255 for c in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(first: str, second: str) -> float:
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_contrast(locator) -> float:
    fg, bg = locator.evaluate(COLOURS)
    return ratio(fg, bg)


def test_compare_mode_takes_the_keyboard_in_names_its_sides_and_gives_it_back(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.locator("[data-testid='compare-open']").focus()
    page.keyboard.press("Enter")
    # The Compare button is disabled while comparing: the keyboard moves to the first side
    # instead of falling back to the page's start.
    expect(page.get_by_role("combobox", name="Compare from")).to_be_focused()
    expect(page.get_by_role("combobox", name="Compare to")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("[data-testid='compare-bar']")).to_have_count(0)
    expect(page.locator("[data-testid='compare-open']")).to_be_focused()


def test_the_import_fields_have_names(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.click("[data-testid='tab-io']")
    expect(page.get_by_label("Studio flow JSON to import")).to_be_visible()
    expect(page.get_by_label("Import from a Studio JSON file")).to_have_attribute("type", "file")


def test_muted_text_and_unwired_outputs_read_against_their_background(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    breadcrumbs = page.locator(".breadcrumbs").first
    assert text_contrast(breadcrumbs) >= 4.5
    unwired = page.locator(".w-out:not(.is-wired) .w-out-label").first
    expect(unwired).to_be_visible()
    assert text_contrast(unwired) >= 4.5
    # A link inside a line of text is underlined, not told apart by its colour alone.
    link = breadcrumbs.locator("a").first
    assert "underline" in link.evaluate("(el) => getComputedStyle(el).textDecorationLine")

    page.goto(f"{asgi_live_server.url}/profile/")
    sid = page.locator(".sid").first
    expect(sid).to_be_visible()
    assert text_contrast(sid) >= 4.5


def test_the_focus_ring_stands_out_from_the_page(context, asgi_live_server, tutorial):
    page = context.new_page()
    page.goto(f"{asgi_live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    style = focused.evaluate(
        "(el) => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineColor]"
    )
    assert style[0] != "none"
    body = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert ratio(style[1], body) >= 3
    assert ratio(style[1], "rgb(255, 255, 255)") >= 3


def test_escape_closes_the_account_and_more_menus_and_gives_the_keyboard_back(
    context, asgi_live_server, tutorial
):
    page = context.new_page()
    page.goto(f"{asgi_live_server.url}/")
    account = page.locator("details.account")
    account.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(account).to_have_attribute("open", "")
    page.keyboard.press("Tab")  # into the menu
    page.keyboard.press("Escape")
    expect(account).not_to_have_attribute("open", "")
    expect(account.locator("summary")).to_be_focused()

    more = page.locator("details.row-menu").first
    page.keyboard.press("Enter")  # the account menu again, then the row's More menu
    more.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(more).to_have_attribute("open", "")
    expect(account).not_to_have_attribute("open", "")  # one menu open at a time
    page.keyboard.press("Escape")
    expect(more).not_to_have_attribute("open", "")
    expect(more.locator("summary")).to_be_focused()


def test_notices_are_said_in_a_live_region_that_was_on_the_page_first(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    region = page.locator("[data-testid='notice-region']")
    expect(region).to_have_attribute("role", "status")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_be_empty()
    select(page, "send_message_1")
    page.keyboard.press("Control+c")
    expect(region.locator("[data-testid='notice-text']")).not_to_be_empty()
    expect(page.get_by_role("button", name="Close the notice")).to_be_visible()


def test_a_transition_reached_with_tab_shows_it_has_the_keyboard(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.locator("[data-testid='library'] button").last.focus()
    page.keyboard.press("Tab")
    edge = page.locator(".react-flow__edge:focus")
    expect(edge).to_have_count(1)
    stroke = edge.locator(".react-flow__edge-path").evaluate(
        "(el) => [getComputedStyle(el).strokeWidth, getComputedStyle(el).stroke]"
    )
    assert float(stroke[0].removesuffix("px")) >= 3
    body = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert ratio(stroke[1], body) >= 3


@pytest.mark.parametrize(
    ("opener", "title"), [("publish-open", "Publish"), ("tab-io", "Import / export")]
)
def test_a_side_panel_takes_the_keyboard_in_and_escape_gives_it_back(
    context, asgi_live_server, tutorial, opener, title
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.locator(f"[data-testid='{opener}']").focus()
    page.keyboard.press("Enter")
    # The panel comes after the whole canvas in the page: the keyboard goes to its heading
    # rather than staying on the toolbar, forty Tabs away.
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_focused()
    expect(page.get_by_role("button", name=f"Close {title}")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".cv-panel-head")).to_have_count(0)
    expect(page.locator(f"[data-testid='{opener}']")).to_be_focused()


def test_the_shortcuts_dialog_is_a_modal_that_holds_the_keyboard_and_gives_it_back(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    opener = page.get_by_role("button", name="Keyboard shortcuts", exact=True)
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_have_attribute("aria-modal", "true")
    close = dialog.get_by_role("button", name="Close")
    expect(close).to_be_focused()
    page.keyboard.press("Tab")
    expect(close).to_be_focused()  # not out behind the overlay
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(opener).to_be_focused()


def test_find_says_which_widget_is_picked(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.locator(".react-flow__pane").click()
    page.keyboard.press("Control+f")
    find = page.get_by_role("combobox", name="Find a widget by name or text")
    expect(find).to_be_focused()
    find.fill("send_message")
    first = page.get_by_role("option", name="send_message_1")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(find).to_have_attribute("aria-activedescendant", first.get_attribute("id"))


def test_a_split_conditions_buttons_say_which_condition_they_act_on(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "split_1")
    conditions = page.locator("[data-testid='conditions']")
    # Each condition has its own move up, move down and remove buttons: a screen reader
    # hears which condition each acts on, not one "Move up" after another.
    for name in ("Move condition 1 up", "Move condition 1 down", "Remove condition 1"):
        expect(conditions.get_by_role("button", name=name, exact=True)).to_have_count(1)
