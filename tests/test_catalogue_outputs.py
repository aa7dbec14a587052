"""The catalogue's declared outputs (WidgetType.outputs, editor/flowspec/outputs.py) against
what the engine writes into `widgets.<name>`.

Every widget type runs through the engine: the cases of tests/data/widgets, and the
scenarios of tests/output_scenarios.py (what Twilio's webhooks, the test panel and the
outbox deliver). Every key path written must be declared, and every declared path must be
written by some scenario, so the declaration can rot neither way. A Liquid error's `error`
(runtime.Run.fail) is left out: the execution ends there, so no widget can read it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from editor.engine import runtime
from editor.engine.widgets import WIDGETS
from editor.flowspec import outputs as out
from editor.flowspec.catalogue import BY_TYPE, WIDGET_TYPES, as_json, output_declared

from .output_scenarios import SCENARIOS, run_scenario
from .test_widgets import case_params, run_case


def paths(value: Any, prefix: str = "") -> list[str]:
    """Every key path inside a JSON object (lists are leaves)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            found.append(path)
            found.extend(paths(inner, path))
    return found


@functools.cache
def written() -> dict[str, frozenset[str]]:
    """type -> every key path the engine wrote under a widget of that type."""
    seen: dict[str, set[str]] = defaultdict(set)
    write, fail = runtime.Run.write_outputs, runtime.Run.fail
    failing: list[bool] = []

    def recording_write(self: runtime.Run, widget: Any, outputs: dict[str, Any]) -> None:
        write(self, widget, outputs)
        if not failing:
            seen[widget.type].update(paths(self.context["widgets"][widget.name]))

    def quiet_fail(self: runtime.Run, widget: Any, message: str) -> None:
        failing.append(True)
        try:
            fail(self, widget, message)
        finally:
            failing.pop()

    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(runtime.Run, "write_outputs", recording_write))
        stack.enter_context(mock.patch.object(runtime.Run, "fail", quiet_fail))
        for scenario in SCENARIOS:
            run_scenario(*scenario)
        for param in case_params():
            run_case(*param.values)
    return {type_: frozenset(found) for type_, found in seen.items()}


ENGINE_TYPES = sorted(w.type for w in WIDGETS)


def test_the_engine_runs_every_documented_type_and_no_other():
    documented = {w.type for w in WIDGET_TYPES if w.documented}
    assert set(ENGINE_TYPES) == documented


def test_every_engine_type_runs_in_a_scenario_of_this_file():
    assert {scenario[0] for scenario in SCENARIOS} == set(ENGINE_TYPES)


@pytest.mark.parametrize("type_", ENGINE_TYPES)
def test_every_path_the_engine_writes_is_declared(type_):
    undeclared = sorted(p for p in written().get(type_, ()) if not output_declared(type_, p))
    assert not undeclared, f"{type_} writes {undeclared}; declare them in its outputs"


@pytest.mark.parametrize("type_", ENGINE_TYPES)
def test_every_declared_path_is_written_by_some_scenario(type_):
    found = written().get(type_, frozenset())
    exact, wild = out.compile_outputs(BY_TYPE[type_].outputs)
    never = sorted(exact - found)
    assert not never, f"{type_} declares {never} but no scenario writes them"
    for prefix in wild:
        below = [p for p in found if tuple(p.split("."))[: len(prefix)] == prefix]
        assert any(len(p.split(".")) > len(prefix) for p in below), (type_, prefix)


def test_widgets_that_write_nothing_declare_nothing():
    for type_ in ("trigger", "split-based-on", "fork-stream"):
        assert BY_TYPE[type_].outputs == ()
        assert written().get(type_, frozenset()) == frozenset()


@pytest.mark.parametrize(
    ("type_", "path", "expected"),
    [
        ("make-http-request", "parsed.items[0].name", True),
        ("make-http-request", 'parsed["a b"]', True),
        ("make-http-request", "parsed", True),
        ("make-http-request", "body", True),
        ("make-http-request", "headers", False),
        ("run-function", "headers.x-twilio-function-concurrency", True),
        ("send-and-wait-for-reply", "inbound.Body.size", True),
        ("send-and-wait-for-reply", "inbound.AnythingTwilioSent", True),
        ("send-and-wait-for-reply", "outbound.Nope", False),
        ("send-message", "inbound.Body", False),
        ("set-variables", "anything.below", True),
        ("gather-input-on-call", "Digits", True),
        ("gather-input-on-call", "digits", False),
        ("trigger", "x", False),
        ("create-task", "x", None),
        ("no-such-type", "x", None),
    ],
)
def test_output_declared(type_, path, expected):
    assert output_declared(type_, path) is expected


def test_the_canvas_gets_each_types_outputs():
    served = {w["type"]: w["outputs"] for w in as_json()["widgets"]}
    http = ["status_code", "content_type", "body", "parsed", "parsed.*"]
    assert served["make-http-request"][:5] == http
    assert all(served[w.type] == list(w.outputs) for w in WIDGET_TYPES)


FIXTURE = Path(__file__).resolve().parent / "data" / "catalogue" / "outputs.json"


def test_the_canvas_tests_read_the_catalogues_outputs():
    """editor/frontend/tests/liquid.test.js completes from this copy of as_json()'s outputs;
    after changing the declaration, write it again with the lines below."""
    served = {w["type"]: w["outputs"] for w in as_json()["widgets"]}
    if os.environ.get("WRITE_FIXTURES"):
        FIXTURE.write_text(json.dumps(served, indent=1) + "\n", encoding="utf-8")
    assert json.loads(FIXTURE.read_text(encoding="utf-8")) == served, (
        "run WRITE_FIXTURES=1 pytest tests/test_catalogue_outputs.py to update " + str(FIXTURE)
    )
