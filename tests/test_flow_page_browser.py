"""The flow's page around the canvas in a real browser (templates/editor/flow_detail.html,
static/editor/app.css): one h1, and the outline under "Details, outline and revisions"
readable on a phone."""

from __future__ import annotations

import pytest

from editor import services
from editor.samples import load_sample
from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401
    open_flow,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


@pytest.fixture
def flow(team, alice):
    return services.create_flow(
        team, friendly_name="Bots or not", definition=load_sample("conversations-tutorial")
    )


def test_the_flow_page_has_one_h1_the_flows_name(context, asgi_live_server, flow):
    page = open_flow(context, asgi_live_server, flow.sid)
    page.click("#flow-details > summary")

    assert page.locator("h1").all_inner_texts() == ["Bots or not"]


def test_the_outline_fits_a_phone(context, asgi_live_server, flow):
    page = open_flow(context, asgi_live_server, flow.sid)
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("#flow-details > summary")

    card = page.locator("#flow-outline").bounding_box()
    overflowing = page.evaluate(
        "right => [...document.querySelectorAll('#flow-outline .node, #flow-outline .exit')]"
        ".filter(e => e.getBoundingClientRect().right > right + 0.5).length",
        card["x"] + card["width"],
    )
    assert card["x"] + card["width"] <= 390
    assert overflowing == 0
