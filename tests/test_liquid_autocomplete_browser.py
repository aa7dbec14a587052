"""The inspector's Liquid autocomplete in a real browser: it offers the outputs the catalogue
declares for the widgets upstream of the selected one (editor/frontend/src/liquid.js), and
choosing one writes it into the field. Playwright against the ASGI live server, as
tests/test_canvas_browser.py does."""

from __future__ import annotations

import pytest

from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401
    exported,
    open_flow,
    select,
    wait_saved,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]

SUGGESTIONS = "[data-testid='liquid-suggestions'] [role='option']"


def type_into(page, testid: str, text: str):
    field = page.locator(f"[data-testid='inspector'] [data-testid='{testid}']")
    field.fill("")
    field.press_sequentially(text)
    return field


def offered(page) -> list[str]:
    page.wait_for_selector(SUGGESTIONS)
    return page.locator(SUGGESTIONS).all_inner_texts()


def test_the_outputs_of_upstream_widgets_are_offered_and_chosen(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_1")
    field = type_into(page, "field-body", "You said {{widgets.send_and_reply_1.inbound.")
    items = offered(page)
    assert "widgets.send_and_reply_1.inbound.Body" in items
    assert all(item.startswith("widgets.send_and_reply_1.inbound.") for item in items)
    page.locator(
        SUGGESTIONS, has_text="widgets.send_and_reply_1.inbound.Body"
    ).first.dispatch_event("mousedown")
    assert field.input_value() == "You said {{widgets.send_and_reply_1.inbound.Body"
    field.press_sequentially("}}")
    field.blur()
    wait_saved(page)
    body = exported(tutorial)["send_message_1"]["properties"]["body"]
    assert body == "You said {{widgets.send_and_reply_1.inbound.Body}}"


def test_widgets_downstream_are_not_offered(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_and_reply_1")
    type_into(page, "field-body", "{{widgets.")
    page.wait_for_timeout(300)
    items = page.locator(SUGGESTIONS).all_inner_texts()
    assert not any(item.startswith(("widgets.split_1", "widgets.send_message")) for item in items)
    select(page, "send_message_2")
    type_into(page, "field-body", "{{widgets.send_and_reply_1.out")
    assert "widgets.send_and_reply_1.outbound.Status" in offered(page)
