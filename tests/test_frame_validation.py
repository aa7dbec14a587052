"""The flow websocket checks each client frame against docs/protocol.schema.json with the
definitions written in place (editor/consumers/limits.py, for speed): it must accept and
refuse exactly what the schema as written does, with the same first error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft7Validator

from editor.consumers.limits import BadFrame, inlined, parse, schema, validators

SID = "FN" + "a" * 32
FRAMES: list[dict[str, Any]] = [
    {"type": "run.reply", "execution": SID, "body": "yes", "ref": "r1"},
    {"type": "run.reply", "execution": SID},
    {"type": "run.reply", "execution": 5, "body": "yes"},
    {"type": "run.reply", "execution": SID, "body": "x" * 100_000},
    {"type": "run.start", "trigger": "message", "contact": "+15550001111"},
    {"type": "run.start", "trigger": "fax"},
    {"type": "run.gather", "execution": SID, "digits": "12#"},
    {"type": "run.event", "execution": SID, "event": "timeout", "params": {"a": "b"}},
    {"type": "ping"},
    {"type": "ping", "ref": 7},
    {"type": "doc.edit", "base": 3, "ops": [{"op": "move_widget", "name": "a", "x": 1, "y": 2}]},
    {"type": "doc.edit", "ops": "no"},
    {"type": "mocks.set", "widget": "http_1", "mock": {"status": 200, "body": "{}"}},
    {"type": "presence.update", "selection": ["a", "b"]},
    {"type": "debug.breakpoint", "widget": "split_1", "condition": "1 == 1"},
]


def first_error(validator: Draft7Validator, frame: dict[str, Any]) -> tuple | None:
    error = next(iter(sorted(validator.iter_errors(frame), key=lambda e: e.path)), None)
    return None if error is None else (list(error.absolute_path), error.message)


@pytest.mark.parametrize("frame", FRAMES, ids=lambda f: f["type"])
def test_an_inlined_validator_says_what_the_schema_as_written_says(frame):
    full = schema()
    option = next(
        o
        for o in full["definitions"]["client"]["oneOf"]
        if o["properties"]["type"]["const"] == frame["type"]
    )
    as_written = Draft7Validator({**option, "definitions": full["definitions"]})

    assert first_error(validators()[frame["type"]], frame) == first_error(as_written, frame)


def test_every_client_message_type_has_a_validator_with_no_reference_left():
    kinds = {o["properties"]["type"]["const"] for o in schema()["definitions"]["client"]["oneOf"]}

    assert set(validators()) == kinds
    for validator in validators().values():
        assert "$ref" not in str(validator.schema)


def test_a_definition_that_refers_to_itself_is_refused_not_looped():
    definitions = {"node": {"type": "array", "items": {"$ref": "#/definitions/node"}}}

    with pytest.raises(ValueError, match="refers to itself"):
        inlined({"$ref": "#/definitions/node"}, definitions)


def test_a_value_over_its_limit_is_refused_with_the_limit_not_the_value():
    """A 5,000-character reply is refused in words ("longer than 1600 characters"), not with
    jsonschema's message, which quotes the whole value and was cut before the reason."""
    frame = {"type": "run.reply", "execution": SID, "body": "x" * 5000, "ref": "r9"}

    with pytest.raises(BadFrame) as refused:
        parse(json.dumps(frame), None)

    assert refused.value.message == "run.reply: body: is longer than 1600 characters"
    assert (refused.value.code, refused.value.ref) == ("bad_message", "r9")
