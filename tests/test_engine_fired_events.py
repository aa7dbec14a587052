"""Events fired by name (the test panel's buttons), the order of what a run did, and
replies in a conversation. Pure engine (tests/engine_support.py)."""

from __future__ import annotations

from editor.engine import runtime
from editor.engine.mocks import Mock, MockedHttp

from .engine_support import (
    FakeHttp,
    flow,
    make_ports,
    send_and_wait,
    send_message,
    start,
    state,
    trigger,
)


def fire(definition, result, event, ports=None, **params):
    frame = {"type": "event", "event": event, "params": params}
    return runtime.resume(definition, result.state, frame, ports or make_ports())


def asking():
    return flow(
        send_and_wait("ask", "Ready?", "done", timeout="late", deliveryFailure="lost"),
        send_message("done", "Thanks"),
        send_message("late", "Too late"),
        send_message("lost", "Lost"),
    )


def test_a_delivery_failure_can_be_fired_and_says_why_the_message_failed():
    definition = asking()
    result = fire(definition, start(definition), "deliveryFailure")
    assert [s["name"] for s in result.steps] == ["deliveryFailure", "sent"]
    outbound = result.state["context"]["widgets"]["ask"]["outbound"]
    assert (outbound["Status"], outbound["ErrorCode"]) == ("undelivered", "30003")


def test_firing_the_timeout_is_the_same_as_the_timer_firing():
    definition = asking()
    fired = fire(definition, start(definition), "timeout")
    waited = start(definition)
    timer = {"type": "timeout", "wait_id": waited.wait["id"]}
    timed = runtime.resume(definition, waited.state, timer, make_ports())
    assert [s["transitioned_to"] for s in fired.steps] == ["late", "Ended"]
    assert fired.state["context"]["widgets"] == timed.state["context"]["widgets"]


def test_an_event_the_widget_does_not_have_is_not_handled():
    definition = asking()
    result = fire(definition, start(definition), "callCompleted")
    assert not result.handled and result.state["wait"]["widget"] == "ask"


def test_a_callback_widget_leaves_by_the_event_fired_with_its_parameters():
    definition = flow(
        state(
            "dial",
            "connect-call-to",
            {"to": "+15550001111", "noun": "number"},
            callCompleted=None,
            hangup=None,
        ),
        first="dial",
    )
    definition["states"][0] = trigger(incomingCall="dial")
    waiting = start(definition, kind="call")
    assert waiting.state["wait"]["events"] == ["callCompleted", "hangup"]
    result = fire(definition, waiting, "hangup", DialCallStatus="busy")
    assert result.steps[-1]["name"] == "hangup"
    assert result.state["context"]["widgets"]["dial"]["DialCallStatus"] == "busy"


def test_the_timeline_puts_each_message_before_the_step_out_of_its_widget():
    definition = flow(send_message("hello", "Hello", "bye"), send_message("bye", "Bye"))
    result = start(definition)
    kinds = [
        (kind, item.get("transitioned_from") or item.get("body"))
        for kind, item in result.timeline
        if kind != "effect" or item["type"] == "message"
    ]
    assert kinds == [
        ("step", "Trigger"),
        ("effect", "Hello"),
        ("step", "hello"),
        ("effect", "Bye"),
        ("step", "bye"),
    ]


def test_a_reply_in_a_conversation_is_the_conversations_new_message():
    definition = flow(send_and_wait("ask", "Ready?", "done"), send_message("done", "ok"))
    definition["states"][0] = trigger(incomingConversationMessage="ask")
    first = {"Body": "hi", "ConversationSid": "CH1", "Index": "0", "Attributes": "{}"}
    waiting = start(definition, kind="conversation", payload=first)
    reply = {"Body": "yes", "ConversationSid": "CH1", "Index": "2", "Attributes": "{}"}
    result = runtime.resume(
        definition, waiting.state, {"type": "reply", "message": reply}, make_ports()
    )
    context = result.state["context"]
    assert context["trigger"]["conversation"]["Body"] == "yes"
    assert context["widgets"]["ask"]["inbound"]["Index"] == "2"


def test_a_mock_answers_its_widget_and_the_others_go_to_the_real_port():
    real = FakeHttp(default={"status_code": 500, "content_type": "text/plain", "body": "real"})
    mocked = MockedHttp(real, {"lookup": Mock(201, {"Content-Type": "application/json"}, "{}")})
    definition = flow(
        state(
            "lookup",
            "make-http-request",
            {"url": "https://a.test/", "method": "GET"},
            success="other",
            failed="other",
        ),
        state(
            "other",
            "make-http-request",
            {"url": "https://b.test/", "method": "GET"},
            success=None,
            failed=None,
        ),
    )
    result = start(definition, ports=make_ports(http=mocked))
    widgets = result.state["context"]["widgets"]
    assert (widgets["lookup"]["status_code"], widgets["lookup"]["parsed"]) == (201, {})
    assert widgets["other"]["body"] == "real"
    assert [r.widget for r in real.requests] == ["other"]
