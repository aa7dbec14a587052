"""Typing in an inspector field that someone else's change to the same field overtakes: the
field takes the value that reached the server first, and the one typing is told whose
change won and what they had typed (editor/frontend/src/drafts.js `DraftLost`), instead of
their text vanishing from the field unsaid (docs/protocol.md, "Concurrent edits")."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser_support import exported, open_flow, wait_saved
from tests.panel_support import PANEL_MARKS, by_id
from tests.test_coediting_browser import BODY, contexts, select
from tests.test_coediting_browser import field as named

pytestmark = PANEL_MARKS

THEIRS = {"op": "set_properties", "name": "send_message_1", "set": {"body": "Alice's words"}}
VERSION = "() => window.__canvas.store.state.version"


def typing_while(a, b, op: dict, text: str):
    """bob types `text` at the end of send_message_1's body, then alice sends `op`; bob goes
    on typing a "!" at a time until her change is in his page, so his draft is never left
    long enough (700 ms) to save itself first. Bob's field and what it held before the "!"s."""
    select(b, "send_message_1")
    field = b.locator(BODY)
    field.focus()
    b.keyboard.press("Control+End")
    b.keyboard.type(text, delay=30)
    typed = field.input_value()
    wait_saved(a)
    target = a.evaluate(VERSION) + 1
    a.evaluate("(ops) => window.__canvas.sync.edit(ops)", [op])
    while b.evaluate(VERSION) < target:
        b.keyboard.type("!", delay=30)
    return field, typed


def test_typing_overtaken_by_someone_elses_change_to_the_field_is_said(
    chromium, asgi_live_server, alice, bob, tutorial
):
    with contexts(chromium, asgi_live_server, alice, bob) as (mine, theirs):
        a = open_flow(mine, asgi_live_server, tutorial.sid)
        b = open_flow(theirs, asgi_live_server, tutorial.sid)
        field, typed = typing_while(a, b, THEIRS, " and bob's")
        expect(by_id(b, "notice-text")).to_contain_text(
            f"alice's change to {named('send_message_1', 'body')} won: Alice's words. "
            f"What you were typing in {named('send_message_1', 'body')} was not saved: {typed}"
        )
        field.blur()
        wait_saved(a)
        wait_saved(b)
        assert exported(tutorial)["send_message_1"]["properties"]["body"].startswith(
            "Alice's words"
        )


def test_typing_in_a_widget_someone_else_renames_goes_on_and_is_saved(
    chromium, asgi_live_server, alice, bob, tutorial
):
    """alice renames the widget bob is typing in: his inspector stays the same one (its
    focus and his unsaved text kept, useWidgetActions.js inspectorKey) and what he typed is
    saved under the new name, rather than the inspector opening afresh without it."""
    rename = {"op": "rename_widget", "name": "send_message_1", "new_name": "greeting"}
    with contexts(chromium, asgi_live_server, alice, bob) as (mine, theirs):
        a = open_flow(mine, asgi_live_server, tutorial.sid)
        b = open_flow(theirs, asgi_live_server, tutorial.sid)
        field, _ = typing_while(a, b, rename, " Bye")
        b.keyboard.type(" (bob)", delay=30)
        typed = field.input_value()
        assert typed.endswith("!") is False and " Bye" in typed and typed.endswith("(bob)")
        expect(b.locator("[data-testid='inspector'] [data-testid='widget-name']")).to_have_value(
            "greeting"
        )
        field.blur()
        wait_saved(b)
        wait_saved(a)
        assert exported(tutorial)["greeting"]["properties"]["body"] == typed
