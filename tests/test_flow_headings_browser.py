"""The flow page's heading outline and the canvas header's status in a real browser
(editor/frontend/src/components/, templates/editor/flow_detail.html): headings go
h1 → h2 → h3 without skipping a level, and a never-published flow reads only "Draft"."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from editor import services
from editor.samples import load_sample
from tests.browser_support import open_flow, wait_saved
from tests.panel_support import (  # noqa: F401
    PANEL_MARKS,
    by_id,
    ctx_fixture,
    open_panel,
    sample_flow,
)

pytestmark = PANEL_MARKS

# Every heading on the page, in document order, as [level, text].
OUTLINE = (
    "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
    ".map(h => [Number(h.tagName[1]), h.textContent.trim()])"
)


def skipped_levels(outline: list[Any]) -> list[Any]:
    """Each heading more than one level below the heading before it (the first must be
    an h1)."""
    skips, level = [], 0
    for depth, text in outline:
        if depth > level + 1:
            skips.append((level, depth, text))
        level = depth
    return skips


def shown(outline: list[Any]) -> str:
    return "\n".join(f"{'  ' * (depth - 1)}h{depth} {text}" for depth, text in outline)


def test_skipped_levels_finds_a_jump_from_h1_to_h3():
    assert skipped_levels([(1, "Flow"), (3, "Triggers")]) == [(1, 3, "Triggers")]
    assert skipped_levels([(1, "Flow"), (2, "Library"), (3, "Triggers"), (2, "Test")]) == []


def test_the_flow_page_skips_no_heading_level(ctx, asgi_live_server, team):
    """With the widget library, the inspector and the Test panel (its Debug tab) open, and
    the Details section below the canvas: the library's group headings were h3s straight
    after the h1, and the inspector's "Transitions" an h4."""
    flow = sample_flow(team, "sms-chatbot")
    page = open_panel(ctx, asgi_live_server, flow.sid)
    by_id(page, "library").wait_for()
    page.locator(".react-flow__node .w-head").first.click()
    by_id(page, "inspector").wait_for()
    page.locator("[data-testid='panel-test'] .cv-tab", has_text="Debug").click()
    page.get_by_role("heading", name="Breakpoints").wait_for()
    page.click("#flow-details > summary")

    outline = page.evaluate(OUTLINE)
    levels = {depth for depth, _ in outline}
    assert [text for depth, text in outline if depth == 1] == ["sms-chatbot"]
    assert {2, 3} <= levels
    assert skipped_levels(outline) == [], shown(outline)


def test_the_problems_and_import_panels_skip_no_heading_level(ctx, asgi_live_server, team):
    """The Problems panel with a validation problem and the linter's findings (their group
    headings were h4s and h5s under the panel's h2), then the Import / export panel."""
    definition = load_sample("sms-chatbot")
    definition["states"][0]["transitions"][0]["next"] = "nowhere"
    flow = services.create_flow(
        team, friendly_name="Broken", definition=definition, allow_problems=True
    )
    page = open_panel(ctx, asgi_live_server, flow.sid)
    for tab in ("problems", "io"):
        by_id(page, f"tab-{tab}").click()
        by_id(page, f"panel-{tab}").wait_for()
        if tab == "problems":
            by_id(page, "problems-errors").wait_for()
            by_id(page, "lint-findings").wait_for()
        outline = page.evaluate(OUTLINE)
        assert skipped_levels(outline) == [], f"{tab}:\n{shown(outline)}"


def test_a_never_published_flow_reads_only_draft(ctx, asgi_live_server, team):
    flow = sample_flow(team, "sms-chatbot")
    page = open_flow(ctx, asgi_live_server, flow.sid)
    expect(by_id(page, "flow-status")).to_have_text("Draft")
    expect(by_id(page, "unpublished")).to_have_count(0)
    page.click("[data-testid='tidy']")
    wait_saved(page)
    expect(by_id(page, "flow-status")).to_have_text("Draft")
    expect(by_id(page, "unpublished")).to_have_count(0)


def test_a_published_flow_whose_draft_moved_on_has_unpublished_changes(ctx, asgi_live_server, team):
    flow = sample_flow(team, "sms-chatbot")
    services.publish_flow(flow)
    page = open_flow(ctx, asgi_live_server, flow.sid)
    expect(by_id(page, "flow-status")).to_have_text("Published")
    expect(by_id(page, "unpublished")).to_have_count(0)
    page.click("[data-testid='tidy']")
    wait_saved(page)
    expect(by_id(page, "unpublished")).to_have_text("Unpublished changes")
