"""The edit cases the canvas runs too (tests/data/edits/*.json; editor/frontend/tests/
ops.test.js runs them through src/ops.js): the server's operations (editor/flowspec/
edits.py) give the same document, or refuse with the same message."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from editor.flowspec.edits import EditRefused, Working, apply
from editor.flowspec.studio_json import join_document, split_document

CASES = Path(__file__).parent / "data" / "edits"


def cases() -> list[Any]:
    found = []
    for path in sorted(CASES.glob("*.json")):
        data = json.loads(path.read_text())
        for case in data["cases"]:
            document = case.get("document", data["document"])
            found.append(pytest.param(document, case, id=f"{path.stem}: {case['name']}"))
    return found


def edited(document: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    head, states = split_document(copy.deepcopy(document))
    working = apply(Working(states=states, head=head), copy.deepcopy(ops))
    return join_document(working.head, working.states)


@pytest.mark.parametrize(("document", "case"), cases())
def test_the_server_agrees_with_the_canvas(document: dict[str, Any], case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(EditRefused) as refused:
            edited(document, case["ops"])
        assert case["error"] in str(refused.value)
    else:
        assert edited(document, case["ops"]) == case["expected"]


def test_there_are_cases_for_every_operation() -> None:
    from editor.flowspec.edits import OPERATIONS

    kinds = {op["op"] for p in cases() for op in p.values[1]["ops"]}
    assert set(OPERATIONS) <= kinds
