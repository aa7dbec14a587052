"""Whole flows through the engine: the sample flows with scripted conversations, and every
flow in the corpus driven from each of its wired trigger events until it ends, waits for an
input the script has run out of, or hands the contact to an external system."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from editor.engine import runtime
from editor.engine.context import TRIGGER_EVENTS
from editor.flowspec.studio_json import prepare
from editor.samples import load_sample

from .conftest import corpus_files
from .engine_support import (
    CONTACT,
    FLOW_ADDRESS,
    OK_JSON,
    Clock,
    FakeHttp,
    make_ports,
    start,
    timeout_event,
    widget_flow,
)

KIND_OF_EVENT = {event: kind for kind, event in TRIGGER_EVENTS.items()}
MAX_EVENTS = 15


class Conversation:
    """One execution of a sample flow, and everything it has sent and done so far."""

    def __init__(self, slug: str, kind: str, http: FakeHttp | None = None, **start_args: Any):
        self.definition = load_sample(slug)
        self.clock = Clock()
        self.http = http or FakeHttp()
        self.ports = make_ports(http=self.http, clock=self.clock)
        self.result = start(self.definition, kind, ports=self.ports, **start_args)
        self.steps = list(self.result.steps)
        self.effects = list(self.result.effects)

    def send(self, event: dict[str, Any]) -> runtime.Result:
        self.result = runtime.resume(self.definition, self.result.state, event, self.ports)
        self.steps += self.result.steps
        self.effects += self.result.effects
        return self.result

    def reply(self, body: str) -> runtime.Result:
        message = {"Body": body, "From": CONTACT, "To": FLOW_ADDRESS}
        return self.send({"type": "reply", "message": message})

    def callback(self, **params: str) -> runtime.Result:
        return self.send({"type": "callback", "params": params})

    def time_out(self) -> runtime.Result:
        return self.send(timeout_event(self.result))

    @property
    def texts(self) -> list[str]:
        return [e["body"] for e in self.effects if e["type"] == "message"]

    @property
    def actions(self) -> list[dict[str, Any]]:
        return [e for e in self.effects if e["type"] == "action"]

    @property
    def waiting_in(self) -> str | None:
        return self.result.wait["widget"] if self.result.wait else None

    @property
    def ended(self) -> str | None:
        return self.result.state["ended_reason"]

    @property
    def path(self) -> list[str]:
        return [step["transitioned_from"] for step in self.steps]


# conversations-tutorial ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("yes", "Great! We like you too."),
        (" YEAH ", "Great! We like you too."),
        ("no", "That's okay. Bots have thick skin."),
        ("blorp", "Sorry, I didn't understand that."),
    ],
)
def test_the_tutorial_answers_yes_no_and_anything_else(answer, expected):
    run = Conversation("conversations-tutorial", "message", payload={"Body": "hi"})
    assert run.texts == ["Hi, do you like bots?"]
    assert run.waiting_in == "send_and_reply_1"
    run.reply(answer)
    assert run.texts[1].startswith(expected)
    assert run.ended == runtime.FLOW_END


def test_the_tutorial_ends_quietly_when_nobody_answers():
    run = Conversation("conversations-tutorial", "message")
    run.time_out()
    assert run.texts == ["Hi, do you like bots?"]
    assert run.steps[-1]["name"] == "timeout"
    assert run.ended == runtime.FLOW_END


# ivr-phone-tree ---------------------------------------------------------------------------


def test_the_ivr_reads_the_opening_hours_on_1():
    run = Conversation("ivr-phone-tree", "call")
    assert run.actions[-1]["verb"] == "gather"
    run.callback(Digits="1")
    assert run.actions[-1]["say"].startswith("We are open Monday to Friday")
    run.callback(CallStatus="in-progress")
    assert run.ended == runtime.FLOW_END


def test_the_ivr_transfers_to_reception_on_2():
    run = Conversation("ivr-phone-tree", "call")
    run.callback(Digits="2")
    assert run.actions[-1]["verb"] == "dial"
    assert run.actions[-1]["to"] == ["+15555550100"]
    run.callback(DialCallStatus="completed", DialCallDuration="30")
    assert run.steps[-1]["name"] == "callCompleted"
    assert run.result.state["context"]["widgets"]["connect_reception"]["DialCallDuration"] == "30"
    assert run.ended == runtime.FLOW_END


def test_the_ivr_takes_a_voicemail_on_3():
    run = Conversation("ivr-phone-tree", "call")
    run.callback(Digits="3")
    run.callback(CallStatus="in-progress")
    assert run.actions[-1]["verb"] == "record"
    run.callback(RecordingUrl="https://api.twilio.com/rec/RE1", RecordingDuration="9")
    assert run.actions[-1]["say"].startswith("Thank you.")
    run.callback(CallStatus="in-progress")
    assert run.path[-3:] == ["say_leave_message", "record_voicemail_1", "say_goodbye"]
    assert run.ended == runtime.FLOW_END


def test_the_ivr_asks_again_on_no_input_and_on_a_wrong_key():
    run = Conversation("ivr-phone-tree", "call")
    run.callback()
    assert run.actions[-1]["say"] == "Sorry, we didn't get your choice."
    run.callback(CallStatus="in-progress")
    assert run.waiting_in == "gather_main_menu"
    run.callback(Digits="9")
    assert run.actions[-1]["say"] == "Sorry, that is not one of the options."
    run.callback(CallStatus="in-progress")
    run.callback(Digits="1")
    assert run.actions[-1]["say"].startswith("We are open")
    assert run.path.count("gather_main_menu") == 3


def test_the_ivr_ends_when_the_caller_hangs_up():
    run = Conversation("ivr-phone-tree", "call")
    run.send({"type": "hangup"})
    assert run.ended == runtime.CALL_ENDED


# appointment-reminder ---------------------------------------------------------------------

APPOINTMENT = {
    "first_name": "Ann",
    "provider": "Dr. Owl",
    "appointment_time": "Tuesday at 3pm",
    "office_phone": "+15550009999",
    "appointment_id": 1042,
}


@pytest.mark.parametrize(
    ("answer", "expected", "recorded"),
    [
        ("Confirm", "Thanks, Ann! See you on Tuesday at 3pm.", "confirm"),
        ("cancel ", "Your appointment on Tuesday at 3pm is cancelled.", "cancel"),
    ],
)
def test_the_reminder_records_a_confirmation_or_a_cancellation(answer, expected, recorded):
    http = FakeHttp([{"status_code": 201, "content_type": "application/json", "body": "{}"}])
    run = Conversation("appointment-reminder", "request", http=http, data=APPOINTMENT)
    assert run.texts == [
        "Hi Ann, this is a reminder of your appointment with Dr. Owl on Tuesday at 3pm. "
        "Reply CONFIRM to keep it or CANCEL to cancel it."
    ]
    assert run.effects[0]["to"] == CONTACT and run.effects[0]["from"] == FLOW_ADDRESS
    run.reply(answer)
    assert run.texts[1].startswith(expected)
    (request,) = http.requests
    assert request.method == "POST"
    assert request.url == "https://appointments.example.com/api/reminders/answers"
    assert json.loads(request.body) == {
        "appointment_id": 1042,
        "answer": recorded,
        "flow_sid": run.result.state["context"]["flow"]["flow_sid"],
    }
    assert run.steps[-1]["name"] == "success"
    assert run.ended == runtime.FLOW_END


def test_the_reminder_points_an_unclear_answer_to_the_office():
    run = Conversation("appointment-reminder", "request", data=APPOINTMENT)
    run.reply("maybe?")
    assert "+15550009999" in run.texts[-1]
    assert run.ended == runtime.FLOW_END


# sms-chatbot ------------------------------------------------------------------------------


def order(status: str) -> dict[str, Any]:
    body = {"status": status, "shipped_on": "2026-01-12", "tracking_number": "1Z999"}
    return {"status_code": 200, "content_type": "application/json", "body": json.dumps(body)}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("shipped", "Good news: order OWL-10492 shipped on 2026-01-12 with tracking number 1Z999."),
        ("processing", "Order OWL-10492 is being packed."),
        ("lost", "We could not find order OWL-10492."),
    ],
)
def test_the_chatbot_looks_up_an_order(status, expected):
    http = FakeHttp([order(status)])
    run = Conversation("sms-chatbot", "message", http=http, payload={"Body": "hi"})
    assert run.texts[0].startswith("Welcome to Owl Books!")
    run.reply("1")
    assert run.texts[1].startswith("What is your order number?")
    run.reply("  owl-10492 ")
    (request,) = http.requests
    assert request.method == "GET"
    assert request.url == (
        "https://api.example.com/orders/lookup?number=OWL-10492&phone=%2B15551230001"
    )
    assert run.texts[2].startswith(expected)
    assert run.result.state["context"]["flow"]["variables"] == {
        "order_number": "OWL-10492",
        "customer": CONTACT,
    }
    assert run.ended == runtime.FLOW_END


def test_the_chatbot_apologises_when_the_order_system_fails():
    http = FakeHttp([{"failure": "timeout"}])
    run = Conversation("sms-chatbot", "message", http=http)
    run.reply("track")
    run.reply("OWL-1")
    assert run.texts[-1].startswith("Our order system is not answering")
    # Studio records nothing for a request with no response; we record why.
    assert run.result.state["context"]["widgets"]["http_order_lookup"] == {
        "error": {"reason": "timeout", "message": "scripted failure"}
    }


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("2", "We are open Monday to Saturday"),
        ("Three", "A bookseller will text you back"),
        ("pizza", "Sorry, I only understand 1, 2 or 3."),
    ],
)
def test_the_chatbot_menu(answer, expected):
    run = Conversation("sms-chatbot", "message")
    run.reply(answer)
    assert run.texts[-1].startswith(expected)
    assert run.ended == runtime.FLOW_END


# webchat-pre-agent ------------------------------------------------------------------------

WEBCHAT = {
    "Body": "Hello",
    "ChannelSid": "CH" + "1" * 32,
    "InstanceSid": "IS" + "1" * 32,
    "ChannelAttributes": json.dumps(
        {
            "from": "Ann",
            "channel_type": "web",
            "pre_engagement_data": {"friendlyName": "Ann", "question": "Where is my order?"},
        }
    ),
}


def test_webchat_asks_the_topic_then_creates_a_flex_task():
    run = Conversation("webchat-pre-agent", "message", payload=WEBCHAT, contact="Ann")
    assert run.texts == ["Hi Ann! What can we help you with today?"]
    assert json.loads(run.effects[0]["attributes"]) == {
        "selections": ["Billing", "Technical support", "Something else"]
    }
    run.reply("Billing")
    (task,) = run.actions
    assert task["verb"] == "create_task"
    assert task["workflow"] == "WW3f4a9c2d8b7e6f5a4b3c2d1e0f9a8b7c"
    assert task["channel"] == "TC0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"
    assert task["attributes"] == {
        "name": "Ann",
        "channelType": "web",
        "channelSid": "CH" + "1" * 32,
        "topic": "Billing",
        "pre_engagement_data": {"friendlyName": "Ann", "question": "Where is my order?"},
    }
    outputs = run.result.state["context"]["widgets"]["send_to_flex_1"]
    assert outputs["TaskSid"] == task["sid"]
    assert run.steps[-1]["name"] == "callComplete"
    assert run.ended == runtime.FLOW_END


def test_webchat_says_goodbye_when_the_visitor_goes_quiet():
    run = Conversation("webchat-pre-agent", "message", payload=WEBCHAT)
    run.time_out()
    assert run.texts[-1].startswith("We haven't heard from you in a while")
    assert not run.actions


# The corpus -------------------------------------------------------------------------------

CALLBACK = {
    "CallStatus": "in-progress",
    "DialCallStatus": "completed",
    "QueueResult": "bridged",
    "RecordingUrl": "https://api.twilio.com/recordings/RE1",
    "RecordingDuration": "5",
    "Result": "success",
    "VirtualAgentStatus": "completed",
    "SessionStatus": "completed",
    "FlowEvent": "return",
}
PAYLOADS = {
    "message": {"Body": "hello"},
    "conversation": {"Body": "hello"},
    "call": {},
    "parent": {"parameters": {"name": "Ann"}},
    "request": {},
}


class Script:
    """Scripted inputs: replies, then keypad and speech answers, then generic callbacks.
    With `timeouts`, every wait that has a timer gets its timeout instead."""

    def __init__(self, timeouts: bool) -> None:
        self.timeouts = timeouts
        self.replies = ["yes", "1", "hello"]
        self.gathers: list[dict[str, str]] = [{"Digits": "1"}, {"SpeechResult": "yes"}]

    def next_event(self, wait: dict[str, Any]) -> dict[str, Any] | None:
        if self.timeouts and wait.get("timeout_at") and wait.get("timeout_event"):
            return {"type": "timeout", "wait_id": wait["id"]}
        if wait["kind"] == "reply":
            return (
                {"type": "reply", "message": {"Body": self.replies.pop(0)}}
                if self.replies
                else None
            )
        if wait["type"] == "gather-input-on-call":
            return {"type": "callback", "params": self.gathers.pop(0)} if self.gathers else None
        return {"type": "callback", "params": dict(CALLBACK)}


def corpus_runs() -> list[Any]:
    runs = []
    for path in corpus_files("flows"):
        definition = prepare(json.loads(path.read_text(encoding="utf-8")))
        states = {s.get("name"): s for s in definition.get("states", [])}
        trigger = states.get(definition.get("initial_state", "Trigger"), {})
        kinds = [
            KIND_OF_EVENT[t["event"]]
            for t in trigger.get("transitions", [])
            if t.get("next") and t.get("event") in KIND_OF_EVENT
        ]
        for kind in kinds or ["message"]:
            for script in ("answers", "timeouts"):
                runs.append(
                    pytest.param(definition, kind, script, id=f"{path.stem}-{kind}-{script}")
                )
    return runs


def explains(definition: dict[str, Any], detail: str) -> bool:
    """An ERROR end is fine when the flow is broken, and the detail says where."""
    names = {s.get("name") for s in definition.get("states", [])}
    if detail.startswith("no widget named "):
        return detail.removeprefix("no widget named ") not in names
    widget = detail.split(":", 1)[0]
    return widget in names and ":" in detail


@pytest.mark.parametrize(("definition", "kind", "script"), corpus_runs())
def test_a_corpus_flow_runs_from_its_trigger(definition, kind, script):
    ports = make_ports(http=FakeHttp(default=OK_JSON))
    result = start(definition, kind, payload=PAYLOADS[kind], ports=ports)
    steps = list(result.steps)
    inputs = Script(timeouts=script == "timeouts")
    for _ in range(MAX_EVENTS):
        wait = result.wait
        if result.status != "active" or (wait["action"] or {}).get("verb") == "external":
            break
        event = inputs.next_event(wait)
        if event is None:
            break
        result = runtime.resume(definition, result.state, event, ports)
        steps += result.steps
        if not result.handled:
            break
    assert steps[0]["name"] == TRIGGER_EVENTS[kind]
    for step in steps:
        assert step["name"] and step["transitioned_from"] and step["transitioned_to"]
        assert isinstance(json.loads(json.dumps(step["context"])), dict)
    if result.status == "active":
        assert result.wait is not None
    elif result.state["ended_reason"] == runtime.ERROR:
        assert explains(definition, result.state["ended_detail"]), result.state["ended_detail"]
    else:
        assert result.state["ended_reason"] in (runtime.FLOW_END, runtime.LOOP_LIMIT)


# Widget fixtures -------------------------------------------------------------------------

ANY_EVENT = [
    {"type": "reply", "message": {"Body": "yes"}},
    {"type": "callback", "params": {}},
    {
        "type": "callback",
        "params": {
            "Digits": "1",
            "CallStatus": "completed",
            "QueueResult": "queue-full",
            "Result": "success",
            "VirtualAgentStatus": "failed",
        },
    },
    {"type": "return", "params": {"FlowEvent": "return", "x": "1"}},
    {"type": "timeout", "wait_id": 1},
    {"type": "hangup"},
    {"type": "end"},
]


def fixture_params() -> list[Any]:
    """Every widget fixture but the trigger's, which is what starts the others."""
    widgets = [
        pytest.param(json.loads(path.read_text(encoding="utf-8")), id=path.stem)
        for path in corpus_files("widget-fixtures")
    ]
    return [w for w in widgets if w.values[0]["type"] != "trigger"]


@pytest.mark.parametrize("widget", fixture_params())
def test_a_corpus_widget_takes_any_event_from_any_trigger_without_failing(widget):
    definition = widget_flow(widget)
    for kind, event in itertools.product(TRIGGER_EVENTS, ANY_EVENT):
        ports = make_ports(http=FakeHttp(default=OK_JSON))
        result = start(definition, kind, ports=ports)
        if result.status == "active":
            result = runtime.resume(definition, result.state, event, ports)
        assert result.state["ended_reason"] != runtime.ERROR, result.state["ended_detail"]
        assert result.status == "ended" or result.wait["widget"] == widget["name"]
