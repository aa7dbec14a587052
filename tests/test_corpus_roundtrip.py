"""Every real Studio export in the corpus imports and exports without loss."""

from __future__ import annotations

import json

import pytest

from editor import services
from editor.flowspec.problems import errors_of
from editor.flowspec.studio_json import prepare
from editor.flowspec.validate import validate

from .conftest import corpus_files
from .export_support import unwired_next_dropped

FLOWS = corpus_files("flows")
FIXTURES = corpus_files("widget-fixtures")
LEGACY = corpus_files("legacy")


def as_definition(data):
    return data["definition"] if "states" not in data and "definition" in data else data


@pytest.mark.django_db
@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.name)
def test_every_corpus_flow_round_trips(path, team):
    text = path.read_text(encoding="utf-8")
    flow = services.import_flow(team, text, allow_problems=True)
    exported = services.export_flow(flow)
    expected = unwired_next_dropped(as_definition(json.loads(text)))
    assert exported == expected
    # Key order too, at every level: a re-exported file diffs clean against the original.
    assert json.dumps(exported) == json.dumps(expected)
    assert json.dumps(services.export_flow(flow, revision=1)) == json.dumps(expected)


# Two exports whose authors blanked a Function's URL or Flex's SIDs out before publishing
# them; Twilio's schema requires those, so these errors are real.
BLANKED_OUT = {
    "url is missing but it is required",
    "workflow is missing but it is required",
    "channel is missing but it is required",
}


@pytest.mark.parametrize("path", FLOWS + LEGACY, ids=lambda p: p.name)
def test_no_corpus_flow_is_refused_for_anything_twilio_stores(path):
    """Every real export validates, bar required fields its author removed."""
    document = prepare(json.loads(path.read_text(encoding="utf-8")))
    assert {p.message for p in errors_of(validate(document))} <= BLANKED_OUT


@pytest.mark.django_db
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_widget_fixture_round_trips(path, team):
    state = json.loads(path.read_text(encoding="utf-8"))
    states = [state]
    if state["type"] != "trigger":
        states.insert(
            0, {"name": "Trigger", "type": "trigger", "transitions": [], "properties": {}}
        )
    document = {"description": path.stem, "states": states, "initial_state": states[0]["name"]}
    flow = services.create_flow(
        team, friendly_name=path.stem, definition=document, allow_problems=True
    )
    exported = services.export_flow(flow)
    assert exported["states"][-1] == unwired_next_dropped(state)


@pytest.mark.parametrize("path", LEGACY, ids=lambda p: p.name)
def test_legacy_exports_convert_to_the_modern_format(path):
    legacy = json.loads(path.read_text(encoding="utf-8"))
    modern = prepare(legacy)
    names = {s["name"] for s in modern["states"]}
    assert modern["initial_state"] == "Trigger"
    assert "flags" in modern
    for state in modern["states"]:
        assert "sid" not in state
        assert not state["type"][0].isupper()
        for transition in state["transitions"]:
            assert "uuid" not in transition
            assert transition.get("next", "Trigger") in names
    assert len(modern["states"]) == len(legacy["states"])


@pytest.mark.django_db
def test_unknown_keys_survive_at_every_level(team):
    document = {
        "description": "Unknown keys",
        "x-top": {"nested": [1, "2", None, True]},
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "x-state": 1,
                "transitions": [{"event": "incomingMessage", "next": "vars", "x-t": "a"}],
                "properties": {"offset": {"x": -10, "y": 0, "x-o": 1}, "x-prop": [{"k": 1}]},
            },
            {
                "name": "vars",
                "type": "set-variables",
                "transitions": [{"event": "next", "next": "split_1"}],
                "properties": {
                    "variables": [{"key": "a", "value": "1", "index": "0"}],
                    "parse_as_json": False,
                },
            },
            {
                "name": "split_1",
                "type": "split-based-on",
                "transitions": [
                    {"event": "noMatch"},
                    {
                        "event": "match",
                        "next": "vars",
                        "conditions": [
                            {
                                "friendly_name": "x",
                                "arguments": ["{{flow.variables.a}}"],
                                "type": "equal_to",
                                "value": "1",
                                "x-cond": "kept",
                            }
                        ],
                    },
                ],
                "properties": {"input": "{{flow.variables.a}}", "timeout_ms": 5},
            },
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": False, "x-flag": "kept"},
    }
    flow = services.create_flow(team, friendly_name="Unknown", definition=document)
    assert flow.valid
    assert services.export_flow(flow) == document
    # Key order is kept too, so exports diff cleanly.
    assert json.dumps(services.export_flow(flow)) == json.dumps(document)
    assert list(services.export_flow(flow)) == list(document)
    assert list(services.export_flow(flow)["states"][2]["properties"]) == ["input", "timeout_ms"]


@pytest.mark.django_db
def test_key_order_survives_canvas_edits(team):
    """The offset stays where the author's file had it when the widget moves, state keys
    keep their order through an edit, and a top-level order Studio does not use stays."""
    document = {
        "states": [
            {
                "transitions": [{"event": "incomingMessage", "next": "send"}],
                "type": "trigger",
                "name": "Trigger",
                "properties": {"offset": {"x": 0, "y": 0}},
            },
            {
                "name": "send",
                "type": "send-message",
                "transitions": [{"event": "sent"}, {"event": "failed"}],
                "properties": {"from": "a", "offset": {"x": 5, "y": 9}, "body": "Hi"},
            },
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
        "description": "Order",
    }
    flow = services.create_flow(team, friendly_name="Order", definition=document)
    assert json.dumps(services.export_flow(flow)) == json.dumps(document)
    move = {"op": "move_widgets", "offsets": {"send": {"x": 50, "y": 90}}}
    services.apply_edit(flow, base_version=flow.version, ops=[move], user=None)
    flow.refresh_from_db()
    services.apply_edit(
        flow,
        base_version=flow.version,
        ops=[{"op": "update_widget", "name": "Trigger", "transitions": []}],
        user=None,
    )
    flow.refresh_from_db()
    exported = services.export_flow(flow)
    assert list(exported) == ["states", "initial_state", "flags", "description"]
    assert list(exported["states"][0]) == ["transitions", "type", "name", "properties"]
    assert exported["states"][1]["properties"] == {
        "from": "a",
        "offset": {"x": 50, "y": 90},
        "body": "Hi",
    }
    assert list(exported["states"][1]["properties"]) == ["from", "offset", "body"]


@pytest.mark.django_db
def test_exact_json_types_are_kept(team):
    document = {
        "description": "Types",
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
                "transitions": [{"event": "incomingMessage"}],
                "properties": {
                    "offset": {"x": 0, "y": 200},
                    "from": "{{flow.channel.address}}",
                    "body": "007",
                    "timeout": 3600,
                    "media_url": "1.50",
                },
            },
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }
    flow = services.create_flow(team, friendly_name="Types", definition=document)
    exported = services.export_flow(flow)["states"][1]["properties"]
    assert exported["timeout"] == 3600 and isinstance(exported["timeout"], int)
    assert exported["body"] == "007"
    assert exported["media_url"] == "1.50"
