"""Co-editing conflicts in real browsers that tests/test_coediting_browser.py leaves out:
what a canvas says and keeps when another editor's change removes or takes the ground from
under its own work (docs/protocol.md, "Concurrent edits")."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser_support import exported, open_flow, wait_saved
from tests.panel_support import PANEL_MARKS, by_id
from tests.test_coediting_browser import BODY, contexts, select

pytestmark = PANEL_MARKS


def test_a_widget_deleted_while_someone_types_in_it_is_said_to_them(
    chromium, asgi_live_server, alice, bob, tutorial
):
    with contexts(chromium, asgi_live_server, alice, bob) as (mine, theirs):
        a = open_flow(mine, asgi_live_server, tutorial.sid)
        b = open_flow(theirs, asgi_live_server, tutorial.sid)
        select(a, "send_message_1")
        a.locator(BODY).fill("")
        a.locator(BODY).press_sequentially("half a thought", delay=20)
        expect(by_id(b, "typing-on-send_message_1")).to_be_visible()

        select(b, "send_message_1")
        b.keyboard.press("Delete")
        wait_saved(b)
        expect(by_id(a, "notice-text")).to_have_text(
            "bob deleted send_message_1 while you were editing it: what you typed in "
            "send_message_1 \u203a body was not saved."
        )
        expect(by_id(a, "widget-send_message_1")).to_have_count(0)
        a.screenshot(path="/work/scratch/coedit-shots/fixed-deleted-while-typing.png")
    assert "send_message_1" not in exported(tutorial)
