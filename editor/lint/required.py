"""Required fields left empty: Studio's schema only asks that the key be there, so a blank
From or Request URL saves and publishes, then fails when an execution reaches the widget.
A message with nothing to send (no body, no media, no content template) fails the same way
(editor/engine/widgets/messaging.py's `send`, Studio's "missing message body"), and so does
a Say/Play with nothing to say, play or dial, a Fork Stream without what its action needs,
and an Enqueue Call with neither a queue
name nor a workflow."""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context
from .finding import Finding, Rule
from .fixes import replace_text

EMPTY_REQUIRED = Rule(
    "empty-required",
    "error",
    "A field the widget needs (a Send Message's From, a Make HTTP Request's Request URL…) "
    "is empty: the widget fails when an execution reaches it.",
)
RULES = (EMPTY_REQUIRED,)
SENDING = ("send-message", "send-and-wait-for-reply")


def blank(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


def nothing_to_send(properties: dict) -> bool:
    """No body, no media and no content template: the send leaves by its failure event."""
    template = properties.get("message_type") == "content_template"
    sends_template = template and not blank(properties.get("content_sid"))
    return (
        blank(properties.get("body")) and blank(properties.get("media_url")) and not sends_template
    )


def nothing_to_say(properties: dict) -> bool:
    """A Say/Play with no text, no audio URL and no digits has nothing to play to the caller
    (Twilio refuses an empty <Say>)."""
    return all(blank(properties.get(key)) for key in ("say", "play", "digits"))


def stream_needs(properties: dict) -> tuple[str, str] | None:
    """The Fork Stream field its action needs and lacks, as (property, title): starting a
    WebSocket stream needs the Stream URL, a SIPREC one the connector; stopping a stream
    finds it by its name."""
    action = properties.get("stream_action", "start")
    transport = properties.get("stream_transport_type", "websocket")
    if action == "stop":
        need = ("stream_name", "Stream name")
    elif transport == "siprec":
        need = ("stream_connector", "Stream connector")
    else:
        need = ("stream_url", "Stream URL")
    return need if blank(properties.get(need[0])) else None


def nowhere_to_queue(properties: dict) -> bool:
    """An Enqueue Call needs a queue name or a TaskRouter workflow, either one: with
    neither, <Enqueue> has nothing to put the caller in."""
    return blank(properties.get("queue_name")) and blank(properties.get("workflow_sid"))


def check(ctx: Context) -> Iterator[Finding]:
    for widget in ctx.flow.widgets:
        kind = widget.kind
        if kind is None:
            continue
        if widget.type == "say-play" and nothing_to_say(widget.properties):
            yield EMPTY_REQUIRED.found(
                widget.name,
                "properties.say",
                f"Widget {widget.label}: Say, Play and Digits are all empty, so there is "
                "nothing to play to the caller. Write the text to say (or give an audio URL).",
            )
        stream = stream_needs(widget.properties) if widget.type == "fork-stream" else None
        if stream:
            name, title = stream
            yield EMPTY_REQUIRED.found(
                widget.name,
                f"properties.{name}",
                f"Widget {widget.label}: {title} is empty, but the stream cannot "
                f"{'be stopped' if name == 'stream_name' else 'start'} without it. "
                f"Fill in {title}.",
            )
        if widget.type == "enqueue-call" and nowhere_to_queue(widget.properties):
            yield EMPTY_REQUIRED.found(
                widget.name,
                "properties.queue_name",
                f"Widget {widget.label}: neither Queue name nor TaskRouter workflow is set, so "
                "the caller cannot be put in a queue and the widget fails. Fill in one of them.",
            )
        if widget.type in SENDING and nothing_to_send(widget.properties):
            yield EMPTY_REQUIRED.found(
                widget.name,
                "properties.body",
                f"Widget {widget.label}: Message body is empty and there is no Media URL or "
                "content template, so the message cannot be sent and the widget fails. "
                "Write the message body.",
            )
        for prop in kind.props:
            value = widget.properties.get(prop.name)
            # A field needed only for some choices (a Connect Call To's SIP endpoint) is not
            # in the widget until someone types in it: switching the choice leaves it out.
            if value is None and prop.required_when:
                value = ""
            needed = prop.required_for(widget.properties, kind.props)
            if not needed or not isinstance(value, str) or value.strip():
                continue
            field = f"properties.{prop.name}"
            default = prop.default if isinstance(prop.default, str) else ""
            example = f", for example {default}" if default.strip() else ""
            fix = (
                replace_text(widget, field, default, f"Use {default}") if default.strip() else None
            )
            yield EMPTY_REQUIRED.found(
                widget.name,
                field,
                f"Widget {widget.label}: {prop.title} is empty, but the widget needs it. "
                f"Fill in {prop.title}{example}.",
                fix,
            )
