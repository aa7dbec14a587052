"""FlowValidate: pass 1 checks structure with JSON Schema, pass 2 checks meaning.

Both passes report every problem in Twilio's shape, with a path the canvas can point at.
Messages follow the ones Studio's validator returns (docs/flow-format.md, Validation); each problem
also gets a hint in plain words (hints.py). Errors refuse a write; warnings (severity
"warning") are what Twilio accepts but an author should hear about. rules.py holds the
rules Twilio's schema has no wording for.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft7Validator

from ..engine.templating import hazards, syntax_error
from .catalogue import BY_TYPE, CONDITION_TYPE_NAMES, TYPE_NAMES, Prop, WidgetType, json_type_of
from .hints import explain
from .problems import Problem, path, warning
from .rules import rule_problems

NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
FLOW_SID = re.compile(r"^FW[0-9a-fA-F]{32}$")
FLOW_REVISION = re.compile(r"^(LatestPublished|LatestDraft|[1-9][0-9]*)$")
RESERVED_NAMES = {"Ended"}


@cache
def schema() -> dict[str, Any]:
    document = json.loads((Path(__file__).with_name("schema.json")).read_text())
    Draft7Validator.check_schema(document)
    return document


@cache
def fast_validator() -> Any:
    """jsonschema-rs checks a 1,000-widget flow in under a millisecond (Python: ~170 ms)."""
    return jsonschema_rs.Draft7Validator(schema())


@cache
def schema_validator() -> Draft7Validator:
    """The reference implementation; its errors carry what the messages are built from."""
    return Draft7Validator(schema())


def enumeration(values: Any) -> str:
    return "does not have a value in the enumeration " + json.dumps(list(values))


def validate(document: Any) -> list[Problem]:
    """Every problem in `document`, each with a hint; no errors means the flow is valid."""
    problems = structure_problems(document)
    if isinstance(document, dict) and isinstance(document.get("states"), list):
        problems += meaning_problems(document)
    return explain(document, problems)


def structure_problems(document: Any) -> list[Problem]:
    if fast_validator().is_valid(document):
        return []
    problems = []
    for error in schema_validator().iter_errors(document):
        problems.append(Problem(schema_message(error), path(*error.absolute_path), blocking=True))
    return problems


def schema_message(error: Any) -> str:
    kind = error.validator
    if kind == "required":
        missing = re.match(r"'(.+)' is a required property", error.message)
        return f"{missing.group(1) if missing else error.message} is missing but it is required"
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return f"{json_type_of(error.instance)} found, {expected} expected"
    if kind == "const":
        return f"must be a constant value {error.validator_value}"
    if kind == "enum":
        return enumeration(error.validator_value)
    if kind == "minItems":
        return f"must have at least {error.validator_value} items"
    if kind == "maxItems":
        return f"must have at most {error.validator_value} items"
    if kind == "minLength":
        return f"must be at least {error.validator_value} characters long"
    if kind == "maxLength":
        return f"must be at most {error.validator_value} characters long"
    return error.message


def meaning_problems(document: dict[str, Any]) -> list[Problem]:
    states = [s if isinstance(s, dict) else {} for s in document["states"]]
    names = [s.get("name") for s in states]
    known = {n for n in names if isinstance(n, str)}
    problems: list[Problem] = []

    initial = document.get("initial_state")
    if isinstance(initial, str) and initial not in known:
        problems.append(Problem("must match a widget name", path("initial_state")))

    seen: set[str] = set()
    for i, state in enumerate(states):
        name = state.get("name")
        if isinstance(name, str) and name:
            problems += name_problems(name, i, seen)
            seen.add(name)
        problems += state_problems(state, i, known)

    problems += rule_problems(document, states)
    return problems


def name_problems(name: str, i: int, seen: set[str]) -> list[Problem]:
    at = path("states", i, "name")
    if name in seen:
        return [
            Problem(
                f"widget name {name} is used more than once",
                at,
                blocking=True,
                hint=f"Two widgets are named `{name}`. Rename one: names are unique in a flow.",
            )
        ]
    if name in RESERVED_NAMES:
        # Twilio stores such a flow; only the step log reads oddly (a step into the widget
        # looks like the end of the execution), so this is worth a warning, not a refusal.
        return [
            warning(
                f"{name} is the name the step log uses for the end of an execution",
                at,
                hint=f"Widget `{name}` has the name steps use for the end of an execution, "
                f"so a step into it reads like the end. Rename it.",
            )
        ]
    if not NAME_PATTERN.match(name):
        return [
            Problem(
                "must start with a letter and contain only letters, digits, _ and -",
                at,
                hint=f"Widget `{name}`: a name starts with a letter and has only letters, "
                f"digits, _ and - (no spaces or periods), so Liquid can read widgets.NAME. "
                f"Rename it.",
            )
        ]
    return []


def state_problems(state: dict[str, Any], i: int, known: set[str]) -> list[Problem]:
    type_ = state.get("type")
    if not isinstance(type_, str):
        return []
    widget = BY_TYPE.get(type_)
    if widget is None:
        return [Problem(enumeration(TYPE_NAMES), path("states", i, "type"))]
    problems = transition_problems(state.get("transitions"), widget, i, known)
    properties = state.get("properties")
    if widget.documented and isinstance(properties, dict):
        problems += property_problems(properties, widget, i)
    elif widget.documented and type_ != "trigger" and properties is None:
        problems.append(Problem("properties is missing but it is required", path("states", i)))
    return problems


def transition_problems(
    transitions: Any, widget: WidgetType, i: int, known: set[str]
) -> list[Problem]:
    if not isinstance(transitions, list):
        return []
    problems: list[Problem] = []
    seen_events: set[str] = set()
    for j, transition in enumerate(transitions):
        if not isinstance(transition, dict):
            continue
        at = ("states", i, "transitions", j)
        event = transition.get("event")
        if widget.documented and isinstance(event, str):
            if event not in widget.allowed_events:
                problems += [
                    Problem(f"must be a constant value {allowed}", path(*at, "event"))
                    for allowed in widget.allowed_events
                ]
            elif event in seen_events and event not in widget.repeatable_events:
                # Twilio's schema does not refuse it; the engine follows the first one.
                problems.append(
                    warning(
                        f"event {event} is listed more than once; only the first is followed",
                        path(*at, "event"),
                    )
                )
            seen_events.add(event)
        target = transition.get("next")
        if isinstance(target, str) and target and target not in known:
            problems.append(Problem("must match a widget name", path(*at, "next")))
        conditions = transition.get("conditions")
        if isinstance(conditions, list):
            problems += condition_problems(conditions, at)
        elif widget.type == "split-based-on" and event == "match":
            problems.append(Problem("conditions is missing but it is required", path(*at)))
    return problems


def condition_problems(conditions: list[Any], at: tuple[Any, ...]) -> list[Problem]:
    problems: list[Problem] = []
    for k, condition in enumerate(conditions):
        if not isinstance(condition, dict):
            continue
        here = (*at, "conditions", k)
        kind = condition.get("type")
        if isinstance(kind, str) and kind not in CONDITION_TYPE_NAMES:
            problems.append(Problem(enumeration(CONDITION_TYPE_NAMES), path(*here, "type")))
        arguments = condition.get("arguments")
        if isinstance(arguments, list):
            for n, argument in enumerate(arguments):
                problems += liquid_problems(argument, path(*here, "arguments", n))
        problems += liquid_problems(condition.get("value"), path(*here, "value"))
    return problems


def property_problems(properties: dict[str, Any], widget: WidgetType, i: int) -> list[Problem]:
    problems: list[Problem] = []
    for prop in widget.props:
        if prop.required and prop.name not in properties:
            problems.append(
                Problem(
                    f"{prop.name} is missing but it is required", path("states", i, "properties")
                )
            )
    for key, value in properties.items():
        prop = widget.props_by_name.get(key)
        if prop is not None:
            problems += value_problems(prop, value, path("states", i, "properties", key))
    return problems


def value_problems(prop: Prop, value: Any, at: str) -> list[Problem]:
    if value is None:
        return [Problem("must not be null", at)]
    if not prop.accepts(value):
        return [Problem(f"{json_type_of(value)} found, {prop.type} expected", at)]
    if prop.enum and prop.type == "string" and isinstance(value, str) and value not in prop.enum:
        # A value older Studio wrote is kept and warned about (rules.py), not refused.
        return [] if prop.today(value) else [Problem(enumeration(prop.enum), at)]
    if prop.name == "flow_sid" and not FLOW_SID.match(value):
        return [Problem("must be a valid, non-liquid flow sid", at)]
    if prop.name == "flow_revision" and not FLOW_REVISION.match(value):
        return [Problem("must be LatestPublished, LatestDraft or a revision number", at)]
    if prop.items == "key_value":
        return key_value_problems(prop, value, at)
    if prop.items == "string" and prop.enum:
        return [
            Problem(enumeration(prop.enum), f"{at}/{n}")
            for n, item in enumerate(value)
            if item not in prop.enum
        ]
    if prop.liquid and isinstance(value, str):
        return liquid_problems(value, at)
    return []


def key_value_problems(prop: Prop, items: list[Any], at: str) -> list[Problem]:
    problems: list[Problem] = []
    for n, item in enumerate(items):
        here = f"{at}/{n}"
        if not isinstance(item, dict):
            problems.append(Problem(f"{json_type_of(item)} found, object expected", here))
            continue
        key = item.get("key")
        if not isinstance(key, str):
            problems.append(Problem("key is missing but it is required", here))
        if prop.liquid:
            problems += liquid_problems(item.get("value"), f"{here}/value")
    return problems


def liquid_problems(value: Any, at: str) -> list[Problem]:
    """Warnings, never errors: Twilio's Validate does not read Liquid and stores such flows;
    the widget fails when it renders, so the author hears about it here."""
    if not isinstance(value, str):
        return []
    error = syntax_error(value)
    if error:
        return [
            warning(
                f"Liquid syntax error: {error}; the widget will fail when it runs: correct the "
                "template",
                at,
            )
        ]
    return [warning(f"Liquid: {hazard}", at) for hazard in hazards(value)]
