"""The linter on the canvas, in a real browser: badges on widgets, the Problems panel going to
a finding's widget and field, "Fix" applied as an ordinary edit (undo brings the finding
back), and the publish dialog listing the findings new since the published revision.

Playwright drives Debian's chromium against the ASGI live server; see tests/browser_support.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from editor import services
from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401
    exported,
    open_flow,
    select,
    wait_saved,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


def document(typo: bool = True, wired: bool = False) -> dict:
    """A reply split whose noMatch is unwired (unless `wired`), and a message that reads a
    misspelt widget name (unless not `typo`)."""
    read = "questoin" if typo else "question"
    return {
        "description": "Lint on the canvas",
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "properties": {"offset": {"x": 0, "y": 0}},
                "transitions": [
                    {"event": "incomingMessage", "next": "question"},
                    {"event": "incomingCall"},
                    {"event": "incomingConversationMessage"},
                    {"event": "incomingRequest"},
                    {"event": "incomingParent"},
                ],
            },
            {
                "name": "question",
                "type": "send-and-wait-for-reply",
                "properties": {
                    "offset": {"x": 0, "y": 200},
                    "body": "Yes or no?",
                    "from": "{{flow.channel.address}}",
                    "timeout": "3600",
                },
                "transitions": [
                    {"event": "incomingMessage", "next": "split_1"},
                    {"event": "timeout", "next": "bye"},
                    {"event": "deliveryFailure", "next": "bye"},
                ],
            },
            {
                "name": "split_1",
                "type": "split-based-on",
                "properties": {
                    "offset": {"x": 0, "y": 400},
                    "input": "{{widgets.question.inbound.Body}}",
                },
                "transitions": [
                    {"event": "noMatch", **({"next": "bye"} if wired else {})},
                    {
                        "event": "match",
                        "next": "bye",
                        "conditions": [
                            {
                                "friendly_name": "yes",
                                "arguments": ["{{widgets.question.inbound.Body}}"],
                                "type": "equal_to",
                                "value": "yes",
                            }
                        ],
                    },
                ],
            },
            {
                "name": "bye",
                "type": "send-message",
                "properties": {
                    "offset": {"x": 0, "y": 600},
                    "body": f"You said {{{{widgets.{read}.inbound.Body}}}}",
                    "from": "{{flow.channel.address}}",
                    "to": "{{contact.channel.address}}",
                },
                "transitions": [{"event": "sent"}, {"event": "failed"}],
            },
        ],
    }


@pytest.fixture(name="linted")
def linted_flow(team):
    """Published clean, then a draft with the two findings."""
    flow = services.create_flow(
        team,
        friendly_name="Linted",
        definition=document(typo=False, wired=True),
        status="published",
    )
    return services.update_flow(flow, status="draft", definition=document())


def finding(page, rule: str):
    return page.locator(f"[data-testid='lint-findings'] [data-rule='{rule}']")


def test_findings_show_go_to_their_field_and_fix_with_undo(context, asgi_live_server, linted):
    page = open_flow(context, asgi_live_server, linted.sid)
    expect(page.locator("[data-testid='lint-badge-bye']")).to_have_attribute(
        "data-severity", "error"
    )
    expect(page.locator("[data-testid='lint-badge-split_1']")).to_have_attribute(
        "data-severity", "warning"
    )
    expect(page.locator("[data-testid='lint-badge-question']")).to_have_count(0)

    page.click("[data-testid='tab-problems']")
    unknown = finding(page, "unknown-widget")
    expect(unknown).to_contain_text("questoin")
    rule = unknown.locator("[data-testid='rule-unknown-widget']")
    assert rule.get_attribute("title")  # the rule's description
    # Going to the finding selects the widget and focuses the field it is about.
    unknown.locator("button.cv-link").click()
    expect(page.locator("[data-testid='inspector'] [data-testid='widget-name']")).to_have_value(
        "bye"
    )
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.dataset.testid === 'field-body'"
    )
    expect(
        page.locator("[data-testid='inspector'] [data-testid='liquid-lint-unknown-widget']")
    ).to_be_visible()

    # An unwired event: the widget's output handle is highlighted.
    finding(page, "unwired-event").locator("button.cv-link").click()
    expect(page.locator("[data-testid='inspector'] [data-testid='widget-name']")).to_have_value(
        "split_1"
    )
    expect(page.locator("[data-testid='widget-split_1'] .w-out.is-focused")).to_have_count(1)
    expect(
        page.locator("[data-testid='inspector'] [data-testid='event-findings-noMatch']")
    ).to_contain_text("No Match")

    # Fix: the finding goes, the document is fixed on the server; undo brings it back.
    finding(page, "unknown-widget").locator("[data-testid^='finding-fix-']").click()
    expect(finding(page, "unknown-widget")).to_have_count(0)
    expect(page.locator("[data-testid='lint-badge-bye']")).to_have_count(0)
    wait_saved(page)
    assert (
        exported(linted)["bye"]["properties"]["body"]
        == "You said {{widgets.question.inbound.Body}}"
    )
    page.click("[data-testid='undo']")
    expect(finding(page, "unknown-widget")).to_have_count(1)
    expect(page.locator("[data-testid='lint-badge-bye']")).to_have_attribute(
        "data-severity", "error"
    )
    wait_saved(page)
    assert "questoin" in exported(linted)["bye"]["properties"]["body"]


def test_the_severity_filter_and_grouping(context, asgi_live_server, linted):
    page = open_flow(context, asgi_live_server, linted.sid)
    page.click("[data-testid='tab-problems']")
    expect(finding(page, "unwired-event")).to_have_count(1)
    page.uncheck("[data-testid='lint-filter-warning']")
    expect(finding(page, "unwired-event")).to_have_count(0)
    expect(finding(page, "unknown-widget")).to_have_count(1)
    page.select_option("[data-testid='lint-group']", "widget")
    expect(page.locator("[data-testid='lint-group-bye']")).to_be_visible()


def test_the_panel_says_no_problems_only_when_the_linter_agrees(context, asgi_live_server, linted):
    """Twilio accepts the draft (no validation problems), but the linter finds an error: the
    panel used to open with "No problems: the flow can be published." above "1 error"."""
    page = open_flow(context, asgi_live_server, linted.sid)
    page.click("[data-testid='tab-problems']")
    expect(finding(page, "unknown-widget")).to_have_count(1)
    verdict = page.locator("[data-testid='problems-panel'] > p.cv-muted").first
    expect(verdict).to_have_text(
        "Twilio accepts the flow as it is, so it can be published; "
        "the linter has more to say below."
    )
    # With nothing for the linter either, it is "No problems".
    services.update_flow(linted, status="draft", definition=document(typo=False, wired=True))
    page.reload()
    page.click("[data-testid='tab-problems']")
    expect(page.locator("[data-testid='lint-clean']")).to_be_visible()
    expect(verdict).to_have_text("No problems: the flow can be published.")


def test_live_lint_while_typing_in_a_liquid_field(context, asgi_live_server, linted):
    page = open_flow(context, asgi_live_server, linted.sid)
    select(page, "question")
    body = page.locator("[data-testid='inspector'] [data-testid='field-body']")
    body.fill("Yes or no? {{ 'x' | upcsae }}")
    note = page.locator("[data-testid='inspector'] [data-testid='liquid-lint-unknown-filter']")
    expect(note).to_contain_text("upcsae")
    expect(page.locator("[data-testid='lint-badge-question']")).to_have_attribute(
        "data-severity", "error"
    )


def test_publish_lists_new_findings_and_asks_before_publishing_errors(
    context, asgi_live_server, linted
):
    page = open_flow(context, asgi_live_server, linted.sid)
    page.click("[data-testid='publish-open']")
    listed = page.locator("[data-testid='publish-lint-findings']")
    expect(listed.locator("[data-rule='unknown-widget']")).to_have_count(1)
    expect(listed.locator("[data-rule='unwired-event']")).to_have_count(1)
    page.click("[data-testid='publish']")
    expect(page.locator("[data-testid='publish-confirm']")).to_be_visible()
    linted.refresh_from_db()
    assert linted.status == "draft"
    page.click("[data-testid='publish-anyway']")
    expect(page.locator("[data-testid='flow-status']")).to_have_text("Published")
