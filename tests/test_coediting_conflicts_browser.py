"""Co-editing conflicts in real browsers that tests/test_coediting_browser.py leaves out:
what a canvas says and keeps when another editor's change removes or takes the ground from
under its own work (docs/protocol.md, "Concurrent edits")."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser_support import exported, fill, open_flow, wait_saved
from tests.panel_support import PANEL_MARKS, by_id
from tests.test_coediting_browser import BODY, SOCKET, contexts, select, shows

pytestmark = PANEL_MARKS


def holding(link: dict, held: list):
    """A websocket route that passes everything through but holds back `doc.edit` frames
    while `link["hold"]` is set (test_coediting_browser.py does the same inline)."""

    def route(ws):
        server = ws.connect_to_server()
        link["server"] = server

        def to_server(message):
            if link.get("hold") and '"doc.edit"' in str(message):
                held.append(message)
            else:
                server.send(message)

        ws.on_message(to_server)
        server.on_message(ws.send)

    return route


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
    assert "send_message_1" not in exported(tutorial)


def test_two_editors_adding_a_widget_at_once_both_keep_theirs(
    chromium, asgi_live_server, alice, bob, tutorial
):
    """Both canvases call their new widget send_message_4; bob's edit reaches the server
    second, with his typing queued behind it: his widget becomes send_message_5 on every
    canvas, keeps what he typed, and his undo takes back his widget, not alice's."""
    with contexts(chromium, asgi_live_server, alice, bob) as (mine, theirs):
        held, link = [], {}
        b = theirs.new_page()
        b.route_web_socket(SOCKET, holding(link, held))
        b.goto(f"{asgi_live_server.url}/flows/{tutorial.sid}/")
        b.wait_for_selector(".react-flow__node")
        a = open_flow(mine, asgi_live_server, tutorial.sid)

        link["hold"] = True
        b.dblclick("[data-testid='library-send-message']")
        b.wait_for_function("() => window.__canvas.store.state.pending.length === 1")
        select(b, "send_message_4")
        fill(b, "field-body", "bob's new message")
        a.dblclick("[data-testid='library-send-message']")
        wait_saved(a)
        select(a, "send_message_4")
        fill(a, "field-body", "alice's new message")
        wait_saved(a)
        shows(b, "send_message_4", "body", "alice's new message")
        expect(by_id(b, "notice-text")).to_have_text(
            "alice added a widget named send_message_4 meanwhile: yours is now send_message_5."
        )
        shows(b, "send_message_5", "body", "bob's new message")

        link["hold"] = False
        for message in held:
            link["server"].send(message)
        held.clear()
        wait_saved(b)
        shows(a, "send_message_5", "body", "bob's new message")
        b.wait_for_function(
            """() => {
                const states = window.__canvas.getDoc().states;
                const at = (n) => states.find((s) => s.name === n).properties.offset;
                const [mine, theirs] = [at('send_message_5'), at('send_message_4')];
                return mine.x !== theirs.x || mine.y !== theirs.y;
            }"""
        )
        wait_saved(b)
        states = exported(tutorial)
        assert states["send_message_4"]["properties"]["body"] == "alice's new message"
        assert states["send_message_5"]["properties"]["body"] == "bob's new message"
        # Both canvases put their new widget on the same free spot: bob's moved off alice's.
        offsets = [states[n]["properties"]["offset"] for n in ("send_message_4", "send_message_5")]
        assert offsets[0] != offsets[1]

        b.locator(".react-flow__pane").click(position={"x": 5, "y": 5})
        for _ in range(2):
            by_id(b, "undo").click()
            wait_saved(b)
        assert "send_message_5" not in exported(tutorial)
        assert exported(tutorial)["send_message_4"]["properties"]["body"] == "alice's new message"
