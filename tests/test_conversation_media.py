"""Media in a Conversations reply: the sender fetches the widget's media URL (through the
SSRF-guarded client), uploads its bytes to the Media Content Service of the conversation's
service (a fake on loopback), and posts the message with the media's SID."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from editor.models import OutboundRequest, TranscriptEntry

from .engine_support import flow, state
from .local_server import QuietHandler, serving
from .outbox_support import drain, post, twilio_fixture  # noqa: F401
from .test_conversations import CONVERSATION, SERVICE, added
from .twilio_support import DEFAULT_SERVICE, published, webhook_path

pytestmark = pytest.mark.django_db
PICTURE = bytes(range(256)) * 4  # not text in any encoding


class PictureHandler(QuietHandler):
    def do_GET(self) -> None:
        self.server.fetched.append(self.path)
        if self.path != "/xray.png":
            self.answer(404)
            return
        self.answer(200, PICTURE, "image/png")


@pytest.fixture
def pictures(settings) -> Iterator[Any]:
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    with serving(PictureHandler, fetched=[]) as server:
        yield server


def picture_flow(team, url: str):
    send = state(
        "send_xray",
        "send-message",
        {"body": "Your x-ray", "from": "Clinic", "media_url": url},
        sent=None,
        failed=None,
    )
    return published(team, flow(send), "X-ray")


def url_of(pictures, path: str = "/xray.png") -> str:
    return f"{pictures.url}{path}"


def uploads(twilio) -> list[dict[str, Any]]:
    return [r for r in twilio.requests if r.get("created") == "media"]


def test_the_media_is_uploaded_and_the_message_carries_its_sid(team, twilio, pictures):
    xray = picture_flow(team, url_of(pictures))
    post(webhook_path(xray), added("my x-ray please", 1))
    assert drain() == ["sent"]
    [upload] = uploads(twilio)
    assert upload["path"] == f"/v1/Services/{SERVICE}/Media"
    assert upload["data"] == PICTURE and upload["content_type"] == "image/png"
    [message] = twilio.created("conversation_message")
    assert message["MediaSid"] == upload["sid"] and message["Body"] == "Your x-ray"
    row = OutboundRequest.objects.get()
    assert row.status == "sent" and row.request["media_url"] == url_of(pictures)


def test_without_a_service_the_accounts_default_one_takes_the_media(team, twilio, pictures):
    xray = picture_flow(team, url_of(pictures))
    form = added("my x-ray please", 1)
    del form["ChatServiceSid"]
    post(webhook_path(xray), form)
    drain()
    [upload] = uploads(twilio)
    assert upload["path"] == f"/v1/Services/{DEFAULT_SERVICE}/Media"
    [request] = [r for r in twilio.requests if r.get("created") == "conversation_message"]
    assert request["path"] == f"/v1/Conversations/{CONVERSATION}/Messages"


def test_a_retried_message_does_not_upload_its_media_again(team, twilio, pictures):
    xray = picture_flow(team, url_of(pictures))
    twilio.fail(1, status=503, kind="conversation_message")
    post(webhook_path(xray), added("my x-ray please", 1))
    assert drain() == ["retry"]
    assert drain(timezone.now() + timedelta(seconds=5)) == ["sent"]
    assert len(uploads(twilio)) == 1 and len(pictures.fetched) == 1
    [message] = twilio.created("conversation_message")
    assert message["MediaSid"] == uploads(twilio)[0]["sid"]


def test_media_that_cannot_be_fetched_fails_the_request_and_is_noted(team, twilio, pictures):
    xray = picture_flow(team, url_of(pictures, "/gone.png"))
    post(webhook_path(xray), added("my x-ray please", 1))
    assert drain() == ["failed"]
    assert uploads(twilio) == [] and twilio.created("conversation_message") == []
    row = OutboundRequest.objects.get()
    assert row.status == "failed" and "404" in row.error
    [entry] = TranscriptEntry.objects.filter(kind="outbound")
    assert entry.as_json()["widget"] == "send_xray"
