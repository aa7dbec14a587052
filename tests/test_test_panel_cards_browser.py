"""What the call simulator's cards say a contact-centre widget would do, while the run
waits on it (editor/frontend/src/components/test/ActionCard.jsx)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.engine_support import trigger
from tests.panel_support import PANEL_MARKS, by_id, ctx_fixture, open_panel, start  # noqa: F401
from tests.test_test_panel_channels_browser import make, say, widget

pytestmark = PANEL_MARKS

REDIRECT = [
    trigger(None, incomingCall="hand_off"),
    widget(
        "hand_off",
        "add-twiml-redirect",
        200,
        {"url": "https://ivr.example.com/twiml", "method": "POST"},
        **{"return": "back", "timeout": None, "fail": None},
    ),
    say("back", "Welcome back", 400),
]


def test_a_twiml_redirect_waits_on_its_url_not_its_method(ctx, asgi_live_server, team):
    """The line under the transcript said "TwiML redirect: POST"."""
    flow = make(team, "Redirect", REDIRECT)
    page = open_panel(ctx, asgi_live_server, flow.sid)
    start(page, "call")
    card = by_id(page, "waiting-card")
    expect(card).to_contain_text("TwiML redirect: https://ivr.example.com/twiml")
    expect(by_id(page, "fire-fail")).to_be_visible()
