"""The prompt shared by Say/Play and Gather: what to say or play, and how."""

from __future__ import annotations

from typing import Any

from .base import Widget, whole


def prompt(widget: Widget, run: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("say", "play", "digits"):
        value = widget.text(run, key)
        if value:
            out[key] = value
    out["voice"] = widget.text(run, "voice")
    out["language"] = widget.text(run, "language")
    out["loop"] = whole(widget.number("loop"))
    return out
