"""Compare mode and the publish dialog's changes in a real browser (docs/revisions.md):
edit a widget, add one, remove one and move one, then compare the draft with the
published revision and see each coloured, the transitions drawn as added or removed and
the per-property word diff in the inspector."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from editor import services
from editor.models import Status
from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401 (a fixture)
    open_flow,
    select,
    wait_saved,
)
from tests.sync_support import GOODBYE, definition
from tests.test_canvas_browser import connect, drop

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


def classes(page, name: str) -> str:
    return page.locator(f"[data-testid='widget-{name}']").get_attribute("class") or ""


def edit_and_add(page, source: str) -> None:
    """Change say_hello's body by a word, add a Send Message and wire `source` to it."""
    select(page, "say_hello")
    field = page.locator("[data-testid='inspector'] [data-testid='field-body']")
    field.fill("Hello dear friend")
    field.blur()
    drop(page, "send-message", 520, 260)
    page.wait_for_selector("[data-testid='widget-send_message_1']")
    # Its body written: a Send Message with nothing to send is a linter error, and publishing
    # it would ask "Publish anyway" (editor/lint/required.py).
    inspector = page.locator("[data-testid='inspector']")
    expect(inspector.locator("[data-testid='widget-name']")).to_have_value("send_message_1")
    body = inspector.locator("[data-testid='field-body']")
    body.fill("See you")
    body.blur()
    connect(page, source, 0, "send_message_1")
    wait_saved(page)


def test_compare_the_draft_with_the_published_revision(context, asgi_live_server, team):
    start = definition("Hello there friend", extra=[{**GOODBYE, "name": "say_goodbye"}])
    start["states"][1]["transitions"][0]["next"] = "say_goodbye"
    flow = services.create_flow(
        team, friendly_name="Compared", definition=start, status=Status.PUBLISHED
    )
    page = open_flow(context, asgi_live_server, flow.sid)
    page.locator(".react-flow__controls-zoomout").click()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    edit_and_add(page, "say_goodbye")
    # A move and a removal, through the canvas's own edit path.
    page.evaluate(
        """() => window.__canvas.sync.edit([
            {op: 'move_widgets', offsets: {Trigger: {x: 160, y: -40}}},
        ])"""
    )
    wait_saved(page)
    select(page, "say_hello")
    page.keyboard.press("Delete")
    page.wait_for_selector("[data-testid='widget-say_hello']", state="detached")
    wait_saved(page)

    page.click("[data-testid='compare-open']")
    page.wait_for_selector("[data-testid='compare-legend']")
    assert page.locator("[data-testid='compare-from']").input_value() == "published"
    assert page.locator("[data-testid='compare-to']").input_value() == "draft"
    assert "cmp-added" in classes(page, "send_message_1")
    assert "cmp-removed" in classes(page, "say_hello")  # ghosted where it was
    assert "cmp-moved" in classes(page, "Trigger")
    assert "cmp-" not in classes(page, "say_goodbye")
    page.wait_for_selector("[data-testid='old-position-Trigger']")
    colour = page.locator("[data-testid='widget-send_message_1']").evaluate(
        "el => getComputedStyle(el).borderLeftColor"
    )
    assert colour == "rgb(22, 163, 74)"
    assert page.locator(".react-flow__edge.cmp-edge-added").count() == 1
    # Trigger → say_hello and say_hello → say_goodbye went with say_hello.
    assert page.locator(".react-flow__edge.cmp-edge-removed").count() == 2
    # Editing is off: no library, no editable fields, nothing to drag or delete.
    assert page.locator("[data-testid='library-send-message']").count() == 0
    assert page.locator("[data-testid='save-draft']").count() == 0

    select(page, "say_hello", force=True)
    inspector = page.locator("[data-testid='compare-inspector']")
    assert inspector.get_attribute("data-status") == "removed"

    # Compare two revisions with a changed widget: save the draft, compare with the first.
    page.keyboard.press("Escape")
    page.wait_for_selector("[data-testid='compare-bar']", state="detached")
    services.save_draft(flow)
    page.click("[data-testid='compare-open']")
    page.wait_for_selector("[data-testid='compare-legend']")
    page.select_option("[data-testid='compare-from']", "1")
    page.select_option("[data-testid='compare-to']", "2")
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='compare-to']\").value === '2'"
    )
    page.wait_for_selector("[data-testid='widget-send_message_1'].cmp-added")
    page.keyboard.press("Escape")
    page.wait_for_selector("[data-testid='compare-bar']", state="detached")
    assert "cmp-" not in classes(page, "send_message_1")
    assert page.locator("[data-testid='widget-say_hello']").count() == 0
    assert errors == []


def test_the_inspector_diffs_text_by_word_and_publish_lists_the_changes(
    context, asgi_live_server, team
):
    flow = services.create_flow(
        team,
        friendly_name="Words",
        definition=definition("Hello there friend"),
        status=Status.PUBLISHED,
    )
    page = open_flow(context, asgi_live_server, flow.sid)
    edit_and_add(page, "say_hello")

    page.click("[data-testid='compare-open']")
    page.wait_for_selector("[data-testid='compare-legend']")
    assert "cmp-changed" in classes(page, "say_hello")
    assert "cmp-added" in classes(page, "send_message_1")
    assert page.locator(".react-flow__edge.cmp-edge-added").count() == 1
    select(page, "say_hello")
    words = page.locator("[data-testid='compare-words-body']")
    assert words.locator("del").all_inner_texts() == ["there"]
    assert words.locator("ins").all_inner_texts() == ["dear"]
    assert page.locator("[data-testid='inspector'] [data-testid='field-body']").count() == 0
    # Someone else moves say_hello meanwhile: compared with the draft, the diff follows.
    flow.refresh_from_db()
    move = {"op": "move_widgets", "offsets": {"say_hello": {"x": 300, "y": 300}}}
    services.apply_edit(flow, base_version=flow.version, ops=[move], user=None)
    page.wait_for_selector("[data-testid='widget-say_hello'].cmp-moved-too")
    page.wait_for_selector("[data-testid='old-position-say_hello']")
    assert "Moved from (0, 200) to (300, 300)" in page.inner_text("[data-testid='compare-moved']")
    page.keyboard.press("Escape")
    page.wait_for_selector("[data-testid='compare-bar']", state="detached")

    page.click("[data-testid='publish-open']")
    page.wait_for_selector("[data-testid='publish-changes']")
    lines = page.locator("[data-testid='publish-change']").all_inner_texts()
    assert lines == [
        "changed say_hello: Message body",
        "moved say_hello",
        "added send_message_1 (Send Message)",
        "connected say_hello (Sent) to send_message_1",
    ]
    page.fill("[data-testid='commit-message']", "Say it warmly")
    page.click("[data-testid='publish']")
    page.wait_for_selector("[data-testid='flow-status']:has-text('Published')")
    page.wait_for_selector("[data-testid='unpublished']", state="detached")
    assert list(flow.revisions.order_by("revision").values_list("tags", flat=True)) == [
        ["widgets", "transitions", "settings"],
        ["layout", "widgets", "transitions", "properties"],
    ]
    page.click("[data-testid='tab-revisions']")
    page.wait_for_selector("[data-testid='revision-tag-2-properties']")
    assert page.locator("[data-testid='revision-tags-2'] .cmp-tag").all_inner_texts() == [
        "layout",
        "widgets",
        "transitions",
        "properties",
    ]
    page.click("[data-testid='tab-revisions']")
    page.click("[data-testid='publish-open']")
    page.wait_for_selector("[data-testid='publish-no-changes']")


def test_a_flow_never_published_says_there_is_nothing_published_to_compare_with(
    context, asgi_live_server, team
):
    flow = services.create_flow(team, friendly_name="New", definition=definition("Hello"))
    page = open_flow(context, asgi_live_server, flow.sid)

    page.click("[data-testid='compare-open']")
    missing = page.locator("[data-testid='compare-missing']")
    missing.wait_for()
    assert "no published revision to compare with" in missing.inner_text()
    # The draft is drawn as it is: nothing marked added, no legend counting it all.
    assert page.locator("[data-testid='compare-legend']").count() == 0
    assert page.locator(".cmp-added").count() == 0
    assert "cmp-" not in classes(page, "say_hello")
    assert page.locator(".react-flow__edge.cmp-edge-added").count() == 0
    select(page, "say_hello", force=True)
    inspector = page.locator("[data-testid='compare-inspector']")
    assert inspector.get_attribute("data-status") == "none"
    assert "Nothing is published" in inspector.inner_text()

    # A revision chosen instead is compared as usual.
    page.select_option("[data-testid='compare-from']", "1")
    page.wait_for_selector("[data-testid='compare-same']")
    assert page.locator("[data-testid='compare-missing']").count() == 0
