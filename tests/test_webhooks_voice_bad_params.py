"""Signed voice requests with parameters Twilio would not send, or not like that: never a
5xx. A value too long for the column it would be stored in is a 400 naming it; unknown
parameters and values are kept as the widget's variables or change nothing."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client

from editor.flowspec.catalogue import widget_type
from editor.models import Execution

from .engine_support import flow, state
from .test_webhooks_voice_hangup import WAITING
from .twilio_support import SERVER, call, connect, post, published, sign, twiml, webhook_path

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
CALL = "CA" + "1" * 32


@pytest.fixture
def answering(team):
    connect(team)
    return published(team, flow(state("hi", "say-play", {"say": "Hi"}, audioComplete=None)))


@pytest.mark.parametrize(
    ("name", "value", "limit"),
    [
        ("From", "sip:" + "a" * 260 + "@example.com", 255),
        ("To", "+1" + "5" * 300, 255),
        ("CallSid", CALL + "0" * 40, 64),
    ],
)
def test_an_incoming_call_with_a_value_too_long_to_store_is_a_400(answering, name, value, limit):
    # On PostgreSQL this was a 500 (value too long for type character varying).
    response = post(webhook_path(answering), {**call(CALL), name: value})
    assert response.status_code == 400
    assert response.content.decode() == f"The parameter {name} is longer than {limit} characters"
    assert not Execution.objects.exists()


def test_values_as_long_as_the_columns_still_run(answering):
    params = {**call("CA" + "2" * 62), "From": "sip:" + "a" * 239 + "@example.com"}
    assert len(params["From"]) == 255 and len(params["CallSid"]) == 64
    assert twiml(post(webhook_path(answering), params)).find("Say").text == "Hi"


GARBAGE = [
    {"Digits": "9" * 20000},
    {"Result": "no-such-result", "VirtualAgentStatus": "no-such-status", "QueueResult": ""},
    {"VirtualAgentProviderData": "{not json", "HandoffData": "[1,", "AddOns": "{"},
    {"RecordingDuration": "abc", "RecordingUrl": "", "DialCallDuration": "-1"},
    {"__proto__": "x", "constructor": "y", "a.b": "c", "widgets": "d", "": "e"},
    {"DialCallStatus": "weird", "CallStatus": "garbage", "Confidence": "NaN"},
]


def raw_post(path: str, body: bytes):
    """A form whose bytes are not UTF-8, signed over what Django decodes from it."""
    signature = sign(SERVER + path, QueryDict(body, encoding="utf-8"))
    content_type = "application/x-www-form-urlencoded"
    return Client().post(path, body, content_type=content_type, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.mark.parametrize("type_", sorted(WAITING))
def test_garbage_in_a_callback_is_never_a_5xx(team, type_):
    connect(team)
    events = {event: None for event in widget_type(type_).events}
    flow_ = published(team, flow(state("w", type_, WAITING[type_], **events)), type_)
    for n, garbage in enumerate([*GARBAGE, b"&Digits=%ED%A0%80&SpeechResult=%FF%FE&%FF=1"]):
        sid = f"CA{n:032x}"
        twiml(post(webhook_path(flow_), call(sid)))
        execution = Execution.objects.get(flow=flow_, initiated_by=sid)
        path = f"{webhook_path(flow_)}/Executions/{execution.sid}/Callback?wait={execution.wait_id}"
        if isinstance(garbage, bytes):
            response = raw_post(path, urlencode(call(sid, "in-progress")).encode() + garbage)
        else:
            response = post(path, call(sid, "in-progress", **garbage))
        assert response.status_code == 200, (garbage, response.content[:200])
        execution.refresh_from_db()
        last = execution.steps.order_by("position").last()
        if last.transitioned_from == "w" and isinstance(garbage, dict):
            # What Twilio sent is the widget's variables, whatever it was.
            outputs = execution.context["widgets"]["w"]
            assert all(outputs.get(k) == v for k, v in garbage.items() if k != "event")
