"""A step answered by a test run's mock says so (docs/protocol.md, "Mocks"): the engine's
Step carries `mock`, the stored transcript entry and its frames carry it (checked against
docs/protocol.schema.json by tests/live_support.py), and the executions page shows it,
while `widgets.NAME` and the step's context stay exactly as a real response leaves them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from jsonschema import Draft7Validator

from editor import services
from editor.engine.mocks import Mock, MockedHttp
from editor.models import Execution, ExecutionStep, TranscriptEntry
from editor.samples import load_sample
from tests.engine_support import FakeHttp, flow, make_ports, start, state
from tests.live_support import SCHEMA, Live, run

MOCK = {
    "status": 200,
    "headers": {"Content-Type": "application/json"},
    "body": json.dumps({"found": True, "status": "shipped", "shipped_on": "May 4"}),
}
RESPONSE = {"status_code": 200, "content_type": "application/json", "body": MOCK["body"]}
STUDIO_KEYS = {"status_code", "content_type", "body", "parsed"}


def two_calls(type_: str) -> dict:
    events = ("success", "failed") if type_ == "make-http-request" else ("success", "fail")
    props = {"url": "https://a.test/", "method": "GET"} if type_ == "make-http-request" else {}
    props = props or {"url": "https://a.test/fn"}
    return flow(
        state("lookup", type_, props, **{events[0]: "real", events[1]: "real"}),
        state("real", type_, {**props, "url": "https://b.test/"}, **dict.fromkeys(events)),
    )


@pytest.mark.parametrize("type_", ["make-http-request", "run-function"])
def test_the_step_a_mock_answered_says_so_and_the_context_does_not(type_):
    real = FakeHttp(default=RESPONSE)
    mocked = MockedHttp(real, {"lookup": Mock(503, {"Content-Type": "application/json"}, "{}")})

    result = start(two_calls(type_), ports=make_ports(http=mocked))

    by_widget = {step["transitioned_from"]: step for step in result.steps}
    assert by_widget["lookup"]["mock"] == {"status": 503}
    assert "mock" not in by_widget["real"], "a real response is not flagged"
    widgets = result.state["context"]["widgets"]
    assert widgets["lookup"] == {
        "status_code": 503,
        "content_type": "application/json",
        "body": "{}",
        "parsed": {},
    }
    assert set(widgets["real"]) == STUDIO_KEYS
    assert '"mock"' not in json.dumps(by_widget["lookup"]["context"])


def test_the_schema_takes_a_step_entry_with_a_mock_and_nothing_else_beside_it():
    definitions = SCHEMA["definitions"]
    entry = {
        "seq": 3,
        "at": "2026-01-01T00:00:00+00:00",
        "kind": "step",
        "step": "FT" + "a" * 32,
        "position": 2,
        "event": "success",
        "from": "http_1",
        "to": "Ended",
        "widget_type": "make-http-request",
        "flow_sid": "FW" + "b" * 32,
    }
    frame = {"type": "run.delta", "execution": {}, "entries": [entry]}
    option = next(
        o for o in definitions["server"]["oneOf"] if o["properties"]["type"]["const"] == "run.delta"
    )
    entries = Draft7Validator({**option["properties"]["entries"], "definitions": definitions})

    assert entries.is_valid(frame["entries"])
    assert entries.is_valid([{**entry, "mock": {"status": 200}}])
    assert not entries.is_valid([{**entry, "mock": {}}])
    assert not entries.is_valid([{**entry, "mock": {"status": 200, "body": "x"}}])


@pytest.fixture
def chatbot(team, alice):
    return services.create_flow(team, friendly_name="Bot", definition=load_sample("sms-chatbot"))


def look_up_order(live: Live):
    async def steps():
        started = await live.ask({"type": "run.start", "trigger": "message"})
        sid = started["execution"]["sid"]
        await live.ask({"type": "run.reply", "execution": sid, "body": "1"})
        looked_up = await live.ask({"type": "run.reply", "execution": sid, "body": "OWL-123"})
        again = await live.ask({"type": "run.watch", "execution": sid})
        return sid, looked_up, again

    return steps()


@pytest.mark.django_db(transaction=True)
def test_a_mocked_step_is_flagged_live_stored_and_on_the_executions_page(chatbot, alice, client):
    async def scenario():
        live = Live(alice, chatbot.sid)
        await live.open()
        await live.send({"type": "mocks.set", "widget": "http_order_lookup", "mock": MOCK})
        await live.receive()
        answers = await look_up_order(live)
        await live.close()
        return answers

    sid, looked_up, again = run(scenario)

    def lookup_steps(entries):
        return [e for e in entries if e["kind"] == "step" and e["from"] == "http_order_lookup"]

    live_step = lookup_steps(looked_up["entries"])
    assert [e["mock"] for e in live_step] == [{"status": 200}]
    assert lookup_steps(again["entries"]) == live_step, "a reload shows it as stored"
    others = [e for e in again["entries"] if e["kind"] == "step" and e not in live_step]
    assert others and not any("mock" in e for e in others)
    widget = again["execution"]["context"]["widgets"]["http_order_lookup"]
    assert set(widget) == STUDIO_KEYS
    execution = Execution.objects.get(sid=sid)
    stored = ExecutionStep.objects.get(execution=execution, sid=live_step[0]["step"])
    assert set(json.loads(stored.context)["widgets"]["http_order_lookup"]) == STUDIO_KEYS
    assert TranscriptEntry.objects.filter(execution=execution, data__contains='"mock"').count() == 1

    client.force_login(alice)
    page = client.get(reverse("execution_detail", args=[chatbot.sid, sid])).content.decode()
    assert page.count('data-testid="step-mocked"') == 1
    assert "Mocked 200" in page and "no request was sent" in page


@pytest.mark.django_db(transaction=True)
def test_without_a_mock_no_step_is_flagged(chatbot, alice, client, monkeypatch):
    real = FakeHttp(default=RESPONSE)
    monkeypatch.setattr("editor.services.runs.outbound_http", lambda: real)

    async def scenario():
        live = Live(alice, chatbot.sid)
        await live.open()
        answers = await look_up_order(live)
        await live.close()
        return answers

    sid, _, again = run(scenario)

    steps = [e for e in again["entries"] if e["kind"] == "step"]
    assert [r.widget for r in real.requests] == ["http_order_lookup"], "the request was real"
    assert steps and not any("mock" in e for e in steps)
    client.force_login(alice)
    page = client.get(reverse("execution_detail", args=[chatbot.sid, sid])).content.decode()
    assert 'data-testid="step-mocked"' not in page
