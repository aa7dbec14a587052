"""What each outbound effect asks of Twilio: the SDK's keyword arguments for a message, a
Conversations message, a call, a TaskRouter task, a Flex Interaction or a new conversation
(services/outbox.py writes them; docs/channels.md lists them). URLs back to this server
are stored as paths; the sender adds TWILIO_WEBHOOK_BASE_URL."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from ..engine.widgets.make_outgoing_call_v2 import DETECTION_LIMITS
from ..engine.widgets.messaging import is_messaging_service
from ..models import Execution, OutboundKind


def callback_path(execution: Execution, name: str, query: str = "") -> str:
    flow = execution.flow
    path = reverse(name, args=[flow.team.account_sid, flow.sid, execution.sid])
    return f"{path}?{query}" if query else path


def request_for(execution: Execution, effect: dict[str, Any]) -> tuple[str, str, dict] | None:
    """(widget, kind, SDK keyword arguments) for an effect Twilio must carry out, or None."""
    widget = str(effect.get("widget", ""))
    conversation = conversation_of(execution)
    if effect.get("type") == "ended":
        return webhook_removal(execution, conversation)
    if effect.get("type") == "message":
        if conversation is not None:
            posted = conversation_message(conversation, effect)
            return widget, OutboundKind.CONVERSATION_MESSAGE, answering(execution, widget, posted)
        return (
            widget,
            OutboundKind.MESSAGE,
            answering(execution, widget, message(execution, effect)),
        )
    verb = effect.get("verb") if effect.get("type") == "action" else None
    if verb == "call":
        return widget, OutboundKind.CALL, call(execution, effect)
    if verb == "start_conversation":
        return widget, OutboundKind.START_CONVERSATION, start_conversation(execution, effect)
    if verb == "resume_conversation":
        return widget, OutboundKind.RESUME_CONVERSATION, resume_conversation(execution, effect)
    if verb == "create_task" and conversation is not None:
        made = interaction(execution, effect)
        return widget, OutboundKind.INTERACTION, answering(execution, widget, made)
    if verb == "create_task":
        task = {
            "workflow_sid": effect.get("workflow", ""),
            "attributes": json.dumps(effect.get("attributes") or {}),
            "priority": effect.get("priority", 0),
            "timeout": effect.get("timeout", 3600),
        }
        if effect.get("channel"):
            task["task_channel"] = effect["channel"]
        return widget, OutboundKind.TASK, answering(execution, widget, task)
    return None


def answering(execution: Execution, widget: str, request: dict[str, Any]) -> dict[str, Any]:
    """A Send Message (or a Send to Flex outside a call) that waits for Twilio's answer
    (engine/widgets/send_message.py, send_to_flex.py): the wait the sender answers with
    `sent` or `failed` (`callComplete` or `failedToEnqueue`); a Send & Wait For Reply: the wait
    whose `outbound` the sender replaces with Twilio's resource (both popped before the SDK
    call)."""
    wait = execution.wait or {}
    if wait.get("widget") != widget or not wait.get("id"):
        return request
    if wait.get("kind") == "callback":
        request["wait_id"] = wait["id"]
    elif wait.get("kind") == "reply":  # Send & Wait: its `outbound` becomes Twilio's
        request["reply_wait_id"] = wait["id"]
    return request


def message(execution: Execution, effect: dict[str, Any]) -> dict[str, Any]:
    sender = str(effect.get("from") or "")
    request: dict[str, Any] = {"to": effect.get("to", "")}
    if is_messaging_service(sender):
        request["messaging_service_sid"] = sender
    else:
        request["from_"] = sender
    if effect.get("body"):
        request["body"] = effect["body"]
    if effect.get("media_url"):
        request["media_url"] = [effect["media_url"]]
    request.update(content_template(effect))
    request["status_callback"] = callback_path(execution, "message_status")
    return request


def conversation_of(execution: Execution) -> tuple[str, str] | None:
    """(ConversationSid, its service's SID or "") of an execution whose channel is a
    conversation: one an onMessageAdded started, or one Start Conversation created."""
    if execution.trigger == "conversation":
        trigger = execution.context.get("trigger", {}).get("conversation") or {}
        return execution.flow_channel_address, str(trigger.get("ChatServiceSid") or "")
    channel = execution.context.get("flow", {}).get("channel") or {}
    sid = str(channel.get("sid") or "")
    return (sid, str(channel.get("service_sid") or "")) if sid.startswith("CH") else None


def webhook_removal(
    execution: Execution, conversation: tuple[str, str] | None
) -> tuple[str, str, dict] | None:
    """The end of an execution that Start Conversation moved into a conversation: Studio
    removes the webhook it attached there, so later messages no longer reach the flow."""
    channel = execution.context.get("flow", {}).get("channel") or {}
    webhook = str(channel.get("webhook_sid") or "")
    if conversation is None or execution.trigger == "conversation" or not webhook:
        return None
    request = {"service_sid": conversation[1], "conversation_sid": conversation[0]}
    return "", OutboundKind.REMOVE_WEBHOOK, {**request, "webhook_sid": webhook}


def conversation_message(conversation: tuple[str, str], effect: dict[str, Any]) -> dict[str, Any]:
    request = {
        "conversation_sid": conversation[0],
        "service_sid": conversation[1],
        "author": str(effect.get("from") or ""),
        "body": str(effect.get("body") or ""),
    }
    if effect.get("attributes"):
        request["attributes"] = effect["attributes"]
    if effect.get("media_url"):
        request["media_url"] = effect["media_url"]  # uploaded by the sender (outbox_media)
    request.update(content_template(effect))  # a WhatsApp template, in a conversation too
    return request


def content_template(effect: dict[str, Any]) -> dict[str, Any]:
    """`ContentSid` and `ContentVariables` (a JSON object) of a content-template message;
    the Messages and the Conversations Messages APIs take both."""
    if not effect.get("content_sid"):
        return {}
    pairs = effect.get("content_variables") or {}
    variables = json.dumps(pairs if isinstance(pairs, dict) else {})
    return {"content_sid": effect["content_sid"], "content_variables": variables}


def start_conversation(execution: Execution, effect: dict[str, Any]) -> dict[str, Any]:
    """Start Conversation: the conversation, then each participant, then a webhook that
    brings its messages (and delivery receipts) to the flow's Webhook URL; `wait_id` is the
    wait the outcome answers (services/outbox_conversations.py)."""
    flow = execution.flow
    wait = execution.wait or {}
    conversation = {"friendly_name": effect.get("friendly_name") or None}
    # Deterministic, so that a retry after a sender killed between Twilio's answer and
    # storing it is refused as a duplicate (services/outbox_conversations.py, create_once).
    conversation["unique_name"] = f"studio-{execution.sid}-{effect.get('widget', '')}"
    conversation["attributes"] = effect.get("attributes") or "{}"
    if effect.get("messaging_service_sid"):
        conversation["messaging_service_sid"] = effect["messaging_service_sid"]
    timers = effect.get("timers") or {}
    for name in ("inactive", "closed"):
        if timers.get(name):
            conversation[f"timers_{name}"] = timers[name]
    return {
        "service_sid": str(effect.get("service_sid") or ""),
        "conversation": {k: v for k, v in conversation.items() if v is not None},
        "participants": list(effect.get("participants") or []),
        "webhook": reverse("flow_webhook", args=[flow.team.account_sid, flow.sid]),
        "wait_id": wait.get("id", 0),
    }


def resume_conversation(execution: Execution, effect: dict[str, Any]) -> dict[str, Any]:
    """Resume Conversation: fetch the conversation, list its participants, attach the
    webhook (with the widget's filters, onMessageAdded always among them)."""
    flow = execution.flow
    filters = [str(f) for f in effect.get("webhook_filters") or []]
    return {
        "service_sid": str(effect.get("service_sid") or ""),
        "conversation_sid": str(effect.get("sid") or ""),
        "filters": filters,
        "webhook": reverse("flow_webhook", args=[flow.team.account_sid, flow.sid]),
        "wait_id": (execution.wait or {}).get("id", 0),
    }


# Flex's channel type for a conversation's Source (docs/channels.md).
CHANNEL_TYPES = {"sms": "sms", "whatsapp": "whatsapp", "sdk": "chat", "api": "chat"}


def interaction(execution: Execution, effect: dict[str, Any]) -> dict[str, Any]:
    """Send to Flex in a conversation: a Flex Interaction bound to it (the workspace is
    added when sent, from TWILIO_TASKROUTER_WORKSPACE_SID)."""
    trigger = execution.context.get("trigger", {}).get("conversation") or {}
    kind = CHANNEL_TYPES.get(str(trigger.get("Source") or "").lower(), "sms")
    properties = {"media_channel_sid": execution.flow_channel_address}
    routing = {
        "workflow_sid": effect.get("workflow", ""),
        **task_channel(str(effect.get("channel") or "")),
        "attributes": effect.get("attributes") or {},
        "priority": effect.get("priority", 0),
        "timeout": effect.get("timeout", 3600),
    }
    channel = {"type": kind, "initiated_by": "customer", "properties": properties}
    return {"channel": channel, "routing": {"properties": routing}}


def task_channel(channel: str) -> dict[str, str]:
    """The widget's Task Channel as an Interaction's routing names it: Studio stores its SID
    (`TC…`, as every exported flow has it), which goes as `task_channel_sid`; a unique name
    (`chat`, `sms`…) as `task_channel_unique_name`, `chat` when there is none."""
    if channel.startswith("TC") and len(channel) == 34:
        return {"task_channel_sid": channel}
    return {"task_channel_unique_name": channel or "chat"}


def call(execution: Execution, effect: dict[str, Any]) -> dict[str, Any]:
    """The call's TwiML comes from the execution's callback for the wait it starts, which
    also hears the call's final status (busy, no-answer…)."""
    wait = execution.wait or {}
    url = callback_path(execution, "execution_callback", f"wait={wait.get('id', 0)}")
    request = {"to": effect.get("to", ""), "from_": effect.get("from", ""), "url": url}
    request.update(status_callback=url, timeout=effect.get("timeout", 60))
    if effect.get("record"):
        request["record"] = True
        request.update(given(effect, "recording_channels", "recording_status_callback", "trim"))
    if effect.get("detect_answering_machine"):
        request["machine_detection"] = effect.get("machine_detection") or "Enable"
        request.update(given(effect, *DETECTION_LIMITS))
    request.update(given(effect, "send_digits", "sip_auth_username", "sip_auth_password"))
    return request


def given(effect: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The effect's values for these keys, leaving out the empty ones (Twilio's defaults)."""
    return {key: effect[key] for key in keys if effect.get(key) not in (None, "")}
