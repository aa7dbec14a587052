"""Widgets whose JSON lists fewer transitions than their type has events, in a real browser.

Real exports do this (a Send Message with "transitions": [], a Send & Wait For Reply with
only `incomingMessage`). Studio's canvas shows every event of a widget all the same; so does
this one (editor/frontend/src/outputs.js), without changing the imported document until one
of those outputs is connected.
"""

from __future__ import annotations

import json

import pytest

from editor import services
from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401
    exported,
    open_flow,
    select,
    wait_saved,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]

SEND = {"from": "{{flow.channel.address}}", "to": "{{contact.channel.address}}"}


def short_transitions_definition() -> dict:
    return {
        "description": "Survey",
        "initial_state": "Trigger",
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "transitions": [{"event": "incomingMessage", "next": "ask"}],
                "properties": {"offset": {"x": 0, "y": 0}},
            },
            {
                "name": "ask",
                "type": "send-and-wait-for-reply",
                "transitions": [{"event": "incomingMessage", "next": "closing"}],
                "properties": {
                    "offset": {"x": 0, "y": 200},
                    "from": "{{flow.channel.address}}",
                    "body": "How was it?",
                    "timeout": "86400",
                },
            },
            {
                "name": "closing",
                "type": "send-message",
                "transitions": [],
                "properties": {"offset": {"x": 0, "y": 450}, "body": "Thanks!", **SEND},
            },
            {
                "name": "sorry",
                "type": "send-message",
                "transitions": [{"event": "sent"}, {"event": "failed"}],
                "properties": {"offset": {"x": 400, "y": 700}, "body": "Sorry", **SEND},
            },
        ],
    }


def handles(page, name: str) -> int:
    return page.locator(f"[data-testid='widget-{name}'] [data-testid^='handle-{name}-']").count()


def test_every_event_of_a_widget_has_an_output_and_the_import_is_kept(
    context, asgi_live_server, team
):
    definition = short_transitions_definition()
    flow = services.import_flow(team, json.dumps(definition))
    page = open_flow(context, asgi_live_server, flow.sid)

    assert handles(page, "closing") == 2  # Sent, Failed
    assert handles(page, "ask") == 3  # Reply, Timeout, Delivery Failure
    assert handles(page, "Trigger") == 5  # every trigger event
    stored = exported(flow)
    assert stored["closing"]["transitions"] == []
    assert stored["ask"]["transitions"] == [{"event": "incomingMessage", "next": "closing"}]


def test_connecting_an_output_the_json_lacked_adds_the_missing_events(
    context, asgi_live_server, team
):
    flow = services.import_flow(team, json.dumps(short_transitions_definition()))
    page = open_flow(context, asgi_live_server, flow.sid)

    page.locator("[data-testid='handle-closing-1']").drag_to(
        page.locator("[data-testid='widget-sorry'] .w-handle-in")
    )
    wait_saved(page)

    assert exported(flow)["closing"]["transitions"] == [
        {"event": "sent"},
        {"event": "failed", "next": "sorry"},
    ]
    assert page.locator("[data-testid='rf__edge-closing:1']").count() == 1


def test_the_inspector_lists_every_event_and_connects_a_missing_one(
    context, asgi_live_server, team
):
    flow = services.import_flow(team, json.dumps(short_transitions_definition()))
    page = open_flow(context, asgi_live_server, flow.sid)

    select(page, "ask")
    inspector = page.locator("[data-testid='inspector']")
    assert inspector.locator("[data-transition-index]").count() == 3
    inspector.locator("[data-testid='next-1']").select_option("sorry")
    wait_saved(page)

    assert exported(flow)["ask"]["transitions"] == [
        {"event": "incomingMessage", "next": "closing"},
        {"event": "timeout", "next": "sorry"},
        {"event": "deliveryFailure"},
    ]
