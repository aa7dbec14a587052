"""FlowValidate: every rule of docs/flow-format.md's Validation, in Twilio's {message,
property_path} shape."""

from __future__ import annotations

import copy

import pytest

from editor.flowspec.catalogue import BY_TYPE
from editor.flowspec.jsontext import load_json
from editor.flowspec.problems import DocumentError
from editor.flowspec.validate import validate

from .real_exports import older_trim_on_outgoing_call

BASE = {
    "description": "Tutorial",
    "states": [
        {
            "name": "Trigger",
            "type": "trigger",
            "transitions": [
                {"event": "incomingMessage", "next": "ask"},
                {"event": "incomingCall"},
                {"event": "incomingConversationMessage"},
                {"event": "incomingRequest"},
                {"event": "incomingParent"},
            ],
            "properties": {"offset": {"x": 0, "y": 0}},
        },
        {
            "name": "ask",
            "type": "send-and-wait-for-reply",
            "transitions": [
                {"event": "incomingMessage", "next": "split_1"},
                {"event": "timeout"},
                {"event": "deliveryFailure"},
            ],
            "properties": {
                "offset": {"x": 0, "y": 200},
                "from": "{{flow.channel.address}}",
                "body": "Hi, do you like bots?",
                "timeout": "3600",
            },
        },
        {
            "name": "split_1",
            "type": "split-based-on",
            "transitions": [
                {"event": "noMatch"},
                {
                    "event": "match",
                    "next": "ask",
                    "conditions": [
                        {
                            "friendly_name": "If value equal_to yes",
                            "arguments": ["{{widgets.ask.inbound.Body}}"],
                            "type": "equal_to",
                            "value": "yes",
                        }
                    ],
                },
            ],
            "properties": {"input": "{{widgets.ask.inbound.Body}}", "offset": {"x": 0, "y": 400}},
        },
    ],
    "initial_state": "Trigger",
    "flags": {"allow_concurrent_calls": True},
}


def flow(change=None):
    document = copy.deepcopy(BASE)
    if change:
        change(document)
    return document


def problems_of(document):
    return [(p.property_path, p.message) for p in validate(document)]


def test_a_well_formed_flow_has_no_problems():
    assert validate(flow()) == []


def test_it_requires_initial_state_to_name_a_widget():
    document = flow(lambda d: d.update(initial_state="Start"))
    assert problems_of(document) == [("#/initial_state", "must match a widget name")]


def test_it_reports_a_transition_to_a_missing_widget():
    document = flow(lambda d: d["states"][1]["transitions"][0].update(next="nowhere"))
    assert problems_of(document) == [("#/states/1/transitions/0/next", "must match a widget name")]


def test_it_reports_duplicate_names_as_blocking():
    document = flow(lambda d: d["states"][2].update(name="ask"))
    (problem,) = [p for p in validate(document) if p.property_path == "#/states/2/name"]
    assert "more than once" in problem.message
    assert problem.blocking


@pytest.mark.parametrize("name", ["1st", "has space", "has.period"])
def test_it_rejects_names_studio_does_not_allow(name):
    def rename(d):
        d["states"][2]["name"] = name
        d["states"][1]["transitions"][0]["next"] = name

    (problem,) = validate(flow(rename))
    assert (problem.property_path, problem.severity) == ("#/states/2/name", "error")
    assert f"Widget `{name}`" in problem.hint and "Rename it" in problem.hint


def test_a_widget_named_like_the_step_sink_is_only_a_warning():
    """Twilio stores a widget called Ended; only our step log reads it as the end."""

    def rename(d):
        d["states"][2]["name"] = "Ended"
        d["states"][1]["transitions"][0]["next"] = "Ended"

    (problem,) = validate(flow(rename))
    assert (problem.property_path, problem.severity) == ("#/states/2/name", "warning")


def test_hyphenated_names_are_allowed():
    def rename(d):
        d["states"][2]["name"] = "get-convo-name"
        d["states"][1]["transitions"][0]["next"] = "get-convo-name"

    assert validate(flow(rename)) == []


def test_it_lists_every_allowed_event_for_a_wrong_one():
    document = flow(lambda d: d["states"][1]["transitions"][1].update(event="timedOut"))
    assert problems_of(document) == [
        ("#/states/1/transitions/1/event", "must be a constant value incomingMessage"),
        ("#/states/1/transitions/1/event", "must be a constant value timeout"),
        ("#/states/1/transitions/1/event", "must be a constant value deliveryFailure"),
    ]


def test_an_unknown_widget_type_gets_the_enumeration_message():
    document = flow(lambda d: d["states"][2].update(type="split-on"))
    ((path, message),) = problems_of(document)
    assert path == "#/states/2/type"
    assert message.startswith("does not have a value in the enumeration [")
    assert '"split-based-on"' in message


def test_a_missing_required_property_is_reported_on_properties():
    document = flow(lambda d: d["states"][1]["properties"].pop("from"))
    assert problems_of(document) == [
        ("#/states/1/properties", "from is missing but it is required")
    ]


@pytest.mark.parametrize(
    ("state", "key", "value", "message"),
    [
        (1, "body", 5, "integer found, string expected"),
        (1, "shorten_urls", "yes", "string found, boolean expected"),
        (2, "input", None, "must not be null"),
        (1, "timeout", True, "boolean found, string expected"),
    ],
)
def test_wrong_json_types_are_reported_like_studio(state, key, value, message):
    document = flow(lambda d: d["states"][state]["properties"].update({key: value}))
    assert problems_of(document) == [(f"#/states/{state}/properties/{key}", message)]


def test_an_integer_timeout_from_older_exports_is_accepted():
    document = flow(lambda d: d["states"][1]["properties"].update(timeout=3600))
    assert validate(document) == []


def test_enum_properties_must_use_an_allowed_value():
    document = flow(lambda d: d["states"][1]["properties"].update(message_type="fancy"))
    ((path, message),) = problems_of(document)
    assert path == "#/states/1/properties/message_type"
    assert message == 'does not have a value in the enumeration ["custom", "content_template"]'


def test_an_unknown_condition_type_is_reported():
    document = flow(
        lambda d: d["states"][2]["transitions"][1]["conditions"][0].update(type="fuzzy")
    )
    ((path, _),) = problems_of(document)
    assert path == "#/states/2/transitions/1/conditions/0/type"


def test_a_match_needs_conditions():
    document = flow(lambda d: d["states"][2]["transitions"][1].pop("conditions"))
    assert problems_of(document) == [
        ("#/states/2/transitions/1", "conditions is missing but it is required")
    ]


@pytest.mark.parametrize(
    "where",
    [
        lambda d: d["states"][1]["properties"].update(body="Hi {{ name | }"),
        lambda d: d["states"][2]["properties"].update(input="{% if x %}"),
        lambda d: d["states"][2]["transitions"][1]["conditions"][0].update(value="{{ }}"),
    ],
)
def test_every_liquid_property_must_parse(where):
    ((path, message),) = problems_of(flow(where))
    assert message.startswith("Liquid syntax error")
    assert path.startswith("#/states/")


def test_liquid_in_key_value_lists_is_parsed():
    def add_variables(d):
        d["states"].append(
            {
                "name": "vars",
                "type": "set-variables",
                "transitions": [{"event": "next"}],
                "properties": {"variables": [{"key": "n", "value": "{{ 1 | plus: }"}]},
            }
        )

    ((path, message),) = problems_of(flow(add_variables))
    assert path == "#/states/3/properties/variables/0/value"
    assert message.startswith("Liquid syntax error")


def test_run_subflow_needs_a_real_flow_sid():
    def add_subflow(d):
        d["states"].append(
            {
                "name": "sub",
                "type": "run-subflow",
                "transitions": [{"event": "completed"}, {"event": "failed"}],
                "properties": {"flow_sid": "{{flow.variables.sid}}", "flow_revision": "1"},
            }
        )

    assert problems_of(flow(add_subflow)) == [
        ("#/states/3/properties/flow_sid", "must be a valid, non-liquid flow sid")
    ]


def test_start_conversation_needs_a_rest_triggered_flow():
    def add_start(d):
        d["states"][2]["transitions"][0]["next"] = "convo"
        d["states"].append(
            {
                "name": "convo",
                "type": "start-conversation",
                "transitions": [{"event": "created"}, {"event": "failed"}],
                "properties": {"conversation_service_sid": "IS" + "0" * 32},
            }
        )

    assert problems_of(flow(add_start)) == [
        ("#/states/3", "start-conversation can only be used in flows triggered by the REST API")
    ]


def test_structure_problems_come_from_the_schema_and_block_storage():
    document = flow(lambda d: d["states"][1].update(transitions="none"))
    (problem,) = validate(document)
    assert (problem.property_path, problem.message) == (
        "#/states/1/transitions",
        "string found, array expected",
    )
    assert problem.blocking


def test_missing_top_level_keys_are_reported():
    assert problems_of({"description": "x"}) == [
        ("#", "states is missing but it is required"),
        ("#", "initial_state is missing but it is required"),
    ]


def test_more_than_2000_states_is_too_many():
    def grow(d):
        d["states"] += [
            {"name": f"s{i}", "type": "set-variables", "transitions": [], "properties": {}}
            for i in range(2001)
        ]

    assert ("#/states", "must have at most 2000 items") in problems_of(flow(grow))


def grown(count: int):
    def grow(d):
        d["states"] += [
            {"name": f"s{i}", "type": "set-variables", "transitions": [], "properties": {}}
            for i in range(count - len(d["states"]))
        ]

    return flow(grow)


def test_more_widgets_than_twilios_schema_takes_is_a_warning():
    """Twilio's schema: at most 1,000 states; kept here (up to 2,000), with a warning."""
    assert validate(grown(1000)) == []

    (problem,) = validate(grown(1001))

    assert (problem.property_path, problem.severity) == ("#/states", "warning")
    assert "1001 widgets" in problem.message and "at most 1000" in problem.message
    assert "subflows" in problem.hint


def test_every_problem_is_reported_at_once():
    def break_many(d):
        d["initial_state"] = "nope"
        d["states"][1]["properties"]["body"] = 1
        d["states"][2]["transitions"][1]["next"] = "gone"

    assert len(validate(flow(break_many))) == 3


def test_unknown_keys_are_not_problems():
    def add_unknown(d):
        d["x-owner"] = "team"
        d["states"][1]["x-note"] = "kept"
        d["states"][1]["properties"]["x-new"] = {"a": 1}
        d["states"][1]["transitions"][0]["uuid"] = "1"

    assert validate(flow(add_unknown)) == []


def test_opaque_widget_types_are_not_checked():
    def add_opaque(d):
        d["states"].append(
            {
                "name": "task",
                "type": "create-task",
                "transitions": [{"event": "anything"}],
                "properties": {"x": 1},
            }
        )

    assert validate(flow(add_opaque)) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "is not valid JSON"),
        (b"\x89PNG\r\n\x1a\n", "is not UTF-8 text (byte 0x89 at position 0)"),
        ("[" * 65 + "]" * 65, "nests deeper than 64"),
        ("[" * 5000 + "]" * 5000, "nests deeper than 64"),
        ('{"a": "' + "x" * (1024 * 1024) + '"}', "bytes; the limit is"),
    ],
)
def test_unreadable_json_is_refused_with_a_reason(text, fragment):
    with pytest.raises(DocumentError) as caught:
        load_json(text)
    assert fragment in str(caught.value)


def test_64_levels_of_nesting_are_fine():
    assert load_json("[" * 64 + "]" * 64) is not None


def test_liquid_keywords_after_a_dot_are_plain_keys():
    """Shopify's Liquid reads `parsed.limit` as a key; python-liquid alone would not parse it."""
    document = flow(
        lambda d: d["states"][1]["properties"].update(
            body="{{widgets.http.parsed.limit}} {% if flow.data.in == 'a.in' %}x{% endif %}"
        )
    )
    assert validate(document) == []


# Every problem in plain words (the hint), beside Twilio's own message.


def test_a_transition_to_no_widget_keeps_twilios_message_and_explains_itself():
    def break_target(d):
        d["states"][2]["transitions"][1]["next"] = "foo"

    (problem,) = validate(flow(break_target))
    assert problem.message == "must match a widget name"
    assert problem.property_path == "#/states/2/transitions/1/next"
    assert problem.hint == (
        "Widget `split_1`: transition `match` goes to `foo`, which is not a widget in this "
        "flow. Connect it to an existing widget or remove it."
    )


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        (lambda d: d.update(initial_state="Start"), ["`Start`", "initial_state", "`Trigger`"]),
        (
            lambda d: d["states"][1]["transitions"][1].update(event="timedOut"),
            ["`ask` (Send & Wait For Reply)", "`timedOut`", "incomingMessage, timeout"],
        ),
        (lambda d: d["states"][1]["properties"].pop("from"), ["`ask`", "needs `from`"]),
        (
            lambda d: d["states"][1]["properties"].update(shorten_urls="yes"),
            ['`shorten_urls` is "yes"', "true or false"],
        ),
        (
            lambda d: d["states"][1]["properties"].update(message_type="fancy"),
            ['`message_type` is "fancy"', "custom, content_template"],
        ),
        (
            lambda d: d["states"][2]["transitions"][1]["conditions"][0].update(type="fuzzy"),
            ["`split_1`", "condition 1 of transition `match`", '"fuzzy"'],
        ),
        (lambda d: d["states"][2].update(type="split-on"), ["`split_1`", '"split-on"']),
        (lambda d: d["states"][2]["properties"].update(input=None), ["`input` is null"]),
    ],
)
def test_every_problem_names_the_widget_the_field_and_the_fix(change, fragments):
    problems = validate(flow(change))
    assert problems
    for problem in problems:
        for fragment in fragments:
            assert fragment in problem.hint, problem.hint


@pytest.mark.parametrize(
    "document",
    [
        None,
        [],
        "flow",
        {"states": 5},
        {"states": [None, 3, "x", []], "initial_state": 7},
        {"states": [{"name": ["a"], "type": {"x": 1}, "transitions": [5, None]}]},
        {"states": [{"name": "a", "type": "trigger", "transitions": [{"event": 5, "next": []}]}]},
        {"states": [{"name": "a", "type": "split-based-on", "properties": {"input": ["x"]}}]},
    ],
)
def test_hints_are_worked_out_for_any_document_without_failing(document):
    problems = validate(document)
    assert problems and all(p.hint for p in problems)


# Rules Twilio's schema has no wording for: one trigger, readable timers.


def test_two_triggers_are_an_error_on_the_one_the_flow_does_not_start_at():
    def add_trigger(d):
        d["states"].append(
            {
                "name": "Trigger2",
                "type": "trigger",
                "transitions": [{"event": "incomingMessage"}],
                "properties": {"offset": {"x": 400, "y": 0}},
            }
        )

    (problem,) = validate(flow(add_trigger))
    assert (problem.property_path, problem.severity) == ("#/states/3/type", "error")
    assert "Trigger2" in problem.message and "exactly one" in problem.message
    assert "`Trigger`, `Trigger2`" in problem.hint
    assert "Keep `Trigger`" in problem.hint and "delete `Trigger2`" in problem.hint


def test_the_trigger_to_keep_is_the_one_initial_state_names():
    def add_first_trigger(d):
        d["states"].insert(0, {"name": "Old", "type": "trigger", "transitions": []})

    (problem,) = validate(flow(add_first_trigger))
    assert problem.property_path == "#/states/0/type"
    assert "Keep `Trigger`" in problem.hint


def with_widget(state):
    def add(d):
        d["states"][2]["transitions"][0]["next"] = state["name"]
        d["states"].append(state)

    return flow(add)


DURATIONS = [
    ("send-and-wait-for-reply", "timeout", {"from": "x", "body": "y"}),
    ("add-twiml-redirect", "timeout", {"url": "https://example.com"}),
    ("gather-input-on-call", "timeout", {}),
    ("gather-input-on-call", "speech_timeout", {}),
    ("connect-call-to", "timeout", {"noun": "number"}),
    ("connect-call-to", "time_limit", {"noun": "number"}),
    ("make-outgoing-call-v2", "timeout", {"from": "a", "to": "b"}),
    ("make-outgoing-call-v2", "machine_detection_silence_timeout", {"from": "a", "to": "b"}),
    ("record-voicemail", "max_length", {}),
    ("enqueue-call", "timeout", {}),
    ("capture-payments", "timeout", {}),
    ("send-to-flex", "timeout", {"workflow": "WW1", "channel": "TC1"}),
    ("send-to-auto-pilot", "timeout", {"autopilot_assistant_sid": "UA1", "from": "a", "body": "b"}),
    ("connect-virtual-agent-v2", "timeout", {}),
]


def duration_state(type_, key, required, value):
    widget = BY_TYPE[type_]
    return {
        "name": "timed",
        "type": type_,
        "transitions": [{"event": e} for e in widget.events if e not in widget.repeatable_events],
        "properties": {**required, key: value},
    }


def timer_cases(values):
    """Each timer with each value its JSON type admits (a wrong type is another problem)."""
    return [
        pytest.param(type_, key, required, value, id=f"{type_}.{key}={value!r}")
        for type_, key, required in DURATIONS
        for value in values
        if BY_TYPE[type_].props_by_name[key].accepts(value)
    ]


@pytest.mark.parametrize(
    ("type_", "key", "required", "value"),
    timer_cases(["-5", -5, "soon", "1.5", "{{flow.variables.t}}"]),
)
def test_a_negative_or_unreadable_timer_is_an_error_naming_the_widget(type_, key, required, value):
    (problem,) = validate(with_widget(duration_state(type_, key, required, value)))
    assert problem.severity == "error"
    assert problem.property_path == f"#/states/3/properties/{key}"
    assert "widget timed" in problem.message and "whole number" in problem.message
    assert problem.hint.startswith(f"Widget `timed` ({BY_TYPE[type_].label}): `{key}` is ")


@pytest.mark.parametrize(
    ("type_", "key", "required", "value"), timer_cases(["3600", 0, 30, "0", ""])
)
def test_whole_numbers_of_seconds_are_fine_for_every_timer(type_, key, required, value):
    assert validate(with_widget(duration_state(type_, key, required, value))) == []


def test_speech_timeout_may_be_auto():
    state = duration_state("gather-input-on-call", "speech_timeout", {}, "auto")
    assert validate(with_widget(state)) == []


def test_a_negative_send_and_wait_timeout_is_refused():
    document = flow(lambda d: d["states"][1]["properties"].update(timeout="-5"))
    (problem,) = validate(document)
    assert problem.property_path == "#/states/1/properties/timeout"
    assert problem.message == (
        'timeout of widget ask must be a whole number of seconds, 0 or more, not "-5"'
    )
    assert "Studio's default is 3600" in problem.hint


# Values Twilio once wrote: accepted, kept, and warned about.


def outgoing_call(trim):
    state = older_trim_on_outgoing_call()["states"][1]
    state["properties"]["trim"] = trim
    return state


@pytest.mark.parametrize(("older", "today"), [("true", "trim-silence"), ("false", "do-not-trim")])
def test_an_older_trim_value_is_a_warning_naming_the_value_studio_writes_today(older, today):
    (problem,) = validate(with_widget(outgoing_call(older)))
    assert (problem.severity, problem.property_path) == (
        "warning",
        "#/states/3/properties/trim",
    )
    assert problem.message == (
        f'trim of widget call_user_1 is "{older}", a value older Studio versions wrote; '
        f'Studio writes "{today}" today'
    )
    assert "`call_user_1` (Make Outgoing Call)" in problem.hint


def test_an_unknown_trim_value_is_still_refused():
    (problem,) = validate(with_widget(outgoing_call("yes")))
    assert problem.severity == "error"
    assert problem.message.startswith("does not have a value in the enumeration")


def test_a_repeated_event_is_a_warning_the_first_is_followed():
    document = flow(lambda d: d["states"][1]["transitions"].append({"event": "timeout"}))
    (problem,) = validate(document)
    assert (problem.severity, problem.property_path) == (
        "warning",
        "#/states/1/transitions/3/event",
    )


def test_a_boolean_profanity_filter_is_refused_as_studio_does():
    """Gather's profanity filter: the property is the string "true"/"false"; FlowValidate refuses
    a JSON boolean."""
    state = duration_state("gather-input-on-call", "profanity_filter", {}, True)
    (problem,) = validate(with_widget(state))
    assert problem.message == "boolean found, string expected"
