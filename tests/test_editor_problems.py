"""What the canvas is told about problems: blocking, severity, event labels, size limits."""

from __future__ import annotations

import json

import pytest

from editor import services
from editor.flowspec import catalogue
from editor.flowspec.jsontext import MAX_BYTES
from editor.flowspec.problems import path, warning
from editor.samples import load_sample

from .conftest import post

pytestmark = pytest.mark.django_db


def imported(browser, flow, text):
    flow.refresh_from_db()
    return post(
        browser,
        f"/api/editor/flows/{flow.sid}/import",
        {"base_version": flow.version, "definition": text},
    )


def test_it_marks_unparseable_json_as_blocking_so_no_import_anyway_is_offered(browser, tutorial):
    response = imported(browser, tutorial, "{nope")
    assert response.status_code == 400
    [problem] = response.json()["details"]["errors"]
    assert problem["message"].startswith("is not valid JSON")
    assert problem["blocking"] is True
    assert problem["severity"] == "error"


def test_it_marks_problems_an_invalid_draft_may_keep_as_not_blocking(browser, tutorial):
    broken = load_sample("conversations-tutorial")
    broken["states"][0]["transitions"][0]["next"] = "nowhere"
    response = imported(browser, tutorial, json.dumps(broken))
    assert response.status_code == 400
    assert response.json()["details"]["errors"] == [
        {
            "message": "must match a widget name",
            "property_path": "#/states/0/transitions/0/next",
            "hint": "Widget `Trigger`: transition `incomingMessage` goes to `nowhere`, which is "
            "not a widget in this flow. Connect it to an existing widget or remove it.",
            "blocking": False,
            "severity": "error",
        }
    ]


def test_it_sends_the_severity_of_each_problem_an_edit_finds(browser, tutorial, monkeypatch):
    def with_a_warning(document):
        return [warning("This range is very large", path("states", 1, "properties", "body"))]

    monkeypatch.setattr("editor.services.edits.validate", with_a_warning)
    tutorial.refresh_from_db()
    move = {"op": "move_widgets", "offsets": {"split_1": {"x": 3, "y": 4}}}
    response = post(
        browser,
        f"/api/editor/flows/{tutorial.sid}/edits",
        {"base_version": tutorial.version, "ops": [move]},
    )
    assert response.json()["problems"] == [
        {
            "message": "This range is very large",
            "property_path": "#/states/1/properties/body",
            "hint": "This range is very large",
            "blocking": False,
            "severity": "warning",
        }
    ]


def test_it_serves_stored_problems_in_the_same_shape_and_the_size_limit(browser, tutorial):
    tutorial.refresh_from_db()
    services.apply_edit(
        tutorial,
        base_version=tutorial.version,
        ops=[{"op": "update_widget", "name": "split_1", "properties": {}}],
        user=None,
    )
    document = browser.get(f"/api/editor/flows/{tutorial.sid}").json()
    assert document["problems"] == [
        {
            "message": "input is missing but it is required",
            "property_path": "#/states/2/properties",
            "hint": "Widget `split_1` (Split Based On…) needs `input`. Fill it in before "
            "publishing.",
            "blocking": False,
            "severity": "error",
        }
    ]
    assert document["max_definition_bytes"] == MAX_BYTES


def test_it_labels_each_trigger_event_as_the_console_does():
    trigger = catalogue.BY_TYPE["trigger"]
    assert [trigger.event_labels[e] for e in trigger.events] == [
        "Incoming Message",
        "Incoming Call",
        "Incoming Conversation",
        "REST API",
        "Subflow",
    ]
    served = {w["type"]: w for w in catalogue.as_json()["widgets"]}
    assert served["trigger"]["event_labels"]["incomingRequest"] == "REST API"
    for widget in catalogue.WIDGET_TYPES:
        assert set(widget.event_labels) <= set(widget.allowed_events), widget.type
        assert set(served[widget.type]["event_labels"]) == set(widget.allowed_events)


def test_it_labels_gather_and_connect_call_to_events_as_the_console_does():
    """The canvas read "Keypress", "Speech" and "Timeout" under a Gather where Studio says
    "User Pressed Keys", "User Said Something" and "No Input"."""
    served = {w["type"]: w["event_labels"] for w in catalogue.as_json()["widgets"]}
    assert served["gather-input-on-call"] == {
        "keypress": "User Pressed Keys",
        "speech": "User Said Something",
        "timeout": "No Input",
    }
    assert served["connect-call-to"] == {
        "callCompleted": "Connected Call Ended",
        "hangup": "Caller Hung Up",
    }


def test_it_puts_other_event_names_in_words():
    served = {w["type"]: w["event_labels"] for w in catalogue.as_json()["widgets"]}
    assert served["split-based-on"] == {"noMatch": "No Match", "match": "Match"}
    assert served["send-and-wait-for-reply"]["deliveryFailure"] == "Delivery Failure"
    assert served["connect-virtual-agent-v2"]["live-agent-handoff"] == "Live Agent Handoff"
    assert served["make-http-request"]["failed"] == "Fail"
