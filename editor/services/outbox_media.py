"""Media in a Conversations message (services/outbox.py, sent by services/outbox_twilio.py).
The Conversations API takes no media URL: a message carries media that was first uploaded
to the Media Content Service (`POST https://mcs.twilio.com/v1/Services/{IS}/Media` with the
raw bytes and their Content-Type), named by its `ME…` SID. So the sender fetches the
widget's media URL through the same SSRF-guarded client as Make HTTP Request (at most
MAX_MEDIA bytes, within TWILIO_HTTP_TIMEOUT), uploads it to the conversation's service (the
account's default service when the conversation named none), and posts the message with
`MediaSid`. The SID is kept on the outbox row at once, so a retry of the message does not
upload it again. `TWILIO_MEDIA_BASE` moves mcs.twilio.com, as the other TWILIO_*_BASE
settings move theirs.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

from ..engine.http import HttpFailure, HttpRequest
from ..models import OutboundRequest
from .outbox_twilio import Permanent, Retryable
from .runs import outbound_http

# The Conversations API's limit for one media file.
MAX_MEDIA = 5 * 1024 * 1024
MCS = "https://mcs.twilio.com/v1/Services/{service}/Media"


def media_sid(client: Any, row: OutboundRequest, service: str, url: str) -> str:
    """The uploaded media's SID: the one an earlier attempt stored, or a new upload's."""
    kept = (row.response or {}).get("media_sid")
    if kept:
        return str(kept)
    body, content_type = fetch(url)
    service = service or client.conversations.v1.configuration().fetch().default_chat_service_sid
    timeout = float(getattr(settings, "TWILIO_HTTP_TIMEOUT", 10))
    answer = client.http_client.request(
        "POST",
        MCS.format(service=service),
        data=body,
        headers={"Content-Type": content_type, "Accept": "application/json"},
        auth=(client.username, client.password),
        timeout=timeout,
    )
    if answer.status_code == 429 or answer.status_code >= 500:
        raise Retryable(f"The Media Content Service answered {answer.status_code}")
    if answer.status_code >= 400:
        raise Permanent(f"The Media Content Service refused the media ({answer.status_code})")
    sid = str(json.loads(answer.text).get("sid") or "")
    OutboundRequest.objects.filter(pk=row.pk).update(response={"media_sid": sid})
    return sid


def fetch(url: str) -> tuple[bytes, str]:
    """The media's bytes and Content-Type."""
    timeout = float(getattr(settings, "TWILIO_HTTP_TIMEOUT", 10))
    try:
        got = outbound_http().fetch(HttpRequest("GET", url, timeout=timeout, max_bytes=MAX_MEDIA))
    except HttpFailure as exc:
        if exc.reason in ("timeout", "connection"):
            raise Retryable(f"Could not fetch the media {url}: {exc.message}") from exc
        raise Permanent(f"Cannot send the media {url}: {exc.message}") from exc
    if got.status_code >= 500:
        raise Retryable(f"The media {url} answered {got.status_code}")
    if got.status_code >= 400:
        raise Permanent(f"The media {url} answered {got.status_code}")
    content_type = got.content_type.split(";")[0].strip() or "application/octet-stream"
    return got.raw, content_type
