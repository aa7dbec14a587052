"""Flow test cases in memory (editor/testcases): the format's loader, every script input,
every kind of mock and every assertion, each shown to pass and to fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from editor.samples import load_sample
from editor.testcases.loader import CaseError, load_case, schema, validate
from editor.testcases.runner import run_case
from tests.engine_support import flow, send_and_wait, send_message, set_variables, state

CASES = Path(__file__).resolve().parent / "data" / "testcases"


def sample(slug: str) -> dict:
    document = load_sample(slug)
    return document.get("definition", document)


def run(definition: dict, **case) -> dict:
    case.setdefault("name", "case")
    case.setdefault("trigger", {"type": "incomingMessage"})
    return run_case(validate(case), definition)


def failed(result: dict) -> list[str]:
    return [a["assertion"] for a in result["assertions"] if not a["ok"]]


# The format.
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


# Script inputs.
BOTS = sample("conversations-tutorial")
IVR = sample("ivr-phone-tree")
CHATBOT = sample("sms-chatbot")


def test_message_reply_and_media():
    definition = flow(
        send_and_wait("ask", "Send a photo", "thanks"),
        send_message("thanks", "Got {{widgets.ask.inbound.MediaUrl0}}"),
    )
    result = run(
        definition,
        script=[{"message": {"body": "here", "mediaUrl": "https://example.com/a.jpg"}}],
        expect={"messages": [{"body": "Send a photo"}, {"body": "Got https://example.com/a.jpg"}]},
    )
    assert result["status"] == "pass", failed(result)


def test_timeout_and_delivery_failure():
    definition = flow(
        send_and_wait("ask", "Hi?", None, timeout="late", deliveryFailure="bounced"),
        send_message("late", "Too late"),
        send_message("bounced", "Bounced"),
    )
    assert (
        run(definition, script=[{"timeout": True}], expect={"visits": ["late"]})["status"] == "pass"
    )
    result = run(
        definition, script=[{"deliveryFailure": True}], expect={"path": ["ask", "bounced"]}
    )
    assert result["status"] == "pass", failed(result)


def test_digits_speech_and_gather_timeout_on_a_call():
    call = {"type": "incomingCall"}
    result = run(
        IVR, trigger=call, script=[{"digits": "1"}], expect={"visits": ["say_opening_hours"]}
    )
    assert result["status"] == "pass"
    result = run(
        IVR,
        trigger=call,
        script=[{"speech": "hours"}],
        expect={"path": ["gather_main_menu"], "end": {"status": "ended"}},
    )
    assert result["status"] == "pass", failed(result)
    result = run(
        IVR,
        trigger=call,
        script=[{"timeout": True}],
        expect={
            "visits": ["say_no_input"],
            "end": {"status": "waiting", "widget": "gather_main_menu"},
        },
    )
    assert result["status"] == "pass", failed(result)


def test_hangup_and_widget_events():
    call = {"type": "incomingCall"}
    result = run(
        IVR,
        trigger=call,
        script=[{"digits": "2"}, {"hangup": True}],
        expect={"end": {"status": "ended", "widget": "connect_reception"}},
    )
    assert result["status"] == "pass", failed(result)
    result = run(
        IVR,
        trigger=call,
        script=[
            {"digits": "3"},
            {"event": "recordingComplete", "params": {"RecordingUrl": "https://x/r"}},
        ],
        expect={
            "visits": ["say_goodbye"],
            "widgets": {"record_voicemail_1": {"RecordingUrl": "https://x/r"}},
        },
    )
    assert result["status"] == "pass", failed(result)


def test_an_input_the_flow_does_not_wait_for_fails_at_its_widget():
    result = run(BOTS, script=[{"digits": "1"}])
    assert result["status"] == "fail"
    assert result["failure"]["widget"] == "send_and_reply_1"
    assert "script[0] is call input" in result["failure"]["message"]


def test_inputs_left_over_after_the_end_fail():
    result = run(BOTS, script=[{"message": "yes"}, {"message": "again"}])
    assert result["status"] == "fail"
    assert "script[1]" in result["failure"]["message"]


# Mocks.
def test_http_mock_sequence_and_failure():
    definition = flow(
        state(
            "http",
            "make-http-request",
            {"url": "https://api.example.com", "method": "GET"},
            success="again",
            failed="down",
        ),
        state(
            "again",
            "make-http-request",
            {"url": "https://api.example.com", "method": "GET"},
            success=None,
            failed="down",
        ),
        send_message("down", "down"),
    )
    mocks = {"http": {"http": {"status": 200, "body": {"a": 1}}, "again": {"failure": "timeout"}}}
    result = run(
        definition,
        mocks=mocks,
        expect={
            "widgets": {"http": {"parsed.a": 1, "content_type": "application/json"}},
            "path": ["http", "again", "down"],
        },
    )
    assert result["status"] == "pass", failed(result)


def test_unmocked_http_fails_with_not_mocked():
    result = run(CHATBOT, script=[{"message": "1"}, {"message": "OWL-1"}])
    assert result["status"] == "fail"
    assert result["failure"]["widget"] == "http_order_lookup"
    assert "is not mocked" in result["failure"]["message"]


def test_subflow_mock_outputs_and_failure():
    definition = flow(
        state(
            "sub",
            "run-subflow",
            {"flow_sid": "FW" + "9" * 32, "flow_revision": "LatestPublished"},
            completed="say",
            failed="oops",
        ),
        send_message("say", "Score {{widgets.sub.score}} {{widgets.sub.note}}"),
        send_message("oops", "failed"),
    )
    outputs = {"score": 7, "note": "{{ not liquid }}"}
    result = run(
        definition,
        mocks={"subflows": {"sub": {"outputs": outputs}}},
        expect={"messages": [{"body": "Score 7 {{ not liquid }}"}], "path": ["sub", "say"]},
    )
    assert result["status"] == "pass", failed(result)
    result = run(
        definition, mocks={"subflows": {"sub": {"failed": True}}}, expect={"path": ["sub", "oops"]}
    )
    assert result["status"] == "pass", failed(result)
    result = run(definition)
    assert "not mocked" in result["failure"]["message"]


# Triggers.
def test_request_and_subflow_triggers_see_their_parameters():
    definition = flow(
        set_variables("vars", None, seen="{{flow.data.order}}{{trigger.parent.parameters.order}}")
    )
    request = {"type": "incomingRequest", "to": "+15550001111", "parameters": {"order": "A1"}}
    assert (
        run(definition, trigger=request, expect={"variables": {"seen": "A1"}})["status"] == "pass"
    )
    subflow = {"type": "subflow", "parameters": {"order": "B2"}}
    assert (
        run(definition, trigger=subflow, expect={"variables": {"seen": "B2"}})["status"] == "pass"
    )


# Assertions, each failing.
def test_message_assertions_fail_with_the_sending_widget():
    result = run(
        BOTS,
        script=[{"message": "yes"}],
        expect={
            "messages": [{"body": "Hi, do you like bots?"}, {"body": {"contains": "thick skin"}}]
        },
    )
    assert failed(result) == ["messages[1].body"]
    assert result["failure"]["widget"] == "send_message_1"
    assert result["failure"]["step"] == 4


def test_an_unexpected_extra_message_fails():
    result = run(
        BOTS, script=[{"message": "yes"}], expect={"messages": [{"body": "Hi, do you like bots?"}]}
    )
    assert failed(result) == ["messages count"]


def test_path_divergence_names_the_widget():
    result = run(
        BOTS,
        script=[{"message": "maybe"}],
        expect={"path": ["send_and_reply_1", "split_1", "send_message_1"]},
    )
    assert result["failure"]["widget"] == "send_message_3"
    assert "went to send_message_3 instead of send_message_1" in result["failure"]["message"]


def test_variable_widget_and_end_assertions_fail():
    definition = flow(set_variables("vars", None, n="5"))
    result = run(
        definition,
        expect={
            "variables": {"n": 6, "m": {"exists": True}},
            "widgets": {"vars": {"n": {"matches": "^[0-4]$"}}},
            "end": {"status": "waiting"},
        },
    )
    assert failed(result) == [
        "flow.variables.n",
        "flow.variables.m",
        "widgets.vars.n",
        "end.status",
    ]
    assert run(definition, expect={"variables": {"n": "5"}})["status"] == "pass"


def test_voice_verb_assertions():
    result = run(
        IVR,
        trigger={"type": "incomingCall"},
        script=[{"digits": "1"}],
        expect={"actions": [{"verb": "gather"}, {"verb": "say", "say": {"contains": "Saturday"}}]},
    )
    assert failed(result) == ["actions[1].say"]
    assert result["failure"]["widget"] == "say_opening_hours"


def test_an_error_end_fails_unless_expected():
    definition = flow(send_message("bad", "{{ 'x' | nosuchfilter }}"))
    result = run(definition)
    assert result["status"] == "fail"
    assert result["failure"]["widget"] == "bad"
    assert run(definition, expect={"end": {"reason": "ERROR"}})["status"] == "pass"


def test_loops_are_bounded_by_the_case_limits():
    definition = flow(
        state("a", "set-variables", {"variables": []}, next="b"),
        state("b", "set-variables", {"variables": []}, next="a"),
    )
    result = run(definition, limits={"maxSteps": 20})
    assert result["end"]["reason"] == "STEP_LIMIT"
    assert result["status"] == "fail"
    assert len(result["steps"]) == 20


# The corpus cases.
@pytest.mark.parametrize(
    ("slug", "prefix", "passes"),
    [
        ("conversations-tutorial", "conversations-", 3),
        ("ivr-phone-tree", "ivr-", 2),
        ("sms-chatbot", "chatbot-", 1),
    ],
)
def test_corpus_cases(slug, prefix, passes):
    results = [
        run_case(load_case(p.read_text()), sample(slug)) for p in sorted(CASES.glob(prefix + "*"))
    ]
    assert sum(r["status"] == "pass" for r in results) == passes, [r["failure"] for r in results]


# Flows from the corpus of real Studio exports.
def corpus_flow(name: str) -> dict:
    from tests.conftest import CORPUS, IN_CI

    path = CORPUS / "flows" / name
    if not path.exists():
        if IN_CI:
            raise RuntimeError(f"the corpus is missing at {path} (set STUDIO_CORPUS)")
        pytest.skip(f"no corpus at {path}")
    document = json.loads(path.read_text())
    return document.get("definition", document)


def test_a_corpus_ivr_and_the_bug_its_case_finds():
    ivr = corpus_flow("jesperfj--twilio-ivr-studio--ivr.json")
    call = {"type": "incomingCall"}
    sales = run(
        ivr,
        trigger=call,
        script=[{"digits": "1"}, {"digits": "1"}],
        expect={
            "path": ["gather_input", "split_key_press", "gather_1", "split_2", "want-widget"],
            "actions": [
                {"verb": "gather", "say": {"contains": "Press 1 for sales"}},
                {"verb": "gather"},
                {"verb": "say", "say": "Thank you for your interest in widget"},
            ],
        },
    )
    assert sales["status"] == "pass", failed(sales)
    # Pressing 2 at the second menu should reach say_play_3, but split_2 reads the first
    # menu's digits (widgets.gather_input.Digits): the case fails at the widget it reaches.
    no_thanks = run(
        ivr,
        trigger=call,
        script=[{"digits": "1"}, {"digits": "2"}],
        expect={"visits": ["say_play_3"]},
    )
    assert no_thanks["status"] == "fail"
    assert no_thanks["path"][-1] == "want-widget"
    assert no_thanks["failure"]["widget"] == "want-widget"


def test_a_corpus_order_lookup_with_function_mocks():
    flow_ = corpus_flow("mbarry-owl--OrderLookupIVR--flow.json")
    mocks = {
        "http": {
            "allow_list": {"status": 200, "body": {"matched": True}},
            "order_lookup": {"status": 200, "body": "ok"},
        }
    }
    result = run(
        flow_,
        trigger={"type": "incomingCall"},
        mocks=mocks,
        script=[{"digits": "1234"}],
        expect={
            "path": [
                "allow_list",
                "allow_split",
                "order_no",
                "order_lookup",
                "say_play_1",
                "forward_call",
            ],
            "end": {"status": "waiting", "widget": "forward_call"},
            "actions": [{"verb": "gather"}, {"verb": "say_play"}, {"verb": "dial"}],
        },
    )
    assert result["status"] == "pass", failed(result)
    refused = run(
        flow_,
        trigger={"type": "incomingCall"},
        mocks={"http": {"allow_list": {"status": 200, "body": {"matched": False}}}},
        expect={"visits": ["error"], "notVisits": ["order_no"]},
    )
    assert refused["status"] == "pass", failed(refused)
    unmocked = run(flow_, trigger={"type": "incomingCall"})
    assert unmocked["failure"]["widget"] == "allow_list"
    assert "not mocked" in unmocked["failure"]["message"]


def test_the_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(schema())


def test_a_rest_triggered_flow_texts_the_contact_and_takes_their_reply():
    definition = flow(
        send_and_wait("ask", "Hello {{flow.data.name}}", "echo"),
        send_message("echo", "{{widgets.ask.inbound.From}} said {{widgets.ask.inbound.Body}}"),
    )
    trigger = {
        "type": "incomingRequest",
        "to": "+15550001111",
        "from": "+15550002222",
        "parameters": {"name": "Ann"},
    }
    result = run(
        definition,
        trigger=trigger,
        script=[{"message": "ok"}],
        expect={
            "messages": [
                {"body": "Hello Ann", "to": "+15550001111", "from": "+15550002222"},
                {"body": "+15550001111 said ok"},
            ]
        },
    )
    assert result["status"] == "pass", failed(result)
