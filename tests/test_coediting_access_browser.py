"""Access changing under an open canvas, in real browsers against the ASGI live server:
an editor made a viewer turns read only at once and is told; a member removed from the team
stops getting the flow and the page says so; the others see both (docs/protocol.md,
`access.changed`)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser_support import fill, open_flow, wait_saved
from tests.panel_support import PANEL_MARKS, by_id
from tests.test_coediting_browser import BODY, contexts, select, shows

pytestmark = PANEL_MARKS


def test_a_demoted_editor_turns_read_only_and_a_removed_member_is_shut_out(
    chromium, asgi_live_server, team, alice, bob, carol, tutorial
):
    with contexts(chromium, asgi_live_server, alice, bob, carol) as (mine, theirs, viewer):
        a = open_flow(mine, asgi_live_server, tutorial.sid)
        b = open_flow(theirs, asgi_live_server, tutorial.sid)
        c = open_flow(viewer, asgi_live_server, tutorial.sid)
        expect(by_id(a, "avatar-carol")).to_be_visible()
        select(b, "send_message_2")
        expect(b.locator(BODY)).to_be_enabled()

        # alice changes the team on its page, in another tab, while the canvases stay open.
        members = mine.new_page()
        members.goto(f"{asgi_live_server.url}/teams/{team.slug}/")
        row = members.locator(f"#member-{bob.profile.sid}")
        row.locator("select[name='role']").select_option("viewer")
        row.get_by_role("button", name="Change").click()
        expect(members.get_by_text("bob is now viewer.")).to_be_visible()
        expect(by_id(b, "error-banner")).to_contain_text(
            "You are now a viewer of this team: you can no longer change the flow."
        )
        expect(b.locator(BODY)).to_be_disabled()
        # A read-only state like any viewer's: no "Error" beside the "Read only" chip.
        expect(by_id(b, "save-state")).to_have_attribute("data-state", "readonly")
        expect(by_id(b, "save-state")).to_be_hidden()
        expect(b.get_by_text("Read only", exact=True)).to_be_visible()
        for testid in ("library", "undo", "publish-open"):
            expect(by_id(b, testid)).to_have_count(0)
        expect(by_id(a, "avatar-bob")).to_have_attribute("title", re.compile("viewer"))

        members.once("dialog", lambda dialog: dialog.accept())
        members.locator(f"#member-{carol.profile.sid}").get_by_role("button", name="Remove").click()
        expect(members.get_by_text("Removed carol from Acme.")).to_be_visible()
        expect(by_id(c, "save-state")).to_have_text("Disconnected")
        expect(by_id(c, "error-banner")).to_contain_text("you are no longer in its team")
        expect(by_id(a, "avatar-carol")).to_have_count(0)
        expect(by_id(c, "avatar-alice")).to_have_count(0)

        select(a, "send_message_1")
        fill(a, "field-body", "after carol left")
        wait_saved(a)
        shows(b, "send_message_1", "body", "after carol left")
        c.wait_for_timeout(1_000)
        seen = c.evaluate(
            "window.__canvas.getDoc().states.find((s) => s.name === 'send_message_1')"
            ".properties.body"
        )
        assert seen != "after carol left", "a removed member still gets the flow's changes"


def test_snap_to_grid_is_offered_only_to_those_who_can_move_widgets(
    chromium, asgi_live_server, alice, carol, tutorial
):
    """A viewer, an old revision and a comparison are read only: a Snap checkbox there did
    nothing. Minimap and Fit view stay."""
    with contexts(chromium, asgi_live_server, alice, carol) as (mine, viewer):
        page = open_flow(mine, asgi_live_server, tutorial.sid)
        expect(by_id(page, "snap")).to_be_visible()
        page.get_by_role("button", name="Compare").click()
        expect(by_id(page, "snap")).to_have_count(0)
        seen = open_flow(viewer, asgi_live_server, tutorial.sid)
        expect(by_id(seen, "minimap")).to_be_visible()
        expect(by_id(seen, "fit")).to_be_visible()
        expect(by_id(seen, "snap")).to_have_count(0)
