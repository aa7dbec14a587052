"""The flow's activity page in a real browser (templates/editor/flow_activity.html,
static/editor/app.css): a line's avatar and time sit inside the card, inset as its
header is, not flush against the card's edges."""

from __future__ import annotations

from editor import services
from tests.panel_support import PANEL_MARKS, ctx_fixture, sample_flow  # noqa: F401

pytestmark = PANEL_MARKS


def test_the_lines_are_inset_like_the_card_header(ctx, asgi_live_server, team):
    flow = sample_flow(team, "sms-chatbot")
    services.publish_flow(flow, commit_message="Go live")
    page = ctx.new_page()
    page.goto(f"{asgi_live_server.url}/flows/{flow.sid}/activity/")
    card = page.locator(".activity-day").first.bounding_box()
    title = page.locator(".activity-day .card-header h2").first.bounding_box()
    avatar = page.locator(".activity-line .avatar").first.bounding_box()
    time = page.locator(".activity-line time").first.bounding_box()
    inset = title["x"] - card["x"]
    assert inset >= 12
    assert abs((avatar["x"] - card["x"]) - inset) <= 1
    assert card["x"] + card["width"] - (time["x"] + time["width"]) >= inset - 1
