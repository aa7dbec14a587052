"""A test case's step answered by one of its mocks says so as a test run's does
(docs/testcases.md, "The result"; docs/protocol.md, "Mocks"): the step carries
`mock: {status}`, a real response's step does not, and `widgets.NAME` is the same either way."""

from __future__ import annotations

import json

import pytest

from editor import services
from editor.engine.mocks import Mock, MockedHttp
from editor.models import FlowTestCase
from editor.services import testcases
from editor.testcases.loader import validate
from editor.testcases.runner import run_case
from tests.engine_support import FakeHttp, flow, make_ports, start, state

REAL = {"status_code": 200, "content_type": "application/json", "body": '{"real": true}'}


def two_calls(type_: str) -> dict:
    events = ("success", "failed") if type_ == "make-http-request" else ("success", "fail")
    props = {"url": "https://a.test/", "method": "GET"}
    if type_ == "run-function":
        props = {"url": "https://a.test/fn"}
    return flow(
        state("lookup", type_, props, **{events[0]: "real", events[1]: "real"}),
        state("real", type_, {**props, "url": "https://b.test/"}, **dict.fromkeys(events)),
    )


def case(**extra) -> dict:
    return validate(
        {
            "name": "mocked",
            "trigger": {"type": "incomingMessage"},
            "mocks": {"http": {"lookup": {"status": 503, "body": {"down": True}}}},
            **extra,
        }
    )


@pytest.mark.parametrize("type_", ["make-http-request", "run-function"])
def test_a_cases_mocked_step_says_so_and_a_real_one_does_not(type_):
    result = run_case(case(allowNetwork=True), two_calls(type_), real_http=FakeHttp(default=REAL))

    by_widget = {step["widget"]: step for step in result["steps"]}
    assert by_widget["lookup"]["mock"] == {"status": 503}
    assert "mock" not in by_widget["real"], "a real response is not flagged"
    assert "mock" not in by_widget["Trigger"]


@pytest.mark.parametrize("type_", ["make-http-request", "run-function"])
def test_one_way_of_saying_mocked_for_cases_and_test_runs(type_):
    """The case's step and the test panel's step say the same thing of the same mock."""
    definition = two_calls(type_)
    headers = {"Content-Type": "application/json"}
    mocked = MockedHttp(FakeHttp(default=REAL), {"lookup": Mock(503, headers, '{"down": true}')})
    live = start(definition, ports=make_ports(http=mocked))
    live_step = next(s for s in live.steps if s["transitioned_from"] == "lookup")

    result = run_case(
        case(expect={"widgets": {"lookup": {"status_code": 503, "parsed.down": True}}}),
        definition,
    )
    case_step = next(s for s in result["steps"] if s["widget"] == "lookup")
    assert case_step["mock"] == live_step["mock"] == {"status": 503}
    unmocked = [a for a in result["assertions"] if not a["ok"]]
    assert [a["assertion"] for a in unmocked] == ["mocks.http.real"]
    widgets = live.state["context"]["widgets"]["lookup"]
    assert "mock" not in json.dumps(widgets), "the context never holds the flag"


def test_a_mocked_failure_is_not_a_response():
    """`{failure: …}` answers with no response at all, so there is no status to show."""
    result = run_case(
        validate(
            {
                "name": "down",
                "trigger": {"type": "incomingMessage"},
                "mocks": {"http": {"lookup": {"failure": "timeout"}, "real": {"status": 200}}},
            }
        ),
        two_calls("make-http-request"),
    )
    by_widget = {step["widget"]: step for step in result["steps"]}
    assert by_widget["lookup"]["event"] == "failed" and "mock" not in by_widget["lookup"]
    assert by_widget["real"]["mock"] == {"status": 200}


@pytest.mark.django_db
@pytest.mark.both_databases
def test_a_stored_cases_run_marks_its_mocked_steps(team, alice):
    flow_ = services.create_flow(team, friendly_name="Calls", definition=two_calls("run-function"))
    source = json.dumps(
        {
            "name": "both mocked",
            "trigger": {"type": "incomingMessage"},
            "mocks": {"http": {"lookup": {"status": 201}, "real": [{"status": 500}]}},
            "expect": {"path": ["lookup", "real"]},
        }
    )
    row = testcases.create_case(flow_, source, alice)
    [result] = testcases.run_cases(flow_, [row])

    assert result["status"] == "pass", result["assertions"]
    marks = [(s["widget"], s.get("mock")) for s in result["steps"]]
    assert marks == [("Trigger", None), ("lookup", {"status": 201}), ("real", {"status": 500})]
    assert FlowTestCase.objects.get(pk=row.pk).last_status == "pass"
