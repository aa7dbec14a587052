"""Twilio-style SIDs: a two-letter prefix and 32 lowercase hex digits."""

from __future__ import annotations

import re
import uuid

SID_PATTERN = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")


def new_sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def path_regex(prefix: str) -> str:
    """The shape a SID must have in a URL path (either case of hex, as Twilio accepts): the
    URL patterns match it, and the OpenAPI schema states it for each path parameter."""
    return prefix + "[0-9a-fA-F]{32}"


def is_sid(value: str, prefix: str) -> bool:
    return bool(SID_PATTERN.match(value)) and value.startswith(prefix)
