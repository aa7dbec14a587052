"""The linter's rules, driven by tests/data/lint/<rule>.json (see its README), the corpus,
and the time a 1,000-widget flow takes."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from bench.flowgen import generate
from editor.flowspec.edits import Working, apply
from editor.flowspec.studio_json import join_document, split_document
from editor.lint import RULES, Finding, lint_document

from .conftest import corpus_files

CASES_DIR = Path(__file__).parent / "data" / "lint"
FILES = sorted(CASES_DIR.glob("*.json"))


def studio_state(state: dict[str, Any]) -> dict[str, Any]:
    transitions = state.get("transitions", [])
    if isinstance(transitions, dict):
        transitions = [{"event": e, **({"next": n} if n else {})} for e, n in transitions.items()]
    return {
        "name": state["name"],
        "type": state["type"],
        "transitions": transitions,
        "properties": {"offset": {"x": 0, "y": 0}, **state.get("properties", {})},
    }


def document_of(case: dict[str, Any]) -> Any:
    if "document" in case:
        document = case["document"]
        repeat = case.get("repeat")
        if repeat:  # {"count": n, "state": {...}}: n copies named NAME0, NAME1, …
            state = repeat["state"]
            copies = [{**state, "name": f"{state['name']}{i}"} for i in range(repeat["count"])]
            document = {**document, "states": [*document["states"], *copies]}
        return document
    trigger = {
        "name": "Trigger",
        "type": "trigger",
        "transitions": [
            {"event": e, **({"next": case["trigger"][e]} if e in case["trigger"] else {})}
            for e in (
                "incomingMessage",
                "incomingCall",
                "incomingConversationMessage",
                "incomingRequest",
                "incomingParent",
            )
        ],
        "properties": {"offset": {"x": 0, "y": 0}},
    }
    return {
        "description": case["description"],
        "states": [trigger, *(studio_state(s) for s in case["states"])],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }


def lint_case(case: dict[str, Any], document: Any) -> list[Finding]:
    sids = case.get("subflow_sids")
    return lint_document(document, subflow_sids=set(sids) if sids is not None else None)


def key(finding: Finding | dict[str, Any], rule: str) -> tuple:
    if isinstance(finding, Finding):
        return (finding.rule, finding.widget, finding.field, finding.severity)
    rule = finding.get("rule", rule)
    return (
        rule,
        finding["widget"],
        finding["field"],
        finding.get("severity", RULES[rule].severity),
    )


def all_cases() -> list[Any]:
    params = []
    for path in FILES:
        data = json.loads(path.read_text())
        for n, case in enumerate(data["cases"]):
            params.append(pytest.param(data["rule"], case, id=f"{path.stem}-{n}"))
    return params


@pytest.mark.parametrize("rule,case", all_cases())
def test_rule_case(rule: str, case: dict[str, Any]) -> None:
    document = document_of(case)
    rules = set(case.get("rules", [rule]))
    findings = [f for f in lint_case(case, document) if f.rule in rules]
    assert sorted(key(f, rule) for f in findings) == sorted(key(e, rule) for e in case["expect"])
    for finding in findings:
        assert finding.message.startswith(("Widget", "Widgets", "This ")), finding.message
        if finding.widget:
            assert f"`{finding.widget}`" in finding.message
        json.dumps(finding.as_dict())  # every finding crosses the wire as JSON
    for expected in case["expect"]:
        if expected.get("fix"):
            check_fix(case, document, rule, expected, findings)
        elif expected.get("fix") is False:  # a fix would do harm: none is offered
            finding = next(f for f in findings if key(f, rule) == key(expected, rule))
            assert finding.fix is None, finding


def check_fix(
    case: dict[str, Any], document: dict[str, Any], rule: str, expected: dict, found: list
) -> None:
    finding = next(f for f in found if key(f, rule) == key(expected, rule))
    assert finding.fix and finding.fix["label"] and finding.fix["edits"], finding
    head, states = split_document(json.loads(json.dumps(document)))
    working = apply(Working(states=states, head=head), json.loads(json.dumps(finding.fix["edits"])))
    fixed = join_document(working.head, working.states)
    # Gone, and not moved elsewhere in the widget (a split's input and its copies are fixed
    # together).
    after = [(f.rule, f.widget) for f in lint_case(case, fixed)]
    assert (finding.rule, finding.widget) not in after


def test_every_rule_has_cases() -> None:
    assert {p.stem for p in FILES} == set(RULES)


def test_rules_describe_themselves() -> None:
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id and rule.severity in ("error", "warning", "info")
        assert rule.description.endswith(".") and "\n" not in rule.description


CORPUS = corpus_files("flows") + corpus_files("legacy") + corpus_files("widget-fixtures")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_corpus_flow_lints(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "states" not in data and "definition" in data:
        data = data["definition"]
    for finding in lint_document(data, subflow_sids=set()):
        assert finding.rule in RULES
        json.dumps(finding.as_dict())


def test_a_thousand_widgets_lint_well_under_a_second() -> None:
    document = generate(1000)
    lint_document(generate(10))  # imports and caches warmed
    elapsed = []
    for _ in range(3):  # the best of three: the machine is shared
        started = time.perf_counter()
        findings = lint_document(document)
        elapsed.append(time.perf_counter() - started)
    assert findings  # the generated flow leaves failures unwired
    assert min(elapsed) < 0.8, f"{min(elapsed):.2f} s"
