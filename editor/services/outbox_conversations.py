"""Start Conversation (and Resume Conversation) through the Conversations API, sent by the
outbox (services/outbox.py).

One outbox request is several REST calls: the conversation (in the widget's service), each
participant (a chat identity, or an SMS/WhatsApp address with the proxy address it is
reached from), then a conversation-scoped webhook to the flow's Webhook URL for
`onMessageAdded` and `onDeliveryUpdated`. What each call created is stored on the row at
once, so a retry after a failure (or a killed worker) goes on from there instead of
creating a second conversation. A worker killed between Twilio's answer and that write
sends that one call again: the conversation has a deterministic UniqueName (Twilio refuses
a second with 50353, and `create_once` fetches the first); a participant or webhook made in
that window is looked for in Twilio's lists by the retry and not made again.

Send to Flex in a conversation an inbound message started: once Twilio made the Flex
Interaction, `hand_off` writes the removal of the flow's webhook there (a request of its
own), as Studio removes its webhook so that Flex's takes over.

Once all are made the waiting widget leaves by `created` with the conversation (its
participants inside it) and `webhook_sid`; a request that failed for good makes it leave by
`failed` with the error (services/outbox_failures.py). Resume Conversation fetches the
conversation and lists its participants instead of creating them, then attaches the same
webhook, and leaves by `resumed`.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from django.db import transaction
from twilio.base.exceptions import TwilioRestException

from ..models import Execution, OutboundKind, OutboundRequest
from ..models.executions import ExecutionStatus
from .executions import ExecutionError, deliver_event

# What Studio's conversation webhook listens to: messages, and delivery receipts (a Send &
# Wait whose message was not delivered leaves by deliveryFailure).
FILTERS = ["onMessageAdded", "onDeliveryUpdated"]
# Participants listed by Resume Conversation (a conversation has at most 1,000; the first
# hundred are kept in the context).
MAX_PARTICIPANTS = 100
# Twilio's "Conversation with provided unique name already exists" (HTTP 409).
ALREADY_EXISTS = 50353


def fields_of(resource: Any) -> dict[str, Any]:
    """An SDK resource as JSON: its public attributes."""
    found = {k: v for k, v in vars(resource).items() if not k.startswith("_")}
    return json.loads(json.dumps(found, default=str))


def start(client: Any, row: OutboundRequest, webhook_url: str) -> tuple[str, dict[str, Any]]:
    """Create what is not created yet; the conversation's SID and everything created."""
    request = row.request
    progress: dict[str, Any] = dict(row.response or {})
    api = client.conversations.v1
    scope = api.services(request["service_sid"]) if request.get("service_sid") else api

    def keep(**made: Any) -> None:
        progress.update(made)
        OutboundRequest.objects.filter(pk=row.pk).update(response=progress)

    if not progress.get("conversation"):
        keep(conversation=fields_of(create_once(scope, request["conversation"])))
    sid = progress["conversation"]["sid"]
    participants = list(progress.get("participants") or [])
    missing = request["participants"][len(participants) :]
    # A retry (a sender killed after Twilio's answer, before storing it) first looks for
    # what Twilio made: a participant asked for twice is refused, a webhook made twice.
    retry = row.attempts > 1
    listed = scope.conversations(sid).participants.list() if missing and retry else []
    earlier = [fields_of(p) for p in listed]
    for wanted in missing:
        made = next((p for p in earlier if is_participant(p, wanted)), None)
        if made is None:
            arguments = participant_arguments(wanted)
            made = fields_of(scope.conversations(sid).participants.create(**arguments))
        participants.append(made)
        keep(participants=participants)
    if not progress.get("webhook"):
        keep(webhook=attach_webhook(scope.conversations(sid), webhook_url, FILTERS, retry))
    return sid, progress


def is_participant(made: dict[str, Any], wanted: dict[str, str]) -> bool:
    """Whether a participant Twilio lists is the one `wanted` asks for."""
    if wanted.get("identity"):
        return made.get("identity") == wanted["identity"]
    binding = made.get("messaging_binding") or {}
    return binding.get("address") == wanted.get("messaging_binding_address")


def attach_webhook(conversation: Any, url: str, filters: list[str], retry: bool) -> dict:
    """The conversation's webhook to the flow's Webhook URL: on a retry, the one Twilio
    made before the sender was killed, if any (a second would outlive the execution, whose
    end removes the stored one only, and bring the conversation's messages on)."""
    if retry:
        for hook in conversation.webhooks.list():
            if (hook.configuration or {}).get("url") == url:
                return fields_of(hook)
    hook = conversation.webhooks.create(
        target="webhook",
        configuration_url=url,
        configuration_method="POST",
        configuration_filters=filters,
    )
    return fields_of(hook)


def create_once(scope: Any, arguments: dict[str, Any]) -> Any:
    """The conversation, created; or, when a sender killed after Twilio's answer and before
    storing it created it already, the one with the request's unique name (Twilio refuses a
    second with 409, error 50353) fetched instead."""
    try:
        return scope.conversations.create(**arguments)
    except TwilioRestException as exc:
        unique_name = arguments.get("unique_name")
        if exc.status != 409 or exc.code != ALREADY_EXISTS or not unique_name:
            raise
    return scope.conversations(unique_name).fetch()


def hand_off(row: OutboundRequest) -> OutboundRequest | None:
    """Send to Flex made a Flex Interaction in a conversation that an inbound message
    started: Studio removes the flow's webhook there, so that Flex's takes over. The
    removal is an outbox request of its own, written once (a sender killed after writing it
    finds it on its second pass)."""
    execution = Execution.objects.filter(pk=row.execution_id).first()
    if execution is None or execution.trigger != "conversation":
        return None
    trigger = execution.context.get("trigger", {}).get("conversation") or {}
    webhook = str(trigger.get("WebhookSid") or "")
    if not webhook.startswith("WH"):
        return None  # a delivery that did not name its webhook: nothing to remove
    request = {
        "service_sid": str(trigger.get("ChatServiceSid") or ""),
        "conversation_sid": execution.flow_channel_address,
        "webhook_sid": webhook,
    }
    from .outbox import schedule

    with transaction.atomic():
        Execution.objects.select_for_update().filter(pk=execution.pk).first()
        made = OutboundRequest.objects.filter(execution=execution, kind=OutboundKind.REMOVE_WEBHOOK)
        if any(r.get("webhook_sid") == webhook for r in made.values_list("request", flat=True)):
            return None
        removal = OutboundRequest.objects.create(
            execution=execution,
            widget=row.widget,
            kind=OutboundKind.REMOVE_WEBHOOK,
            request=request,
        )
        schedule(removal.pk, removal.next_attempt_at)
    return removal


def resume(client: Any, row: OutboundRequest, webhook_url: str) -> tuple[str, dict[str, Any]]:
    """Resume Conversation: the conversation and its participants as they are, and a new
    webhook (the widget's filters, or FILTERS; onMessageAdded always)."""
    request = row.request
    progress: dict[str, Any] = dict(row.response or {})
    api = client.conversations.v1
    scope = api.services(request["service_sid"]) if request.get("service_sid") else api
    sid = request["conversation_sid"]

    def keep(**made: Any) -> None:
        progress.update(made)
        OutboundRequest.objects.filter(pk=row.pk).update(response=progress)

    if not progress.get("conversation"):
        conversation = scope.conversations(sid).fetch()
        listed = scope.conversations(sid).participants.list(limit=MAX_PARTICIPANTS)
        keep(conversation=fields_of(conversation), participants=[fields_of(p) for p in listed])
    if not progress.get("webhook"):
        filters = list(request.get("filters") or FILTERS)
        if "onMessageAdded" not in filters:
            filters.insert(0, "onMessageAdded")
        retry = row.attempts > 1
        keep(webhook=attach_webhook(scope.conversations(sid), webhook_url, filters, retry))
    return sid, progress


def participant_arguments(wanted: dict[str, str]) -> dict[str, str]:
    if wanted.get("identity"):
        return {"identity": wanted["identity"]}
    arguments = {"messaging_binding_address": wanted.get("messaging_binding_address", "")}
    if wanted.get("messaging_binding_proxy_address"):
        arguments["messaging_binding_proxy_address"] = wanted["messaging_binding_proxy_address"]
    return arguments


def outputs(row: OutboundRequest) -> dict[str, Any]:
    """widgets.NAME after `created`: the conversation with its participants, and the
    webhook's SID (spec: conversation.*, conversation.participants[N].*, webhook_sid)."""
    made = row.response or {}
    conversation = dict(made.get("conversation") or {})
    conversation["service_sid"] = conversation.get("chat_service_sid") or row.request.get(
        "service_sid", ""
    )
    conversation["participants"] = list(made.get("participants") or [])
    webhook = made.get("webhook") or {}
    return {
        "conversation": conversation,
        "webhook_sid": webhook.get("sid", ""),
        "close_channel_on_execution_end": False,
    }


def answer(row: OutboundRequest, event: str, params: dict[str, Any]) -> bool:
    """The waiting Start Conversation leaves by `event` (once: the wait is named)."""
    execution = (
        Execution.objects.select_related("flow__team")
        .filter(pk=row.execution_id, status=ExecutionStatus.ACTIVE)
        .first()
    )
    wait = execution.wait if execution is not None else None
    if not wait or wait.get("id") != row.request.get("wait_id") or wait.get("widget") != row.widget:
        return False
    callback = {"type": "callback", "params": {**params, "event": event}, "wait_id": wait["id"]}
    with contextlib.suppress(ExecutionError):
        return deliver_event(execution, callback, source="worker").handled
    return False


def created(row: OutboundRequest) -> bool:
    """Twilio made (or found) the conversation: `created`, or Resume's `resumed`."""
    event = "resumed" if row.kind == OutboundKind.RESUME_CONVERSATION else "created"
    return answer(row, event, outputs(row))


def failed(row: OutboundRequest, error: str) -> bool:
    return answer(row, "failed", {"error": error})
