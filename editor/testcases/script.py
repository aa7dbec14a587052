"""A test case's trigger and script inputs as the engine's payloads and events, shaped as
Twilio's webhooks and callbacks deliver them (editor/services/payloads.py)."""

from __future__ import annotations

from typing import Any

from ..services.payloads import call_payload, conversation_payload, message_payload

DEFAULT_CONTACT = "+15551230001"
DEFAULT_FLOW_ADDRESS = "+15559870002"


def trigger_payload(trigger: dict[str, Any], kind: str, account: str) -> dict[str, Any]:
    contact = trigger.get("from") or DEFAULT_CONTACT
    address = trigger.get("to") or DEFAULT_FLOW_ADDRESS
    body = trigger.get("body", "Hi")
    media = trigger.get("mediaUrl", "")
    if kind == "message":
        channel = trigger.get("channel") or (
            "whatsapp" if contact.startswith("whatsapp:") else "sms"
        )
        payload = message_payload(account, contact, address, body, media, channel)
    elif kind == "conversation":
        payload = conversation_payload(account, author=contact, body=body, media_url=media)
    elif kind == "call":
        payload = call_payload(account, contact, address)
    elif kind == "parent":
        payload = {
            "parameters": trigger.get("parameters") or {},
            "execution_sid": "FN" + "0" * 32,
            "flow_sid": "FW" + "0" * 32,
            "trigger_type": "message",
        }
    else:
        payload = {}
    return {**payload, **(trigger.get("payload") or {})}


def describe(item: dict[str, Any]) -> str:
    key = next(iter(item))
    value = item[key]
    if key == "message" and isinstance(value, dict):
        value = value.get("body", "")
    return f"{key} {value!r}" if value is not True else key


class ScriptError(Exception):
    pass


def event_for(
    item: dict[str, Any], state: dict[str, Any], trigger: dict, account: str
) -> dict[str, Any]:
    """The engine event for one script input, given what the execution waits on."""
    wait = state.get("wait") or {}
    context = state.get("context", {})
    contact = str(context["contact"]["channel"]["address"])
    address = str(context["flow"]["channel"]["address"])
    call_sid = str((context.get("trigger", {}).get("call") or {}).get("CallSid", ""))
    if "message" in item:
        if wait.get("kind") != "reply":
            raise ScriptError("a message")
        message = item["message"]
        body = message if isinstance(message, str) else message.get("body", "")
        media = "" if isinstance(message, str) else message.get("mediaUrl", "")
        previous = context.get("trigger", {}).get("conversation")
        if previous is not None:
            payload = conversation_payload(
                account,
                author=str(previous.get("Author") or contact),
                body=body,
                media_url=media,
                previous=previous,
            )
        else:
            channel = "whatsapp" if contact.startswith("whatsapp:") else "sms"
            channel = trigger.get("channel") or channel
            payload = message_payload(account, contact, address, body, media, channel)
        return {"type": "reply", "message": payload}
    if "digits" in item or "speech" in item:
        if wait.get("type") != "gather-input-on-call":
            raise ScriptError("call input (digits or speech)")
        params: dict[str, Any] = {"CallSid": call_sid, "CallStatus": "in-progress"}
        if "digits" in item:
            params["Digits"] = item["digits"]
        else:
            params.update(SpeechResult=item["speech"], Confidence=str(item.get("confidence", 0.9)))
        return {"type": "callback", "params": params}
    if "timeout" in item:
        if wait.get("type") == "gather-input-on-call":
            # Twilio posts the Gather's action with no input when its timer runs out.
            return {"type": "callback", "params": {"CallSid": call_sid}}
        if not wait.get("timeout_at"):
            raise ScriptError("a timeout")
        return {"type": "timeout", "wait_id": wait["id"]}
    if "deliveryFailure" in item:
        return {"type": "event", "event": "deliveryFailure", "params": {}}
    if "hangup" in item:
        return {"type": "hangup", "params": {"CallSid": call_sid, "CallStatus": "completed"}}
    return {"type": "event", "event": item["event"], "params": item.get("params") or {}}


def waiting_for(state: dict[str, Any]) -> str:
    wait = state.get("wait")
    if not wait:
        return "the execution has ended"
    kind = {"reply": "a reply", "callback": "its callback", "return": "its subflow"}
    events = ", ".join(e for e in wait.get("events") or [] if e) or "none"
    what = kind.get(wait.get("kind"), wait.get("kind"))
    return f"{wait['widget']} waits for {what} (its events: {events})"
