"""A signed webhook whose identifier or address is longer than the column it reaches is a
400 that saves nothing (editor/webhooks/views.py BOUNDED): on PostgreSQL a CallSid over 64
characters, or a From over 255, made the insert fail after the signature was accepted (a
500, found by fuzzing the webhooks)."""

from __future__ import annotations

import pytest

from editor.models import EarlyReport, Execution
from editor.samples import load_sample

from .twilio_support import TWILIO_ACCOUNT, call, connect, post, published, sms, webhook_path

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
CALL, MESSAGE = "CA" + "1" * 32, "SM" + "1" * 32


def conversation(**extra: str) -> dict[str, str]:
    return {
        "EventType": "onMessageAdded",
        "AccountSid": TWILIO_ACCOUNT,
        "ConversationSid": "CH" + "a" * 32,
        "MessageSid": "IM" + "b" * 32,
        "Author": "+15551230001",
        "ParticipantSid": "MB" + "c" * 32,
        "Body": "hi",
        **extra,
    }


FORMS = {
    "message": lambda **extra: sms("hi", MESSAGE, **extra),
    "call": lambda **extra: call(CALL, **extra),
    "conversation": conversation,
}
CASES = [
    ("message", "MessageSid", 34),
    ("message", "From", 255),
    ("message", "To", 255),
    ("call", "CallSid", 64),
    ("call", "From", 255),
    ("call", "To", 255),
    ("conversation", "ConversationSid", 255),
    ("conversation", "Author", 255),
    ("conversation", "MessageSid", 34),
]


@pytest.fixture
def flows(team):
    connect(team)
    return {
        "message": published(team, load_sample("sms-chatbot"), "SMS"),
        "call": published(team, load_sample("ivr-phone-tree"), "IVR"),
        "conversation": published(team, load_sample("conversations-tutorial"), "Chat"),
    }


@pytest.mark.parametrize(("kind", "field", "limit"), CASES)
def test_a_value_longer_than_its_column_is_a_400_and_starts_nothing(flows, kind, field, limit):
    form = FORMS[kind](**{field: "1" * (limit + 1)})

    response = post(webhook_path(flows[kind]), form)

    assert response.status_code == 400
    assert response.content.decode() == f"The parameter {field} is longer than {limit} characters"
    assert not Execution.objects.exists()


@pytest.mark.parametrize(("kind", "field", "limit"), CASES)
def test_a_value_as_long_as_its_column_is_taken(flows, kind, field, limit):
    form = FORMS[kind](**{field: "1" * limit})

    assert post(webhook_path(flows[kind]), form).status_code == 200
    assert Execution.objects.count() == 1


def test_a_status_callback_with_an_over_long_message_sid_is_a_400(flows):
    post(webhook_path(flows["message"]), sms("hi", MESSAGE))
    execution = Execution.objects.get()
    path = f"{webhook_path(flows['message'])}/Executions/{execution.sid}/MessageStatus"
    form = {"AccountSid": TWILIO_ACCOUNT, "MessageSid": "SM" + "1" * 40, "MessageStatus": "failed"}

    response = post(path, form)

    assert response.status_code == 400
    assert response.content.decode() == "The parameter MessageSid is longer than 34 characters"
    assert not EarlyReport.objects.exists()
