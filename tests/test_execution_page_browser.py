"""An execution's page (templates/editor/execution_detail.html): its heading and title say
what the SID is, and on a phone the "Requests to Twilio" table scrolls sideways inside its
card, so its SID and error columns stay reachable."""

from __future__ import annotations

import pytest

from editor import services
from editor.models.outbox import OutboundRequest
from editor.samples import load_sample

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]

ERROR = "Twilio refused the team's credentials (HTTP 401, Twilio error 20003)"


@pytest.fixture
def refused(team, alice):
    """An execution whose Send & Wait For Reply message Twilio refused."""
    flow = services.create_flow(
        team, friendly_name="Bots", definition=load_sample("conversations-tutorial")
    )
    services.publish_flow(flow, author=alice)
    execution = services.start_execution(
        flow, kind="message", contact="+15557770000", flow_address="+15550000000"
    ).execution
    OutboundRequest.objects.create(
        execution=execution,
        widget="send_and_reply_1",
        kind="message",
        request={},
        status="failed",
        attempts=3,
        twilio_sid="SM" + "f" * 32,
        error=ERROR,
    )
    return flow, execution


def test_the_requests_to_twilio_scroll_to_their_error_on_a_phone(context, live_server, refused):
    flow, execution = refused
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/flows/{flow.sid}/executions/{execution.sid}/")

    wrap = page.locator("[data-testid='twilio-requests'] .table-wrap")
    assert wrap.count() == 1  # the card clips; only this wrapper scrolls
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    error = page.get_by_text(ERROR)
    box = error.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_heading_and_title_say_it_is_an_execution(context, live_server, refused):
    flow, execution = refused
    page = context.new_page()
    page.goto(f"{live_server.url}/flows/{flow.sid}/executions/{execution.sid}/")

    heading = page.get_by_role("heading", level=1)
    assert heading.count() == 1
    assert heading.evaluate("h => h.textContent.trim()") == f"Execution {execution.sid}"
    assert page.title() == f"Execution {execution.sid} · Bots · Studio"
