"""The Test panel beside the canvas in small windows (1280x720, 1024x700): what the panel,
the inspector and the canvas tools leave of the canvas, and where a fit or a chosen step
puts the widgets (see test_test_panel_browser.py for the main paths)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.panel_support import (  # noqa: F401
    PANEL_MARKS,
    box,
    by_id,
    ctx_fixture,
    last_bubble,
    open_panel,
    sample_flow,
    start,
    under,
    widget,
)

pytestmark = PANEL_MARKS


def test_opening_the_panel_fits_the_flow_beside_it(ctx, asgi_live_server, team):
    """The page opens with the flow fitted to the whole canvas; the panel then covers its
    right side, and used to hide half the widgets under it until Fit view was pressed."""
    flow = sample_flow(team, "conversations-tutorial")
    page = open_panel(ctx, asgi_live_server, flow.sid, viewport=(1280, 720))
    page.wait_for_timeout(400)  # the fit's 200 ms animation
    assert under(page, "panel-test", ".react-flow__node") == []


def test_a_narrow_window_keeps_the_library_and_the_canvas_tools_clear(ctx, asgi_live_server, team):
    """1024 px wide, with the Test panel and the inspector open: the panel used to keep its
    480 px and slide over the library, with the canvas's tools pushed off its left edge."""
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid, viewport=(1024, 700))
    page.wait_for_timeout(400)  # the fit's 200 ms animation
    # Beside the panel alone the canvas keeps a smaller minimap, clear of the widgets' panel.
    assert box(page, ".react-flow__minimap svg")["width"] == 120
    widget(page, "menu").locator(".w-head").click()
    expect(by_id(page, "inspector")).to_be_visible()

    library = box(page, ".cv-library")
    panel = box(page, "[data-testid='panel-test']")
    inspector = box(page, "[data-testid='inspector']")
    tools = box(page, ".cv-canvas-tools")
    assert panel["x"] >= library["x"] + library["width"]
    assert panel["x"] + panel["width"] <= inspector["x"] + 1
    assert tools["x"] >= library["x"] + library["width"]
    assert tools["x"] + tools["width"] <= panel["x"]
    for name in ("run", "steps", "context", "mocks", "debug"):  # one line each
        assert box(page, f"[data-testid='test-tab-{name}']")["height"] < 40


def test_hang_up_stays_in_sight_when_a_short_panel_scrolls(ctx, asgi_live_server, team):
    """1024x700: the call's controls do not fit under the transcript, so the panel scrolls
    to the keypad; the bar with Hang up used to scroll away with the transcript."""
    flow = sample_flow(team, "ivr-phone-tree")
    page = open_panel(ctx, asgi_live_server, flow.sid, viewport=(1024, 700))
    start(page, "call")
    expect(by_id(page, "keypad")).to_be_attached()
    body = page.locator(".tp-tab-body")
    body.evaluate("(e) => { e.scrollTop = e.scrollHeight; }")
    assert body.evaluate("(e) => e.scrollTop") > 0
    by_id(page, "key-hash").scroll_into_view_if_needed()
    hang_up = box(page, "[data-testid='call-hangup']")
    tabs = box(page, ".tp-tabs")
    panel = box(page, "[data-testid='panel-test']")
    assert tabs["y"] + tabs["height"] <= hang_up["y"]
    assert hang_up["y"] + hang_up["height"] <= panel["y"] + panel["height"]
    by_id(page, "call-hangup").click()  # not covered by what scrolled under it
    expect(by_id(page, "run-head")).to_have_attribute("data-status", "ended")


def test_a_fit_keeps_the_top_of_the_flow_clear_of_the_canvas_tools(ctx, asgi_live_server, team):
    """The SMS chatbot is tall: fitted with 5% of the height above it, its Trigger lay under
    Snap, Minimap and Fit view."""
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid, viewport=(1280, 720))
    for fit in (lambda: None, lambda: by_id(page, "fit").click()):
        fit()
        page.wait_for_timeout(400)  # the fit's 200 ms animation
        tools = box(page, ".cv-canvas-tools")
        trigger = box(page, ".react-flow__node[data-id='Trigger']")
        assert trigger["y"] >= tools["y"] + tools["height"]


def test_the_run_header_keeps_each_address_on_one_line(ctx, asgi_live_server, team):
    """A chat contact such as "tester-alice" broke at its hyphen beside the header's buttons."""
    flow = sample_flow(team, "conversations-tutorial")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    page.set_viewport_size({"width": 1280, "height": 720})
    start(page, "conversation", body="Hi")
    expect(last_bubble(page)).to_contain_text("Hi, do you like bots?")
    by_id(page, "reply-body").fill("yes")
    by_id(page, "reply-body").press("Enter")
    # Ended, the header has its widest buttons (Save as test case, Replay on draft).
    expect(by_id(page, "run-head")).to_have_attribute("data-status", "ended")
    addresses = page.locator(".tp-run-head .tp-addr")
    expect(addresses).to_have_count(2)
    for address in addresses.all():
        assert address.evaluate("(e) => e.getClientRects().length") == 1


def test_a_chosen_step_is_centred_in_the_canvas_a_narrowed_panel_leaves(
    ctx, asgi_live_server, team
):
    """1024 px wide with the inspector open, the panel narrows to 300 px; a step's widget
    was centred as if it still had its 480, beside the panel instead of in the canvas."""
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid, viewport=(1024, 700))
    start(page, "message", body="Hi")
    expect(last_bubble(page)).to_contain_text("Welcome to Owl Books!")
    page.wait_for_timeout(400)  # the fit's 200 ms animation
    widget(page, "menu").locator(".w-head").click()
    expect(by_id(page, "inspector")).to_be_visible()
    by_id(page, "test-tab-steps").click()
    by_id(page, "step-0").click()  # Trigger -> menu: centres the Trigger
    page.wait_for_timeout(400)
    library = box(page, ".cv-library")
    panel = box(page, "[data-testid='panel-test']")
    trigger = box(page, ".react-flow__node[data-id='Trigger']")
    middle = trigger["x"] + trigger["width"] / 2
    assert library["x"] + library["width"] < middle < panel["x"]
