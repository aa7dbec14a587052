"""Flow test cases' format (editor/testcases/loader.py): YAML and JSON give the same case,
every invalid case says where, and the published schema is a valid JSON Schema."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from editor.testcases.loader import CaseError, load_case, schema


def test_yaml_and_json_give_the_same_case():
    yaml_case = load_case("name: a\ntrigger: {type: incomingCall}\nscript: [{digits: 1}]\n")
    json_case = load_case(
        '{"name": "a", "trigger": {"type": "incomingCall"}, "script": [{"digits": "1"}]}'
    )
    assert yaml_case == json_case


def test_yaml_keeps_yes_as_text_and_dates_as_text():
    case = load_case("name: a\ntrigger: {type: incomingMessage, body: yes}\nclock: 2026-01-01")
    assert case["trigger"]["body"] == "yes"
    assert case["clock"] == "2026-01-01"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("name: a", "the case: 'trigger' is a required property"),
        ("name: a\ntrigger: {type: ringing}", "trigger.type: 'ringing' is not one of"),
        (
            "name: a\ntrigger: {type: incomingCall}\nscript: [{digits: 1, hangup: true}]",
            "script[0]: an input is exactly one of",
        ),
        (
            "name: a\ntrigger: {type: incomingCall}\nexpect: {paths: []}",
            "expect: unknown key ('paths' was unexpected)",
        ),
        (
            "name: a\ntrigger: {type: incomingCall}\nexpect: {messages: [{body: {matches: '('}}]}",
            "expect.messages[0].body.matches: not a valid regular expression",
        ),
        (
            "name: a\ntrigger: {type: incomingCall}\nexpect: {variables: {x: {matches: '(a+)+$'}}}",
            "expect.variables.x.matches: a repeated group",
        ),
        ("a: &x [1]\nb: *x", "aliases"),
        ("{nope", "not valid JSON"),
        ('name: "a\\0b"\ntrigger: {type: incomingCall}', "name: text cannot hold a NUL character"),
        ("name: [unclosed", "not valid YAML"),
        (
            "name: a\ntrigger: {type: incomingCall}\nclock: tomorrow",
            "clock: 'tomorrow' is not an ISO 8601",
        ),
        ("x" * 70000, "larger than 64 KB"),
    ],
)
def test_invalid_cases_say_where(text, error):
    with pytest.raises(CaseError) as caught:
        load_case(text)
    assert any(error in e for e in caught.value.errors), caught.value.errors


def test_the_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(schema())
