"""Reading untrusted JSON text with limits on size and nesting depth."""

from __future__ import annotations

import json
from typing import Any

from .problems import DocumentError, Problem

MAX_DEPTH = 64
MAX_BYTES = 1024 * 1024


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


def load_json(text: str | bytes, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text or raise DocumentError with a readable reason."""
    size = len(text.encode() if isinstance(text, str) else text)
    if size > max_bytes:
        raise DocumentError(
            [Problem(f"is {size} bytes; the limit is {max_bytes} bytes", "#", blocking=True)]
        )
    try:
        value = json.loads(text)
    except RecursionError:
        value = None
        deep = True
    except (ValueError, UnicodeDecodeError) as exc:
        raise DocumentError([Problem(f"is not valid JSON: {exc}", "#", blocking=True)]) from None
    else:
        deep = isinstance(value, (dict, list)) and too_deep(value, max_depth)
    if deep:
        raise DocumentError([Problem(f"nests deeper than {max_depth} levels", "#", blocking=True)])
    return value
