"""Sending a message, shared by Send Message and Send & Wait For Reply."""

from __future__ import annotations

import re
from typing import Any

from .base import Widget

# A Messaging Service's SID: such a `from` is sent as MessagingServiceSid. Anything else
# (a number, `whatsapp:+…`, an alphanumeric sender ID such as "MGM Resorts") is `From`.
MESSAGING_SERVICE = re.compile(r"MG[0-9a-fA-F]{32}")


def is_messaging_service(sender: str) -> bool:
    return MESSAGING_SERVICE.fullmatch(sender) is not None


def send(widget: Widget, run: Any, *, to: str | None = None) -> dict[str, Any] | None:
    """Emit the outbound message and return Twilio's Message resource, or None on failure.

    A message needs a recipient and a body, media or a content template; Studio fails the
    send otherwise ("missing message body").
    """
    sender = widget.text(run, "from") or run.flow_address
    recipient = to if to is not None else widget.text(run, "to") or run.contact
    body = widget.text(run, "body")
    media_url = widget.text(run, "media_url")
    template = widget.choice("message_type") == "content_template"
    content_sid = widget.text(run, "content_sid") if template else ""
    if not recipient or not (body.strip() or media_url or content_sid):
        return None
    sid = run.sid("MM" if media_url else "SM")
    outbound = {
        "Sid": sid,
        "AccountSid": run.ports.account_sid,
        "From": sender,
        "To": recipient,
        "Body": body,
        "Status": "queued",
        "Direction": "outbound-api",
        "NumMedia": "1" if media_url else "0",
        "NumSegments": "1",
        "ErrorCode": None,
        "ErrorMessage": None,
    }
    if is_messaging_service(sender):
        outbound["MessagingServiceSid"] = sender
    message = {"type": "message", "widget": widget.name, "sid": sid, "from": sender}
    message.update(to=recipient, body=body, media_url=media_url or None)
    if content_sid:
        message["content_sid"] = content_sid
        message["content_variables"] = widget.pairs(run, "content_variables")
    attributes = widget.text(run, "attributes")
    if attributes:
        message["attributes"] = attributes
    run.emit(message)
    return outbound
