"""Legacy (Studio v1 console) exports: every widget type converts, malformed ones are refused
cleanly. Cases are data in tests/data/legacy/*.json; the corpus's legacy exports run too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor import services
from editor.flowspec.catalogue import BY_TYPE, TYPE_NAMES
from editor.flowspec.legacy import LEGACY_ALIASES, LEGACY_TYPES, modern_type
from editor.flowspec.problems import DocumentError, errors_of
from editor.flowspec.studio_json import prepare
from editor.flowspec.validate import validate
from editor.models import Flow

from .conftest import corpus_files

CASES = sorted((Path(__file__).parent / "data" / "legacy").glob("*.json"))
CORPUS = corpus_files("legacy")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def by_name(document: dict) -> dict:
    return {s["name"]: s for s in document["states"]}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_legacy_case(path):
    case = load(path)
    if "refused" in case:
        with pytest.raises(DocumentError) as caught:
            prepare(case["legacy"])
        found = {p.property_path: p for p in caught.value.problems}
        for expected in case["refused"]:
            problem = found[expected["property_path"]]
            assert problem.blocking
            for fragment in expected["contains"]:
                assert fragment in problem.message, problem.message
        return
    expect = case["expect"]
    modern = prepare(case["legacy"])
    states = by_name(modern)
    assert modern["initial_state"] == expect["initial_state"]
    assert {name: states[name]["type"] for name in expect["types"]} == expect["types"]
    for where, target in expect.get("next", {}).items():
        name, event = where.split(".")
        (transition,) = [t for t in states[name]["transitions"] if t["event"] == event]
        assert transition["next"] == target, where
    for name, properties in expect.get("properties", {}).items():
        assert states[name]["properties"] == properties
    for state in modern["states"]:
        assert "sid" not in state
        assert all("uuid" not in t for t in state["transitions"])
    if expect.get("valid"):
        assert errors_of(validate(modern)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_legacy_case_through_import(path, team):
    """The import service either stores the converted flow or refuses it; never a crash."""
    case = load(path)
    text = json.dumps(case["legacy"])
    if "refused" in case:
        with pytest.raises(services.FlowRejected) as caught:
            services.import_flow(team, text, allow_problems=True)
        paths = {p.property_path for p in caught.value.problems}
        assert {e["property_path"] for e in case["refused"]} <= paths
        assert not Flow.objects.exists()
        return
    flow = services.import_flow(team, text, allow_problems=True)
    if case["expect"].get("valid"):
        assert flow.valid and flow.errors == []
    exported = by_name(services.export_flow(flow))
    assert {n: exported[n]["type"] for n in case["expect"]["types"]} == case["expect"]["types"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_real_legacy_exports_import_as_valid_flows(path, team):
    flow = services.import_flow(team, path.read_bytes())
    assert flow.valid and flow.errors == []
    legacy = json.loads(path.read_text(encoding="utf-8"))
    exported = services.export_flow(flow)
    assert [s["name"] for s in exported["states"]] == [s["name"] for s in legacy["states"]]
    assert all(s["type"] in BY_TYPE for s in exported["states"])


def test_every_legacy_type_name_is_a_catalogue_type():
    for name, modern in {**LEGACY_TYPES, **LEGACY_ALIASES}.items():
        assert modern in BY_TYPE, name
        assert modern_type(name) == modern


@pytest.mark.parametrize("modern", TYPE_NAMES)
def test_today_s_type_names_in_camel_case_convert_back(modern):
    camel = "".join(part.capitalize() for part in modern.split("-"))
    assert modern_type(camel) == modern
    assert modern_type(modern) == modern


@pytest.mark.parametrize("spelling", ["AddTwiMLRedirect", "SendToAutoPilot", "sendToFlex"])
def test_any_capitalisation_of_a_type_name_converts(spelling):
    assert modern_type(spelling) in BY_TYPE


def test_an_unknown_legacy_type_is_kept_for_validation_to_report():
    legacy = {
        "description": "x",
        "states": [
            {"name": "Trigger", "type": "InitialState", "transitions": [], "sid": "FF1"},
            {"name": "odd", "type": "Teleport", "properties": {}, "transitions": [], "sid": "FF2"},
        ],
    }
    modern = prepare(legacy)
    assert by_name(modern)["odd"]["type"] == "Teleport"
    (problem,) = validate(modern)
    assert problem.property_path == "#/states/1/type"
    assert "`odd`" in problem.hint


def test_a_modern_document_without_initial_state_is_not_mistaken_for_legacy():
    document = {"states": [{"name": "Trigger", "type": "trigger", "transitions": []}]}
    assert "initial_state" not in prepare(document)
