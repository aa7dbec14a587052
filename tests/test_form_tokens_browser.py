"""In a browser: reloading the page that shows a new API key's secret (Chromium posts the
form again) leaves exactly one key in the team's list and says why (editor/form_tokens.py);
a double click on Create sends one POST (static/editor/submit_once.js), and without
JavaScript its two POSTs still make one key."""

from __future__ import annotations

import time
from typing import Any

import pytest

from editor import services
from editor.models import ApiKey
from tests.browser_support import new_context

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


def posts_of(page: Any) -> list[str]:
    """The paths the page POSTs to, as they are sent."""
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url.split("/", 3)[3]) if r.method == "POST" else 0)
    return sent


def key_rows(page: Any) -> list[str]:
    return page.locator("#keys tbody tr .flow-name").all_inner_texts()


def create_key(page: Any, live_server: Any, name: str) -> None:
    page.goto(f"{live_server.url}/teams/acme/")
    page.locator("#id_friendly_name").fill(name)
    page.get_by_role("button", name="Create API key").click()
    page.wait_for_selector("text=Copy the secret now")


def test_reloading_the_new_key_page_leaves_one_key(context, live_server, team):
    page = context.new_page()
    sent = posts_of(page)
    create_key(page, live_server, "Deploys")

    page.reload()

    assert sent == ["teams/acme/keys/", "teams/acme/keys/"]  # the reload posted again
    assert page.url == f"{live_server.url}/teams/acme/#keys"
    assert key_rows(page) == ["Deploys"]
    assert (
        page.locator(".messages")
        .inner_text()
        .startswith("The API key “Deploys” was already created; its secret was shown once")
    )
    assert ApiKey.objects.count() == 1


def test_the_form_shown_again_creates_another_key(context, live_server, team):
    page = context.new_page()
    create_key(page, live_server, "First")
    create_key(page, live_server, "Second")
    page.goto(f"{live_server.url}/teams/acme/")
    assert sorted(key_rows(page)) == ["First", "Second"]


@pytest.fixture
def slow_create(monkeypatch) -> None:
    """Creating a key takes half a second: time for a second click while the first POST is
    on its way (the live server runs in this process)."""
    create = services.create_api_key

    def slowly(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)
        return create(*args, **kwargs)

    monkeypatch.setattr(services, "create_api_key", slowly)


def click_twice(page: Any, live_server: Any) -> None:
    """Create, and Create again once the first POST has left."""
    page.goto(f"{live_server.url}/teams/acme/")
    page.locator("#id_friendly_name").fill("Deploys")
    box = page.get_by_role("button", name="Create API key").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # The mouse, not the locator: a locator's click would wait for the first navigation.
    with page.expect_request("**/keys/"):
        page.mouse.click(x, y)
    page.mouse.click(x, y)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # the server may still be answering the aborted POST


@pytest.mark.usefixtures("slow_create")
def test_a_second_click_while_the_first_is_on_its_way_sends_nothing(context, live_server, team):
    page = context.new_page()
    sent = posts_of(page)

    click_twice(page, live_server)

    assert sent == ["teams/acme/keys/"]
    assert page.locator("h1").inner_text() == "Copy the secret now"
    assert ApiKey.objects.count() == 1


@pytest.mark.usefixtures("slow_create")
def test_without_javascript_the_second_click_makes_nothing(chromium, live_server, team, alice):
    """The browser sends both POSTs (and shows the answer of one, which one depends on
    timing: the secret, or the message that it was already shown); one key is made."""
    context = new_context(chromium, live_server, alice, java_script_enabled=False)
    try:
        page = context.new_page()
        sent = posts_of(page)

        click_twice(page, live_server)

        assert sent == ["teams/acme/keys/", "teams/acme/keys/"]
        assert ApiKey.objects.count() == 1
    finally:
        context.close()
