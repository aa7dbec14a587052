"""One readable line per thing an execution did, for `manage.py run_flow`'s transcript."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from editor.models import ExecutionStep

GATHER = "gather-input-on-call"


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


def step_line(step: ExecutionStep) -> str:
    return f"{step.transitioned_from} --{step.name}--> {step.transitioned_to}"


def transcript(steps: Iterable[ExecutionStep], effects: list[dict[str, Any]]) -> list[str]:
    """Steps and effects in the order they happened.

    A widget's effects come after the step into it and before the step out of it, so each
    step out of a widget is preceded by the effects that widget emitted; what is left (the
    waiting widget's action, the end) comes last.
    """
    pending = deque(effects)
    lines = []
    for step in steps:
        while pending and pending[0].get("widget") == step.transitioned_from:
            lines.append(effect_line(pending.popleft()))
        lines.append(step_line(step))
    lines.extend(effect_line(effect) for effect in pending)
    return lines


def waiting_for(wait: dict[str, Any] | None) -> str:
    if wait is None:
        return "nothing"
    if wait.get("kind") == "reply":
        return "a reply"
    if wait.get("type") == GATHER:
        return "call input"
    return f"a {wait.get('type')} callback"
