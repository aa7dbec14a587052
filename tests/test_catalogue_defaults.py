"""The engine takes each property's default and Liquid flag from the catalogue
(editor/flowspec/catalogue/) through Widget's accessors (editor/engine/widgets/base.py),
never from a value written in a widget module."""

from __future__ import annotations

import ast
import copy
from pathlib import Path
from typing import Any

import pytest

from editor.engine.widgets import BY_TYPE as ENGINE_TYPES
from editor.engine.widgets import WIDGETS
from editor.engine.widgets.base import Widget
from editor.flowspec.catalogue import BY_TYPE, NO_DEFAULT

from .engine_support import OK_JSON, FakeHttp, make_ports, start, widget_flow

MODULES = Path(__file__).resolve().parents[1] / "editor" / "engine" / "widgets"
RENDERING = {"text", "pairs", "json_text"}  # (run, key)
ACCESSORS = {"value", "raw", "number", "seconds", "choice", "flag", "items", *RENDERING}


def defaulted(types: set[str]) -> set[str]:
    """Properties the catalogue gives a default (for the engine) in any of `types`."""
    names = set()
    for type_ in types:
        for prop in BY_TYPE[type_].props:
            if prop.runtime_default is not NO_DEFAULT:
                names.add(prop.name)
    return names


def props_get(node: ast.AST) -> ast.Call | None:
    """`<x>.props.get(…)`, or None."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    owner = node.func.value
    if node.func.attr == "get" and isinstance(owner, ast.Attribute) and owner.attr == "props":
        return node
    return None


def literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is not None


def hand_defaults(source: str, types: set[str]) -> list[str]:
    """Every place a widget module supplies a property's default itself."""
    found = []
    with_default = defaulted(types)
    for node in ast.walk(ast.parse(source)):
        where = f"line {getattr(node, 'lineno', '?')}"
        call = props_get(node)
        if call is not None:
            key = call.args[0].value if call.args and isinstance(call.args[0], ast.Constant) else ""
            if len(call.args) > 1:
                found.append(f"{where}: props.get({key!r}, <default>)")
            elif key in with_default:
                found.append(f"{where}: props.get({key!r}) skips the catalogue's default")
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            first, rest = node.values[0], node.values[1:]
            reads = props_get(first) or (
                isinstance(first, ast.Call)
                and isinstance(first.func, ast.Attribute)
                and first.func.attr in ACCESSORS
            )
            if reads and any(literal(v) and v.value not in ("", 0) for v in rest):
                found.append(f"{where}: a property `or` a literal")
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name == "str_bool" and len(node.args) > 1:
                found.append(f"{where}: str_bool(…, <default>)")
            after_key = node.args[2:] if name in RENDERING else node.args[1:]
            if name in ACCESSORS and any(literal(a) for a in after_key):
                found.append(f"{where}: {name}(…) with a literal default")
        if isinstance(node, ast.Assign) and literal(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name) and "DEFAULT" in target.id:
                    found.append(f"{where}: {target.id} = {node.value.value!r}")
    return found


def module_types() -> dict[Path, set[str]]:
    """Each widget module with the types whose classes it defines (helpers: every type)."""
    by_module: dict[str, set[str]] = {}
    for cls in WIDGETS:
        by_module.setdefault(cls.__module__.rsplit(".", 1)[-1], set()).add(cls.type)
    documented = {cls.type for cls in WIDGETS}
    return {
        path: by_module.get(path.stem, documented)
        for path in sorted(MODULES.glob("*.py"))
        if path.stem not in ("base", "__init__")
    }


@pytest.mark.parametrize("path", sorted(module_types()), ids=lambda p: p.name)
def test_no_widget_module_has_a_default_of_its_own(path):
    types = module_types()[path]
    found = hand_defaults(path.read_text(encoding="utf-8"), types)
    assert not found, f"{path.name}: take these from the catalogue:\n  " + "\n  ".join(found)


@pytest.mark.parametrize(
    "source",
    [
        'x = self.props.get("method", "GET")',
        'x = str(self.props.get("method") or "POST")',
        'x = self.props.get("method")',
        'x = str_bool(self.props.get("record"), True)',
        'x = self.seconds("timeout", 5)',
        'x = self.text(run, "language", "en-US")',
        "DEFAULT_TIMEOUT = 3600.0",
    ],
)
def test_the_scan_finds_a_hand_written_default(source):
    assert hand_defaults(source, {"make-http-request", "record-call", "say-play"})


def test_the_scan_lets_the_accessors_through():
    source = 'a = self.choice("method")\nb = self.seconds("timeout") or None\nc = self.raw("x")'
    assert hand_defaults(source, {"make-http-request"}) == []


def engine_widget(type_: str, properties: dict[str, Any]) -> Widget:
    cls = ENGINE_TYPES[type_]
    return cls({"name": "w", "type": type_, "properties": properties, "transitions": []})


@pytest.mark.parametrize("type_", sorted(ENGINE_TYPES))
def test_the_engines_default_is_the_catalogues_for_each_property(type_):
    widget = engine_widget(type_, {})
    for prop in BY_TYPE[type_].props:
        expected = None if prop.runtime_default is NO_DEFAULT else prop.runtime_default
        assert widget.value(prop.name) == expected, prop.name


class Rendering:
    """A run whose Liquid marks what it rendered."""

    def render(self, source: str) -> str:
        return f"rendered:{source}"


@pytest.mark.parametrize("type_", sorted(ENGINE_TYPES))
def test_only_liquid_properties_are_rendered(type_):
    for prop in BY_TYPE[type_].props:
        if prop.type == "string":
            widget = engine_widget(type_, {prop.name: "{{flow.sid}}"})
            text = widget.text(Rendering(), prop.name)
            assert text == ("rendered:{{flow.sid}}" if prop.liquid else "{{flow.sid}}"), prop.name
        elif prop.items == "key_value":
            pairs = [{"key": "k", "value": "{{flow.sid}}"}]
            widget = engine_widget(type_, {prop.name: pairs})
            value = widget.pairs(Rendering(), prop.name)["k"]
            assert value == ("rendered:{{flow.sid}}" if prop.liquid else "{{flow.sid}}"), prop.name


# What a widget needs to do anything at all, and the trigger it runs under.
NEEDS: dict[str, dict[str, Any]] = {
    "send-message": {"body": "hi"},
    "send-and-wait-for-reply": {"body": "hi"},
    "make-http-request": {"url": "https://example.com/"},
    "run-function": {"url": "https://example.com/"},
    "add-twiml-redirect": {"url": "https://example.com/"},
    "say-play": {"say": "hi"},
    "connect-call-to": {"to": "+15550001111"},
    "resume-conversation": {"conversation_sid": "CH" + "1" * 32},
    "run-subflow": {"flow_sid": "FW" + "1" * 32},
}
KIND = {"start-conversation": "request", "make-outgoing-call-v2": "request"}
KIND["make-outgoing-call-v1"] = "request"


def everything_it_did(type_: str, properties: dict[str, Any]) -> dict[str, Any]:
    state = {"name": "w", "type": type_, "properties": properties}
    state["transitions"] = [{"event": e} for e in BY_TYPE[type_].events]
    definition = widget_flow(state)
    http = FakeHttp(default=OK_JSON)
    group = BY_TYPE[type_].group
    kind = KIND.get(type_, "call" if group == "voice" else "message")
    result = start(definition, kind, ports=make_ports(http=http))
    requests = [(r.method, r.url, r.headers, r.body) for r in http.requests]
    return {
        "effects": result.effects,
        "steps": [(s["name"], s["transitioned_to"]) for s in result.steps],
        "wait": result.state["wait"],
        "widgets": result.state["context"]["widgets"],
        "requests": requests,
    }


@pytest.mark.parametrize("type_", sorted(ENGINE_TYPES))
def test_a_widget_without_its_properties_runs_as_with_the_catalogues_defaults(type_):
    needs = NEEDS.get(type_, {})
    defaults = {
        prop.name: copy.deepcopy(prop.runtime_default)
        for prop in BY_TYPE[type_].props
        if prop.runtime_default is not NO_DEFAULT and prop.name not in needs
    }
    assert everything_it_did(type_, needs) == everything_it_did(type_, {**defaults, **needs})


JUNK = [None, "", [], {}, ["x"], {"a": 1}, True, 1.5, -3, "nan", "1e999", "{{"]


@pytest.mark.parametrize("type_", sorted(ENGINE_TYPES))
def test_a_property_of_any_json_value_never_breaks_the_engine(type_):
    """Test users run drafts that validation refuses: the accessors take whatever is there."""
    needs = NEEDS.get(type_, {})
    for prop in BY_TYPE[type_].props:
        for junk in JUNK:
            everything_it_did(type_, {**needs, prop.name: junk})
