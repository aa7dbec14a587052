"""Another's "is typing…" goes as soon as they leave the field, or the widget, not after the
idle pause (editor/frontend/src/doc/presence.js, TYPING_IDLE = 2 s) that only covers a pause
in typing: the page says `typing: null` in a presence.update at once (docs/protocol.md)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser_support import open_flow
from tests.panel_support import PANEL_MARKS, by_id
from tests.test_coediting_browser import BODY, contexts, select

pytestmark = PANEL_MARKS

# Every presence.update the page sends, with when (performance.now()), in window.__sent.
RECORD_PRESENCE = """
    window.__sent = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      try {
        const frame = JSON.parse(data);
        if (frame.type === 'presence.update') {
          window.__sent.push({ at: performance.now(), typing: frame.typing });
        }
      } catch (e) {}
      return send.call(this, data);
    };
"""

# Under TYPING_IDLE (2,000 ms after the last key): the stop is said on leaving, not by the
# idle timer.
PROMPTLY_MS = 1500  # under a busy machine too; the idle timer would say it at 2,000


def type_then(page: Any, leave: str) -> float:
    """Type in the body field, then at once run `leave` (JS) in the page; when it ran."""
    page.locator(BODY).fill("")
    page.locator(BODY).press_sequentially("Hi", delay=20)
    return page.evaluate(f"() => {{ const at = performance.now(); {leave}; return at; }}")


def stopped_after(page: Any, since: float) -> float:
    """How long after `since` the page said it stopped typing."""
    page.wait_for_function(
        "(since) => window.__sent.some((f) => f.at >= since && f.typing === null)", arg=since
    )
    return page.evaluate(
        "(since) => window.__sent.find((f) => f.at >= since && f.typing === null).at - since",
        since,
    )


def test_typing_stops_showing_when_the_field_or_the_widget_is_left(
    chromium, asgi_live_server, alice, bob, tutorial
):
    with contexts(chromium, asgi_live_server, alice, bob) as (mine, theirs):
        mine.add_init_script(RECORD_PRESENCE)
        a = open_flow(mine, asgi_live_server, tutorial.sid)
        b = open_flow(theirs, asgi_live_server, tutorial.sid)
        expect(by_id(a, "avatar-bob")).to_be_visible()
        select(a, "send_message_1")
        select(b, "send_message_1")

        # Leaving the field (blur).
        left = type_then(a, "document.activeElement.blur()")
        expect(by_id(b, "typing-body")).to_have_text("alice is typing…")
        assert stopped_after(a, left) < PROMPTLY_MS
        expect(by_id(b, "typing-body")).to_have_count(0)
        expect(by_id(b, "typing-on-send_message_1")).to_have_count(0)

        # Leaving the widget while still in its field: the inspector goes without a blur.
        left = type_then(a, "window.__canvas.store.update({ selection: [] })")
        expect(by_id(a, "inspector")).to_have_count(0)
        assert stopped_after(a, left) < PROMPTLY_MS
        expect(by_id(b, "typing-on-send_message_1")).to_have_count(0)
