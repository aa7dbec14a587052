"""What a client frame must be before anything acts on it: small enough, not too frequent,
JSON, and of a documented shape (docs/protocol.schema.json, the same file the docs and the
tests use)."""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from jsonschema import Draft7Validator

from ..flowspec import jsontext

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "protocol.schema.json"


def max_frame_bytes() -> int:
    return int(getattr(settings, "WEBSOCKET_MAX_FRAME_BYTES", 64 * 1024))


def rate() -> tuple[float, int]:
    """(messages per second, burst) allowed per connection."""
    return (
        float(getattr(settings, "WEBSOCKET_RATE_PER_SECOND", 10)),
        int(getattr(settings, "WEBSOCKET_BURST", 30)),
    )


@functools.cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


@functools.cache
def validators() -> dict[str, Draft7Validator]:
    """One validator per client message type, so an error names the field, not the union.
    Each has the definitions it refers to written in place: resolving a `$ref` on every
    frame cost more than the rest of its checks (≈ 100 µs against 40 for a `run.reply`)."""
    definitions = schema()["definitions"]
    out = {}
    for option in definitions["client"]["oneOf"]:
        kind = option["properties"]["type"]["const"]
        out[kind] = Draft7Validator(inlined(option, definitions))
    return out


def inlined(node: Any, definitions: dict[str, Any], within: tuple[str, ...] = ()) -> Any:
    """`node` with each `{"$ref": "#/definitions/NAME"}` replaced by that definition (the
    client messages' definitions do not refer to themselves; one that did would raise)."""
    if isinstance(node, list):
        return [inlined(item, definitions, within) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and len(node) == 1 and ref.startswith("#/definitions/"):
        name = ref.removeprefix("#/definitions/")
        if name in within:
            raise ValueError(f"the protocol's definition {name} refers to itself")
        return inlined(definitions[name], definitions, (*within, name))
    return {key: inlined(value, definitions, within) for key, value in node.items()}


class BadFrame(Exception):
    def __init__(self, code: str, message: str, ref: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.ref = ref


def parse(text: str | None, data: bytes | None) -> dict[str, Any]:
    """The client frame as a dict of a known, valid shape, or BadFrame saying why not."""
    if text is None:
        raise BadFrame("bad_message", "Binary frames are not part of the protocol; send JSON text")
    limit = max_frame_bytes()
    if len(text) > limit or len(text.encode()) > limit:
        raise BadFrame(
            "frame_too_large",
            f"Too large to send: the server reads at most {limit} bytes in one message "
            f"(this one has {len(text.encode())}); send less, e.g. shorter text or parameters",
        )
    try:
        frame = jsontext.loads(text)
    except (ValueError, RecursionError):
        raise BadFrame("bad_message", "The frame is not valid JSON") from None
    if not isinstance(frame, dict):
        raise BadFrame("bad_message", "A frame is a JSON object with a type")
    ref = frame.get("ref") if isinstance(frame.get("ref"), str) else None
    kind = frame.get("type")
    validator = validators().get(kind) if isinstance(kind, str) else None
    if validator is None:
        raise BadFrame("bad_message", f"Unknown message type {str(kind)[:40]!r}", ref)
    error = next(iter(sorted(validator.iter_errors(frame), key=lambda e: e.path)), None)
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "the frame"
        raise BadFrame("bad_message", f"{kind}: {where}: {error_text(error)}", ref)
    return frame


# Errors whose jsonschema message quotes the whole value (a pasted 5,000-character reply):
# said in words instead, with the limit.
TOO_BIG = {
    "maxLength": "is longer than {} characters",
    "maxItems": "has more than {} items",
    "maxProperties": "has more than {} keys",
}


def error_text(error: Any) -> str:
    if error.validator in TOO_BIG:
        return TOO_BIG[error.validator].format(error.validator_value)
    return error.message[:200]


@dataclass
class Bucket:
    """A token bucket: `burst` messages at once, refilled at `per_second`."""

    per_second: float
    burst: int
    tokens: float = field(init=False)
    last: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = float(self.burst)

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.per_second)
        self.last = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
