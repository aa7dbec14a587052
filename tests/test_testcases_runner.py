"""Flow test cases run in memory (editor/testcases): every script input, every kind of mock
and the triggers' parameters, each shown to pass and to fail. The format is tested in
tests/test_testcases_format.py, the assertions in tests/test_testcases_assertions.py."""

from __future__ import annotations

from tests.engine_support import flow, send_and_wait, send_message, set_variables, state

from .testcase_support import BOTS, CHATBOT, IVR, failed, run


# Script inputs.
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
