"""Driving the canvas's Test panel in browser tests (tests/test_test_panel*_browser.py):
the pages come from `asgi_live_server` (tests/asgi_server.py), which also serves the flow
websocket."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from editor import services
from editor.models import Execution
from editor.samples import load_sample
from tests.browser_support import new_context, open_flow

# A Make HTTP Request mock's answer (the SMS chatbot sample's order lookup).
ORDER = {"status": "shipped", "shipped_on": "2 May", "tracking_number": "1Z999"}
JSON = {"Content-Type": "application/json"}

PANEL_MARKS = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("insecure_cookies"),
]


@pytest.fixture(name="ctx")
def ctx_fixture(chromium: Any, asgi_live_server: Any, alice: Any) -> Iterator[Any]:
    context = new_context(chromium, asgi_live_server, alice)
    yield context
    context.close()


def sample_flow(team: Any, slug: str) -> Any:
    return services.create_flow(team, friendly_name=slug, definition=load_sample(slug))


def has_class(name: str) -> re.Pattern[str]:
    """A class attribute holding `name` as a whole word."""
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def by_id(page: Any, testid: str) -> Any:
    return page.locator(f"[data-testid='{testid}']")


def open_panel(
    context: Any, server: Any, sid: str, query: str = "", viewport: tuple[int, int] | None = None
) -> Any:
    """The flow's page with the Test panel open; `viewport` (width, height) sizes the window
    before the page loads, so the canvas fits to it."""
    if query or viewport:
        page = context.new_page()
        if viewport:
            page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        page.goto(f"{server.url}/flows/{sid}/{query}")
        page.wait_for_selector(".react-flow__node")
    else:
        page = open_flow(context, server, sid)
    if not by_id(page, "panel-test").count():
        by_id(page, "test-open").click()
    expect(by_id(page, "test-connection")).to_have_attribute("data-state", "open")
    return page


def start(page: Any, trigger: str, body: str | None = None) -> None:
    if not by_id(page, "trigger-form").is_visible():
        by_id(page, "test-new-run").click()
    by_id(page, "test-trigger").select_option(trigger)
    if body is not None:
        by_id(page, "test-body").fill(body)
    by_id(page, "test-start").click()


def reply(page: Any, text: str) -> None:
    by_id(page, "reply-body").fill(text)
    by_id(page, "reply-send").click()


def last_bubble(page: Any) -> Any:
    return by_id(page, "bubble-out").last


def widget(page: Any, name: str) -> Any:
    return by_id(page, f"widget-{name}")


def current_execution(page: Any) -> Execution:
    sid = by_id(page, "run-head").get_attribute("data-execution")
    return Execution.objects.get(sid=sid)


def under(page, testid: str, selector: str) -> list[str]:
    """The elements matching `selector` that lie (partly) under the element `testid`."""
    return page.evaluate(
        """([testid, selector]) => {
            const p = document.querySelector(`[data-testid='${testid}']`).getBoundingClientRect();
            return [...document.querySelectorAll(selector)].filter((n) => {
                const r = n.getBoundingClientRect();
                return r.right > p.left && r.left < p.right && r.bottom > p.top && r.top < p.bottom;
            }).map((n) => n.dataset.id || n.className);
        }""",
        [testid, selector],
    )


def box(page: Any, selector: str) -> dict[str, float]:
    """Where the first element matching `selector` is drawn: x, y, width, height."""
    return page.locator(selector).first.bounding_box()
