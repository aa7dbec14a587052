"""Conversations delivery receipts and media at the flow's Webhook URL: an undelivered or
failed `onDeliveryUpdated` for a message a waiting Send & Wait posted is its
deliveryFailure (as the Messages status callback is), even when it arrives before the
outbox stored the message's SID; inbound `Media` reaches the flow as Twilio sent it."""

from __future__ import annotations

import json

import pytest

from editor.models import EarlyReport, Execution, OutboundRequest, TranscriptEntry
from editor.samples import load_sample
from editor.services import outbox

from .outbox_support import drain, post, twilio_fixture  # noqa: F401
from .test_conversations import CONVERSATION, SERVICE, added
from .twilio_support import TWILIO_ACCOUNT, published, webhook_path

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
MEDIA = [
    {
        "Sid": "ME" + "f" * 32,
        "Filename": "xray.jpg",
        "ContentType": "image/jpeg",
        "Size": 48213,
        "Category": "media",
    }
]


@pytest.fixture
def tutorial(team):
    return published(team, load_sample("conversations-tutorial"), "Tutorial")


def receipt(message_sid: str, status: str, **extra: str) -> dict[str, str]:
    """An `onDeliveryUpdated` post-event webhook, as Twilio sends it."""
    return {
        "EventType": "onDeliveryUpdated",
        "AccountSid": TWILIO_ACCOUNT,
        "ChatServiceSid": SERVICE,
        "ConversationSid": CONVERSATION,
        "MessageSid": message_sid,
        "DeliveryReceiptSid": "DY" + "2" * 32,
        "ChannelMessageSid": "SM" + "3" * 32,
        "ParticipantSid": "MB" + "4" * 32,
        "Status": status,
        "ErrorCode": "30003" if status in ("failed", "undelivered") else "0",
        "DateCreated": "2026-11-30T14:00:01.000Z",
        "DateUpdated": "2026-11-30T14:00:02.000Z",
        **extra,
    }


def test_an_undelivered_receipt_is_the_waiting_send_and_waits_delivery_failure(tutorial, twilio):
    post(webhook_path(tutorial), added("hi", 1))
    assert drain() == ["sent"]
    row = OutboundRequest.objects.get()
    assert row.kind == "conversation_message" and row.twilio_sid.startswith("IM")
    for status in ("sent", "delivered", "read"):
        assert post(webhook_path(tutorial), receipt(row.twilio_sid, status)).status_code == 200
    execution = Execution.objects.get()
    assert execution.status == "active"

    for _ in range(2):  # Twilio retries
        post(webhook_path(tutorial), receipt(row.twilio_sid, "undelivered"))
    execution.refresh_from_db()
    assert execution.status == "ended"
    assert execution.steps.filter(name="deliveryFailure").count() == 1
    outbound = execution.context["widgets"]["send_and_reply_1"]["outbound"]
    assert outbound["Status"] == "undelivered" and outbound["ErrorCode"] == "30003"


def test_a_receipt_for_a_message_the_flow_did_not_post_changes_nothing(tutorial, twilio):
    post(webhook_path(tutorial), added("hi", 1))
    drain()
    post(webhook_path(tutorial), receipt("IM" + "9" * 32, "failed"))  # an agent's message
    assert Execution.objects.get().status == "active"
    assert not TranscriptEntry.objects.filter(kind="outbound").exists()
    assert not EarlyReport.objects.exists()


def test_a_receipt_that_beats_the_senders_commit_applies_once_the_sid_is_stored(
    tutorial, twilio, monkeypatch
):
    post(webhook_path(tutorial), added("hi", 1))
    real = outbox.call_twilio

    def answered_then_receipted(row):
        sid, response = real(row)
        # Twilio's receipt arrives between its answer and the sender's commit.
        assert post(webhook_path(tutorial), receipt(sid, "failed")).status_code == 200
        assert EarlyReport.objects.filter(message_sid=sid).count() == 1
        assert Execution.objects.get().status == "active"
        return sid, response

    monkeypatch.setattr(outbox, "call_twilio", answered_then_receipted)
    assert drain() == ["sent"]
    execution = Execution.objects.get()
    assert execution.status == "ended"
    assert execution.steps.filter(name="deliveryFailure").count() == 1
    assert not EarlyReport.objects.exists()


def test_inbound_media_reaches_the_trigger_and_the_reply_as_twilio_sent_it(tutorial, twilio):
    media = json.dumps(MEDIA)
    post(webhook_path(tutorial), added("", 1, Media=media))
    execution = Execution.objects.get()
    assert execution.context["trigger"]["conversation"]["Media"] == media
    post(webhook_path(tutorial), added("", 2, Media=media))
    execution.refresh_from_db()
    inbound = execution.context["widgets"]["send_and_reply_1"]["inbound"]
    assert inbound["Media"] == media
    assert json.loads(inbound["Media"])[0]["Filename"] == "xray.jpg"
