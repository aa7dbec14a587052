"""Reading untrusted JSON text with limits on size, nesting depth and encoding."""

from __future__ import annotations

import json
import re
from typing import Any

from .problems import DocumentError, Problem

MAX_DEPTH = 64
MAX_BYTES = 1024 * 1024
# A \uD800-\uDFFF escape may decode to a lone surrogate, which no database can store.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def refuse(message: str) -> DocumentError:
    return DocumentError([Problem(message, "#", blocking=True)])


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when containers nest deeper than `limit`; iterative, so it cannot overflow."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def storable_text(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True


def load_json(text: str | bytes, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text or raise DocumentError with a readable reason."""
    try:
        data = text.encode() if isinstance(text, str) else text
    except UnicodeEncodeError:
        raise refuse("contains an unpaired UTF-16 surrogate") from None
    if len(data) > max_bytes:
        raise refuse(f"is {len(data)} bytes; the limit is {max_bytes} bytes")
    try:
        value = json.loads(data)
    except RecursionError:
        raise refuse(f"nests deeper than {max_depth} levels") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise refuse(f"is not valid JSON: {exc}") from None
    if isinstance(value, (dict, list)) and too_deep(value, max_depth):
        raise refuse(f"nests deeper than {max_depth} levels")
    if SURROGATE_ESCAPE.search(data) and not storable_text(value):
        raise refuse("contains an unpaired UTF-16 surrogate")
    return value
