"""How each outbound request of the outbox (services/outbox.py) becomes calls of Twilio's
SDK, and how a failure is classed: `Retryable` (Twilio unreachable, 429, 5xx) is tried again
after the outbox's delays, `Permanent` (any other 4xx, a missing setting, a request the SDK
cannot build) fails the request for good.

A message, call, TaskRouter task or Flex Interaction is one `create`; Start and Resume
Conversation are several calls (services/outbox_conversations.py); a conversation message
with media uploads it first (services/outbox_media.py). URLs back to this server are made
public with TWILIO_WEBHOOK_BASE_URL.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from requests import RequestException
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException

from .. import twilio_rest
from ..models import OutboundKind, OutboundRequest, TwilioConnection

logger = logging.getLogger(__name__)
# Requests whose outcome a waiting widget hears (Start and Resume Conversation).
CONVERSATION_SETUPS = (OutboundKind.START_CONVERSATION, OutboundKind.RESUME_CONVERSATION)


class Permanent(Exception):
    """A failure that retrying cannot mend (Twilio's 4xx, a missing setting)."""


class Retryable(Exception):
    """A failure worth another try (Twilio unreachable, 429, 5xx); `after` is the wait in
    seconds Twilio asked for with Retry-After, if it did (capped at MAX_RETRY_AFTER)."""

    def __init__(self, message: str, after: float = 0) -> None:
        super().__init__(message)
        self.after = after


# The longest Retry-After honoured: beyond it, the outbox's own delays apply.
MAX_RETRY_AFTER = 3600


def retry_after(client: Any) -> float:
    """The Retry-After (in seconds) of the client's last answer (twilio_rest.RoutedHttpClient
    keeps it), or 0."""
    wait = getattr(getattr(client, "http_client", None), "retry_after", "")
    return min(float(wait), MAX_RETRY_AFTER) if wait.isascii() and wait.isdigit() else 0


def public_url(path: str) -> str:
    base = (getattr(settings, "TWILIO_WEBHOOK_BASE_URL", "") or "").rstrip("/")
    return base + path if base else ""


def call_twilio(row: OutboundRequest) -> tuple[str, dict[str, Any]]:
    """Twilio's SID for what it created, and the resource as it answered."""
    connection = TwilioConnection.objects.filter(team__flows__executions=row.execution_id).first()
    if connection is None:
        raise Permanent("The team has no Twilio connection any more")
    client = None
    try:
        user, password = connection.account_sid, connection.auth_token
        if connection.api_key_sid:
            user, password = connection.api_key_sid, connection.api_key_secret
        client = twilio_rest.client(connection.account_sid, user, password)
        if row.kind in CONVERSATION_SETUPS:
            from .outbox_conversations import resume, start

            url = public_url(row.request["webhook"])
            if not url:
                raise Permanent("TWILIO_WEBHOOK_BASE_URL must be set for a conversation's webhook")
            if row.kind == OutboundKind.RESUME_CONVERSATION:
                return resume(client, row, url)
            return start(client, row, url)
        if row.kind == OutboundKind.REMOVE_WEBHOOK:
            return remove_webhook(client, dict(row.request))
        resource = create(client, row.kind, dict(row.request), row)
    except (TwilioRestException, TwilioServiceException) as exc:
        text = f"Twilio answered {exc.status} (error {exc.code}): {refusal_text(exc)}"
        if exc.status == 429 or exc.status >= 500:
            raise Retryable(text, retry_after(client)) from exc
        if exc.status == 401:  # a rotated auth token, a deleted API key…
            text += f". {twilio_rest.REFUSED_CREDENTIALS}"
        raise Permanent(text) from exc
    except RequestException as exc:  # in a sentence: the exception's text is urllib3's
        raise Retryable(twilio_rest.unreachable(exc)) from exc
    except TwilioException as exc:
        raise Retryable(f"Could not reach Twilio: {exc}") from exc
    except json.JSONDecodeError as exc:  # Twilio's 2xx answer, cut off or not JSON
        logger.exception("outbound request %s: Twilio's answer cannot be read", row.pk)
        raise Permanent(
            "Twilio's answer could not be read (it was not JSON); the request may have been "
            "carried out all the same, so it is not sent again"
        ) from exc
    except (TypeError, ValueError, KeyError) as exc:  # a request the SDK cannot build
        logger.exception("outbound request %s cannot be sent", row.pk)
        raise Permanent(f"Cannot send this request: {exc}") from exc
    fields = {k: v for k, v in vars(resource).items() if not k.startswith("_")}
    return str(resource.sid or ""), json.loads(json.dumps(fields, default=str))


def refusal_text(exc: TwilioRestException | TwilioServiceException) -> str:
    """Twilio's own words: a legacy error's message, or RFC 9457 problem details' title and
    detail (newer APIs answer those; the SDK raises them as TwilioServiceException)."""
    if isinstance(exc, TwilioRestException):
        return exc.msg
    return " ".join(t for t in (exc.title, exc.detail) if t)


def remove_webhook(client: Any, request: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    api = client.conversations.v1
    scope = api.services(request["service_sid"]) if request.get("service_sid") else api
    webhook = request["webhook_sid"]
    try:
        scope.conversations(request["conversation_sid"]).webhooks(webhook).delete()
    except TwilioRestException as exc:
        if exc.status != 404:
            raise
        return webhook, {"deleted": False, "error": "already gone"}
    return webhook, {"deleted": True}


def create(client: Any, kind: str, request: dict[str, Any], row: OutboundRequest) -> Any:
    request.pop("wait_id", None)  # ours: the Send Message the answer goes to
    request.pop("reply_wait_id", None)  # ours: the Send & Wait whose outbound it is
    if kind == OutboundKind.MESSAGE:
        callback = public_url(request.pop("status_callback", ""))
        if callback:  # without a public URL, Twilio cannot report delivery
            request["status_callback"] = callback
        return client.messages.create(**request)
    if kind == OutboundKind.CALL:
        url = public_url(request["url"])
        if not url:
            raise Permanent("TWILIO_WEBHOOK_BASE_URL must be set for Twilio to reach the call")
        request.update(url=url, status_callback=url)
        return client.calls.create(**request)
    if kind in (OutboundKind.TASK, OutboundKind.INTERACTION):
        workspace = getattr(settings, "TWILIO_TASKROUTER_WORKSPACE_SID", "")
        if not workspace:
            raise Permanent("TWILIO_TASKROUTER_WORKSPACE_SID must be set for Send to Flex")
        if kind == OutboundKind.TASK:
            return client.taskrouter.v1.workspaces(workspace).tasks.create(**request)
        request["routing"]["properties"]["workspace_sid"] = workspace
        return client.flex_api.v1.interaction.create(**request)
    if kind == OutboundKind.CONVERSATION_MESSAGE:
        conversations = client.conversations.v1
        service = request.pop("service_sid", "")
        media_url = request.pop("media_url", "")
        if media_url:  # uploaded first: the Conversations API takes no URL
            from .outbox_media import media_sid

            request["media_sid"] = media_sid(client, row, service, media_url)
        if service:
            conversations = conversations.services(service)
        return conversations.conversations(request.pop("conversation_sid")).messages.create(
            **request
        )
    raise Permanent(f"Unknown outbound request kind {kind!r}")
