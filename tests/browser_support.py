"""Playwright (sync API) against pytest-django's live_server, on Debian's chromium.

No browser is downloaded: Playwright drives /usr/bin/chromium. Every request that is not
to the live server (loopback) is aborted, so the browser tests never touch the network.
Without chromium the browser tests skip, except in CI (CI=true) where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.test import Client

from editor import services

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() == "true"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if IN_CI:
        pytest.fail(f"chromium is missing at {CHROMIUM}; CI must run the browser tests")
    pytest.skip(f"chromium is missing at {CHROMIUM}")


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


@pytest.fixture(scope="session", name="chromium")
def chromium_fixture() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the tests' own ORM calls are
    # still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(name="context")
def context_fixture(chromium: Any, live_server: Any, alice: Any) -> Iterator[Any]:
    """A browser context signed in as alice (the owner)."""
    ctx = new_context(chromium, live_server, alice)
    yield ctx
    ctx.close()


@pytest.fixture(name="context")
def asgi_context_fixture(chromium: Any, asgi_live_server: Any, alice: Any) -> Iterator[Any]:
    """alice's browser on the ASGI server, where the canvas saves over the flow's websocket.
    A module takes it instead of the default `context` by importing it:
    `from tests.browser_support import asgi_context_fixture  # noqa: F401`."""
    ctx = new_context(chromium, asgi_live_server, alice)
    yield ctx
    ctx.close()


def only_loopback(route: Any) -> None:
    host = urlparse(route.request.url).hostname or ""
    if host in LOOPBACK:
        route.continue_()
    else:
        route.abort()


@pytest.fixture(name="insecure_cookies")
def insecure_cookies_fixture(settings: Any) -> None:
    # The live server speaks plain HTTP.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def new_context(chromium: Any, live_server: Any, user: Any, **options: Any) -> Any:
    """A browser context signed in as `user` (the session cookie of a forced login)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context = chromium.new_context(viewport={"width": 1600, "height": 1000}, **options)
    context.route("**/*", only_loopback)
    host = urlparse(live_server.url).hostname
    cookie = {"name": django_settings.SESSION_COOKIE_NAME, "value": session}
    context.add_cookies([{**cookie, "domain": host, "path": "/"}])
    context.set_default_timeout(15_000)
    return context


def open_flow(context: Any, live_server: Any, sid: str) -> Any:
    page = context.new_page()
    page.goto(f"{live_server.url}/flows/{sid}/")
    page.wait_for_selector("[data-testid='canvas-app']")
    page.wait_for_selector(".react-flow__node")
    return page


def wait_saved(page: Any) -> None:
    page.wait_for_selector("[data-testid='save-state'][data-state='saved']")
    page.wait_for_function("() => window.__canvas && window.__canvas.queue.idle()")


def clipboard_context(chromium: Any, live_server: Any, user: Any) -> Any:
    ctx = new_context(chromium, live_server, user)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    return ctx


def exported(flow: Any) -> dict[str, Any]:
    """The flow's states by name, as stored (read through the ORM, not the page)."""
    flow.refresh_from_db()
    return {s["name"]: s for s in services.export_flow(flow)["states"]}


def select(page: Any, name: str, **options: Any) -> None:
    """Click a widget's head. With Shift among the modifiers, the key goes down first and the
    click waits until the canvas has taken it (React Flow marks its pane `selection`): React
    Flow reads a held Shift from state a render after the keydown, and Playwright's own
    modifier press comes a moment before the click, which a loaded machine can outrun."""
    head = page.locator(f"[data-testid='widget-{name}'] .w-head")
    if "Shift" not in options.get("modifiers", ()):
        head.click(**options)
        return
    page.keyboard.down("Shift")
    try:
        page.wait_for_selector(".react-flow__pane.selection")
        head.click(**options)
    finally:
        page.keyboard.up("Shift")


def fill(page: Any, testid: str, text: str) -> None:
    """Type into an inspector field and leave it (which saves it)."""
    field = page.locator(f"[data-testid='inspector'] [data-testid='{testid}']")
    field.fill(text)
    field.blur()
