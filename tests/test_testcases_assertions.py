"""Flow test cases' assertions (editor/testcases), each shown to fail at the widget it names,
and whole cases: the sample flows' case files in tests/data/testcases, and cases written for
flows of the corpus of real Studio exports, one of which finds a bug in its flow."""

from __future__ import annotations

import json

import pytest

from editor.testcases.loader import load_case
from editor.testcases.runner import run_case
from tests.engine_support import flow, send_message, set_variables, state

from .testcase_support import BOTS, CASES, IVR, failed, run, sample


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
