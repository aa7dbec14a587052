"""Whatever the document holds, the linter answers with findings, never an exception: the
canvas lints unsaved states and the CLI lints any file."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

from editor.lint import RULES, lint_document
from editor.samples import SAMPLES, load_sample

SLUGS = [s.slug for s in SAMPLES]

ODD_VALUES: list[Any] = [
    None,
    0,
    -1,
    True,
    "",
    "x",
    [],
    {},
    [None],
    {"event": None},
    "{{",
    "{% for i in (1..99) %}{{ widgets[i] }}{% endfor %}",
    "{{ widgets.a.b | plus }}",
    "{{ widgets[flow.variables.x].y }}",
    "Trigger",
]


def paths(value: Any, here: tuple = ()) -> list[tuple]:
    found = [here]
    if isinstance(value, dict):
        for k, v in value.items():
            found += paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += paths(v, (*here, i))
    return found


def replaced(document: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(document)
    target = out
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return out


@pytest.mark.parametrize("sample", SLUGS)
def test_any_value_anywhere_lints_without_an_exception(sample: str) -> None:
    document = load_sample(sample)
    chosen = random.Random(sample).sample(paths(document), k=min(60, len(paths(document))))
    for path in chosen:
        for value in ODD_VALUES:
            for finding in lint_document(replaced(document, path, value), subflow_sids=set()):
                assert finding.rule in RULES
                json.dumps(finding.as_dict())


def test_findings_can_be_kept_in_sets() -> None:
    document = load_sample(SLUGS[0])
    document["states"].append({"name": "orphan", "type": "send-message", "properties": {}})
    findings = lint_document(document)
    assert len(set(findings)) == len(findings)
