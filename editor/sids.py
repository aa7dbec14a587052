"""Twilio-style SIDs: a two-letter prefix and 32 lowercase hex digits."""

from __future__ import annotations

import re
import uuid

SID_PATTERN = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")


def new_sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def is_sid(value: str, prefix: str) -> bool:
    return bool(SID_PATTERN.match(value)) and value.startswith(prefix)
