"""The sample flows through the engine, each with scripted conversations: the Conversations
tutorial, the IVR phone tree, the appointment reminder, the SMS chatbot and the webchat
before an agent (editor/samples). Every flow of the corpus runs in
tests/test_engine_corpus.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

from editor.engine import runtime

from .engine_run_support import Conversation
from .engine_support import CONTACT, FLOW_ADDRESS, FakeHttp

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
