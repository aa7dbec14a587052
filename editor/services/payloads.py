"""Inbound payloads as Twilio's webhooks deliver them (docs/engine.md, "Triggers"): an SMS
or WhatsApp message, a Programmable Chat message, a call, a Conversations `onMessageAdded`.
The test panel and `manage.py run_flow` build theirs here, so a flow sees exactly the keys a
real contact's message or call would give it under `trigger.*`."""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from ..sids import new_sid


def message_payload(
    account_sid: str, contact: str, flow_address: str, body: str, media_url: str, channel: str
) -> dict[str, Any]:
    """An incoming SMS/WhatsApp message as Twilio's messaging webhook posts it; a chat
    message as Programmable Chat's channel webhook does."""
    if channel == "chat":
        return {
            "MessageSid": new_sid("IM"),
            "AccountSid": account_sid,
            "ChannelSid": new_sid("CH"),
            "InstanceSid": new_sid("IS"),
            "From": contact,
            "To": flow_address,
            "Body": body,
            "Attributes": "{}",
            # A Flex webchat channel's attributes: flows route and label tasks on its
            # channel_type ("web"), as the webchat sample's Send to Flex does.
            "ChannelAttributes": json.dumps(
                {"from": contact, "channel_type": "web", "pre_engagement_data": {}}
            ),
        }
    sid = new_sid("MM" if media_url else "SM")
    payload = {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "AccountSid": account_sid,
        "From": contact,
        "To": flow_address,
        "Body": body,
        "NumMedia": "1" if media_url else "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
    }
    if media_url:
        payload["MediaUrl0"] = media_url
        payload["MediaContentType0"] = guess_type(media_url)
    if channel == "whatsapp":
        payload["ProfileName"] = "Tester"
        payload["WaId"] = contact.removeprefix("whatsapp:").lstrip("+")
    return payload


def guess_type(url: str) -> str:
    ending = url.lower().rsplit("?", 1)[0].rsplit(".", 1)[-1]
    known = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif"}
    known.update({"mp3": "audio/mpeg", "mp4": "video/mp4", "pdf": "application/pdf"})
    return known.get(ending, "application/octet-stream")


def call_payload(account_sid: str, contact: str, flow_address: str) -> dict[str, Any]:
    """An incoming call as Twilio's voice webhook posts it."""
    return {
        "CallSid": new_sid("CA"),
        "AccountSid": account_sid,
        "From": contact,
        "To": flow_address,
        "Caller": contact,
        "Called": flow_address,
        "CallStatus": "ringing",
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
    }


def conversation_payload(
    account_sid: str,
    *,
    author: str,
    body: str,
    media_url: str = "",
    source: str = "SMS",
    previous: dict[str, Any] | None = None,
    conversation_sid: str = "",
) -> dict[str, Any]:
    """A Conversations `onMessageAdded` webhook, with the two keys Studio adds (`From` is
    the author and `ChannelSid` the conversation). A reply keeps the conversation, its
    service and the author's participant SID, and takes the next message index."""
    previous = previous or {}
    conversation = previous.get("ConversationSid") or conversation_sid or new_sid("CH")
    payload = {
        "EventType": "onMessageAdded",
        "AccountSid": account_sid,
        "ChatServiceSid": previous.get("ChatServiceSid") or new_sid("IS"),
        "ConversationSid": conversation,
        "ChannelSid": conversation,
        "MessageSid": new_sid("IM"),
        "Index": str(int(previous.get("Index", -2)) + 2),
        "Author": author,
        "From": author,
        "ParticipantSid": previous.get("ParticipantSid") or new_sid("MB"),
        "Body": body,
        "Attributes": "{}",
        "DateCreated": timezone.now().isoformat().replace("+00:00", "Z"),
        "Source": source,
        "RetryCount": "0",
        "WebhookType": "studio",
        "WebhookSid": previous.get("WebhookSid") or new_sid("WH"),
    }
    if source in ("SMS", "WhatsApp"):
        payload["MessagingServiceSid"] = previous.get("MessagingServiceSid") or new_sid("MG")
    if source == "SDK":
        payload["ClientIdentity"] = author
    if media_url:
        media = [{"Sid": new_sid("ME"), "Filename": media_url.rsplit("/", 1)[-1]}]
        media[0].update(ContentType=guess_type(media_url), Size=0, Url=media_url)
        payload["Media"] = json.dumps(media)
    return payload
