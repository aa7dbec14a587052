"""Co-editing and presence in real browsers: alice (owner), bob (editor) and carol (viewer)
on one flow at once, each in a browser context of their own, against the ASGI live server
(tests/asgi_server.py) that serves the flow's websocket (docs/protocol.md, "Co-editing").

Results are checked in the pages (without reloading them) and through the ORM.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import expect

from tests.browser_support import exported, fill, new_context, open_flow, wait_saved
from tests.browser_support import select as click_widget
from tests.panel_support import PANEL_MARKS, by_id

pytestmark = PANEL_MARKS

BODY = "[data-testid='inspector'] [data-testid='field-body']"
SOCKET = re.compile(r".*/ws/flows/.*")


def field(widget: str, key: str) -> str:
    """How a notice names a widget's field: the widget, a single angle quote, the key."""
    return f"{widget} \u203a {key}"


def select(page: Any, widget: str) -> None:
    """Select the widget and wait for the inspector to show it: a field filled before then
    would be the previously selected widget's. On a loaded CI box (two test workers, each
    with browsers) a click right after an undo was seen to leave the inspector on the
    previous widget; it is clicked once more then (what these tests check is co-editing,
    not selection; the symptom is noted for the canvas in the issue's notes)."""
    name = page.locator("[data-testid='inspector'] [data-testid='widget-name']")
    click_widget(page, widget)
    try:
        expect(name).to_have_value(widget, timeout=5_000)
    except AssertionError:
        click_widget(page, widget)
        expect(name).to_have_value(widget)


@contextmanager
def contexts(chromium: Any, server: Any, *users: Any) -> Iterator[list[Any]]:
    opened = [new_context(chromium, server, user) for user in users]
    try:
        yield opened
    finally:
        for context in opened:
            context.close()


def stored(flow: Any, widget: str, value: str, seconds: float = 15) -> None:
    """Wait until the server has `value` as the widget's body (the edit was applied)."""
    deadline = time.monotonic() + seconds
    while body_of(flow, widget) != value:
        assert time.monotonic() < deadline, f"{widget}'s body is {body_of(flow, widget)!r}"
        time.sleep(0.1)


def shows(page: Any, widget: str, key: str, value: str, timeout: float = 15_000) -> None:
    """Wait until the page's document holds `value` in the widget's property."""
    page.wait_for_function(
        """([widget, key, value]) => {
            const state = window.__canvas.getDoc().states.find((s) => s.name === widget);
            return state && state.properties[key] === value;
        }""",
        arg=[widget, key, value],
        timeout=timeout,
    )


def body_of(flow: Any, widget: str) -> str:
    return exported(flow)[widget]["properties"]["body"]


def test_editors_see_each_other_and_their_edits_to_different_widgets_both_survive(
    chromium, asgi_live_server, alice, bob, tutorial
):
    with contexts(chromium, asgi_live_server, alice, bob) as (mine, theirs):
        a = open_flow(mine, asgi_live_server, tutorial.sid)
        b = open_flow(theirs, asgi_live_server, tutorial.sid)
        expect(by_id(a, "avatar-bob")).to_have_text("BO")
        expect(by_id(a, "avatar-bob")).to_have_attribute("title", re.compile(r"^bob · editor"))
        expect(by_id(b, "avatar-alice")).to_have_text("AL")

        # Each one's selection is outlined on the other's canvas, in their colour.
        select(a, "send_message_1")
        expect(by_id(b, "presence-send_message_1-alice")).to_be_visible()
        expect(by_id(b, "widget-send_message_1")).to_have_class(re.compile("has-presence"))
        select(b, "send_message_1")
        expect(by_id(a, "presence-send_message_1-bob")).to_be_visible()

        # Typing in a field shows on the widget and in the other's inspector.
        a.locator(BODY).fill("")
        a.locator(BODY).press_sequentially("Hello from alice", delay=20)
        expect(by_id(b, "typing-on-send_message_1")).to_have_text("alice is typing…")
        expect(by_id(b, "typing-body")).to_have_text("alice is typing…")
        a.locator(BODY).blur()

        select(b, "send_message_2")
        fill(b, "field-body", "Hello from bob")
        wait_saved(a)
        wait_saved(b)
        shows(b, "send_message_1", "body", "Hello from alice")
        shows(a, "send_message_2", "body", "Hello from bob")
        assert body_of(tutorial, "send_message_1") == "Hello from alice"
        assert body_of(tutorial, "send_message_2") == "Hello from bob"
        # Both pages hold the same version of the document.
        assert a.evaluate("window.__canvas.store.state.version") == b.evaluate(
            "window.__canvas.store.state.version"
        )

        # Leaving the flow takes the avatar away.
        b.close()
        expect(by_id(a, "avatar-bob")).to_have_count(0)


def test_the_first_change_to_a_field_wins_and_the_other_editor_is_told(
    chromium, asgi_live_server, alice, bob, tutorial
):
    """bob's edit reaches the server after alice's, made on the version before hers: the
    server drops it (rebase.py) and bob's canvas says whose value won."""
    with contexts(chromium, asgi_live_server, alice, bob) as (mine, theirs):
        held: list[Any] = []
        link: dict[str, Any] = {}

        def route(ws: Any) -> None:
            server = ws.connect_to_server()
            link["server"] = server

            def to_server(message: str | bytes) -> None:
                if link.get("hold") and '"doc.edit"' in str(message):
                    held.append(message)
                else:
                    server.send(message)

            ws.on_message(to_server)
            server.on_message(ws.send)

        b = theirs.new_page()
        b.route_web_socket(SOCKET, route)
        b.goto(f"{asgi_live_server.url}/flows/{tutorial.sid}/")
        b.wait_for_selector(".react-flow__node")
        a = open_flow(mine, asgi_live_server, tutorial.sid)

        link["hold"] = True
        select(b, "send_message_2")
        fill(b, "field-body", "bob's goodbye")
        b.wait_for_function("() => window.__canvas.store.state.pending.length === 1")
        select(a, "send_message_2")
        fill(a, "field-body", "alice's goodbye")
        wait_saved(a)
        shows(b, "send_message_2", "body", "alice's goodbye")  # already shown as the winner

        link["hold"] = False
        assert len(held) == 1
        link["server"].send(held.pop())
        expect(by_id(b, "notice-text")).to_have_text(
            f"alice's change to {field('send_message_2', 'body')} won: alice's goodbye"
        )
        wait_saved(b)
        assert body_of(tutorial, "send_message_2") == "alice's goodbye"
        expect(b.locator(BODY)).to_have_value("alice's goodbye")


def test_undo_undoes_only_ones_own_edit(chromium, asgi_live_server, alice, bob, tutorial):
    original = body_of(tutorial, "send_message_1")
    with contexts(chromium, asgi_live_server, alice, bob) as (mine, theirs):
        a = open_flow(mine, asgi_live_server, tutorial.sid)
        b = open_flow(theirs, asgi_live_server, tutorial.sid)
        select(a, "send_message_1")
        fill(a, "field-body", "alice was here")
        wait_saved(a)
        select(b, "send_message_2")
        fill(b, "field-body", "bob was here")
        wait_saved(b)
        shows(a, "send_message_2", "body", "bob was here")

        by_id(a, "undo").click()
        wait_saved(a)
        shows(b, "send_message_1", "body", original)
        assert body_of(tutorial, "send_message_1") == original
        assert body_of(tutorial, "send_message_2") == "bob was here"

        # bob changes the field alice changed after her: her undo leaves his value alone.
        select(a, "send_message_3")
        fill(a, "field-body", "alice's version")
        wait_saved(a)
        shows(b, "send_message_3", "body", "alice's version")
        select(b, "send_message_3")
        fill(b, "field-body", "bob's version")
        wait_saved(b)
        shows(b, "send_message_3", "body", "bob's version")
        stored(tutorial, "send_message_3", "bob's version")
        # A canvas that missed the broadcast finds the change at its next check-in (30 s).
        shows(a, "send_message_3", "body", "bob's version", timeout=45_000)
        a.locator(".react-flow__pane").click(position={"x": 5, "y": 5})
        a.keyboard.press("Control+z")
        expect(by_id(a, "notice-text")).to_have_text(
            f"Can't undo the change to {field('send_message_3', 'body')}: bob changed it since"
        )
        wait_saved(a)
        assert body_of(tutorial, "send_message_3") == "bob's version"


def test_a_viewer_sees_edits_live_and_has_no_editing_controls(
    chromium, asgi_live_server, alice, carol, tutorial
):
    with contexts(chromium, asgi_live_server, alice, carol) as (mine, viewer):
        a = open_flow(mine, asgi_live_server, tutorial.sid)
        c = open_flow(viewer, asgi_live_server, tutorial.sid)
        for testid in ("library", "undo", "redo", "tidy", "publish-open", "save-draft"):
            expect(by_id(c, testid)).to_have_count(0)
        expect(by_id(a, "avatar-carol")).to_have_attribute("title", re.compile("viewer"))

        a.dblclick("[data-testid='library-send-message']")
        expect(by_id(c, "widget-send_message_4")).to_be_visible()
        select(a, "send_message_1")
        fill(a, "field-body", "Seen by carol")
        shows(c, "send_message_1", "body", "Seen by carol")
        expect(by_id(c, "presence-send_message_1-alice")).to_be_visible()

        select(c, "send_message_1")
        expect(c.locator(BODY)).to_be_disabled()
        expect(c.locator(BODY)).to_have_value("Seen by carol")
        c.keyboard.press("Delete")
        c.wait_for_timeout(300)
        expect(by_id(c, "widget-send_message_1")).to_have_count(1)
    assert "send_message_1" in exported(tutorial)


def test_edits_made_offline_arrive_when_back_and_the_lost_one_is_reported(
    chromium, asgi_live_server, alice, bob, tutorial
):
    with contexts(chromium, asgi_live_server, alice, bob) as (mine, theirs):
        a = open_flow(mine, asgi_live_server, tutorial.sid)
        b = open_flow(theirs, asgi_live_server, tutorial.sid)
        expect(by_id(a, "avatar-bob")).to_be_visible()

        # Whether alice sees bob leave at once depends on the browser closing the socket
        # cleanly while offline (else the server notices at its next ping): not tested here.
        theirs.set_offline(True)
        select(b, "send_message_1")
        fill(b, "field-body", "written offline")
        select(b, "send_message_2")
        fill(b, "field-body", "bob, offline")
        expect(by_id(b, "save-state")).to_have_text("Offline — 2 changes queued")

        select(a, "send_message_2")
        fill(a, "field-body", "alice, online")
        wait_saved(a)

        theirs.set_offline(False)
        expect(by_id(b, "notice-text")).to_have_text(
            f"alice's change to {field('send_message_2', 'body')} won: alice, online"
        )
        wait_saved(b)
        expect(by_id(a, "avatar-bob")).to_be_visible()
        assert body_of(tutorial, "send_message_1") == "written offline"
        assert body_of(tutorial, "send_message_2") == "alice, online"
        shows(a, "send_message_1", "body", "written offline")
        expect(b.locator(BODY)).to_have_value("alice, online")
