"""One readable line per thing an execution did, for `manage.py run_flow`'s transcript."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

GATHER = "gather-input-on-call"

# What the shell's channel reports for a widget whose callback must say how it went: the
# way forward Studio's canvas draws first (the call answered, the payment taken).
PLAIN_OUTCOMES: dict[str, dict[str, str]] = {
    "make-outgoing-call-v2": {"CallStatus": "in-progress"},
    "make-outgoing-call-v1": {"CallStatus": "in-progress"},
    "capture-payments": {"Result": "success"},
    "connect-virtual-agent-v2": {"VirtualAgentStatus": "completed"},
}
# Widgets whose callback is answered with nothing to add (editor/engine/widgets/).
PLAIN_COMPLETIONS = frozenset(
    {
        "say-play",
        "connect-call-to",
        "connect-virtual-agent",
        "enqueue-call",
        "record-voicemail",
        "run-conversation-relay",
        "send-to-auto-pilot",
        "send-to-flex",
    }
)


def prompt_text(action: dict[str, Any]) -> str:
    parts = []
    if action.get("say"):
        parts.append(f'say "{action["say"]}"')
    if action.get("play"):
        parts.append(f"play {action['play']}")
    if action.get("digits"):
        parts.append(f"play digits {action['digits']}")
    return ", ".join(parts) or "silence"


def gather_line(action: dict[str, Any]) -> str:
    return f"gather: {prompt_text(action)} (timeout {action.get('timeout')} s)"


ACTION_LINES: dict[str, Callable[[dict[str, Any]], str]] = {
    "say_play": lambda a: prompt_text(a),
    "gather": gather_line,
    "dial": lambda a: f"dial: {', '.join(a.get('to') or [])} (caller ID {a.get('caller_id')})",
    "record": lambda a: f"record voicemail: up to {a.get('max_length')} s",
    "call": lambda a: f"call: {a.get('to')} from {a.get('from')}",
    "enqueue": lambda a: f"enqueue: {a.get('queue_name') or a.get('workflow_sid') or '-'}",
    "redirect": lambda a: f"redirect: {a.get('method')} {a.get('url')}",
    "stream": lambda a: f"stream {a.get('stream_action')}: {a.get('url')}",
    "record_call": lambda a: f"record call: {'start' if a.get('start') else 'stop'}",
}


def message_line(effect: dict[str, Any]) -> str:
    line = f"→ {effect.get('to')}: {effect.get('body') or ''}"
    if effect.get("media_url"):
        line += f" [media {effect['media_url']}]"
    if effect.get("content_sid"):
        line += f" [content {effect['content_sid']}]"
    return line


def effect_line(effect: dict[str, Any]) -> str:
    kind = effect.get("type")
    if kind == "message":
        return message_line(effect)
    if kind == "ended":
        detail = effect.get("detail")
        return f"ended: {effect.get('reason')}" + (f" ({detail})" if detail else "")
    verb = str(effect.get("verb", kind))
    describe = ACTION_LINES.get(verb)
    return describe(effect) if describe else f"{verb.replace('_', ' ')}: {effect.get('widget')}"


def transcript(entries: Iterable[dict[str, Any]]) -> list[str]:
    """The steps and effects of one verb in the order they happened: the transcript entries
    it wrote (editor/services/transcripts.py, `result_entries`). The input that led to them
    is the command's own line, so input entries are left out.

    A widget can be entered more than once in one verb (a split sending a Gather back to
    itself), so the order cannot be rebuilt from widget names: the entries keep it.
    """
    lines = []
    for entry in entries:
        kind = entry.get("kind")
        if kind == "step":
            lines.append(f"{entry['from']} --{entry['event']}--> {entry['to']}")
        elif kind not in ("input", "debug"):
            effect = {k: v for k, v in entry.items() if k not in ("kind", "seq", "at")}
            lines.append(effect_line({"type": kind, **effect}))
    return lines


def plain_outcome(wait: dict[str, Any]) -> dict[str, str]:
    """The callback parameters of a widget's usual way forward; a widget the engine does not
    know (an external one) is told its first event by name."""
    kind = wait.get("type", "")
    if kind in PLAIN_OUTCOMES:
        return dict(PLAIN_OUTCOMES[kind])
    events = wait.get("events") or []
    if kind in PLAIN_COMPLETIONS or not events:
        return {}
    return {"event": events[0]}


def waiting_for(wait: dict[str, Any] | None) -> str:
    if wait is None:
        return "nothing"
    if wait.get("kind") == "reply":
        return "a reply"
    if wait.get("type") == GATHER:
        return "call input"
    return f"a {wait.get('type')} callback"
