"""Reading untrusted JSON text with limits on size, nesting depth and encoding.

Everything the project stores is JSON as RFC 8259 defines it. Python's json module also
reads `NaN`, `Infinity` and `-Infinity`, and turns a literal too large for a float
(`1e999`) into infinity; none of those can be written back as JSON, so a stored one breaks
every later read of the row. `loads` refuses them, and every reader of untrusted text
(`load_json`, the API's parameters and bodies, the engine's HTTP responses) goes through it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any, NoReturn

from .problems import DocumentError, Problem, path

MAX_DEPTH = 64
MAX_BYTES = 1024 * 1024
# A \uD800-\uDFFF escape may decode to a lone surrogate, which no database can store.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
SURROGATE_ESCAPE_BYTES = re.compile(SURROGATE_ESCAPE.pattern.encode())
SURROGATE = re.compile("[\ud800-\udfff]")
CHECKING_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False)


class NonFiniteNumber(ValueError):
    """NaN, Infinity or a number too large for a double: not a JSON number."""

    def __init__(self, literal: str) -> None:
        shown = literal if len(literal) <= 24 else literal[:21] + "..."
        super().__init__(f"contains {shown}: JSON numbers are finite (no NaN or Infinity)")


class UnpairedSurrogate(ValueError):
    def __init__(self) -> None:
        super().__init__("contains an unpaired UTF-16 surrogate")


def refuse_constant(literal: str) -> NoReturn:
    raise NonFiniteNumber(literal)


def finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise NonFiniteNumber(literal)
    return value


def loads(text: str | bytes) -> Any:
    """json.loads for JSON only: no NaN, no Infinity, no overflowing numbers, no lone
    surrogates. Raises ValueError (NonFiniteNumber, UnpairedSurrogate) or RecursionError."""
    value = json.loads(text, parse_float=finite_float, parse_constant=refuse_constant)
    if isinstance(text, str):
        suspect = SURROGATE.search(text) or SURROGATE_ESCAPE.search(text)
    else:
        suspect = SURROGATE_ESCAPE_BYTES.search(text)
    if suspect and any(isinstance(s, str) and SURROGATE.search(s) for _, s in leaves(value)):
        raise UnpairedSurrogate()
    return value


def dumps(value: Any, **options: Any) -> str:
    """json.dumps that refuses to write what `loads` would refuse to read."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, **options)


def refuse(message: str) -> DocumentError:
    """The whole text is unreadable: `message` is a predicate ("is not valid JSON: …")."""
    hint = f"The flow definition {message}. Fix the JSON, then try again."
    return DocumentError([Problem(message, "#", blocking=True, hint=hint)])


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


def leaves(value: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every scalar in a JSON value, keys included, with its path; iterative, so any depth."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(value, ())]
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                yield at, key
                stack.append((child, (*at, key)))
        elif isinstance(node, list):
            stack.extend((child, (*at, n)) for n, child in enumerate(node))
        else:
            yield at, node


def unstorable_text(text: str) -> str | None:
    """Why `text` cannot be kept in a database text column, or None when it can."""
    if "\x00" in text:
        return "contains a NUL character (U+0000)"
    if SURROGATE.search(text):
        return "contains an unpaired UTF-16 surrogate"
    return None


def unstorable(value: Any) -> Problem | None:
    """The first value in a JSON document that cannot be stored, as a blocking problem.

    A NaN or infinite float cannot be written as JSON. NUL is harmless inside a JSON column
    (it is written as \\u0000) but PostgreSQL refuses it in the text columns that names,
    types and messages are kept in, and a lone surrogate cannot be encoded as UTF-8 at
    all: one rule for every string keeps it simple.
    """
    try:
        # Encoding in C is three times faster than the walk; most documents are clean.
        text = CHECKING_ENCODER.encode(value)
    except (ValueError, TypeError, RecursionError):
        pass  # a non-finite float (or worse): the walk below finds where
    else:
        # NUL is encoded as \u0000 (a text holding a backslash and "u0000" looks alike:
        # the walk then finds nothing); lone surrogates pass through as they are.
        if "\\u0000" not in text and not SURROGATE.search(text):
            return None
    for at, leaf in leaves(value):
        if isinstance(leaf, str):
            reason = unstorable_text(leaf)
        elif isinstance(leaf, float) and not math.isfinite(leaf):
            reason = f"is {leaf}: JSON numbers are finite (no NaN or Infinity)"
        else:
            continue
        if reason:
            return Problem(reason, path(*at), blocking=True)
    return None


def load_json(text: str | bytes, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text or raise DocumentError with a readable reason."""
    try:
        data = text.encode() if isinstance(text, str) else text
    except UnicodeEncodeError:
        raise refuse("contains an unpaired UTF-16 surrogate") from None
    if len(data) > max_bytes:
        raise refuse(f"is {len(data)} bytes; the limit is {max_bytes} bytes")
    try:
        value = loads(data)
    except RecursionError:
        raise refuse(f"nests deeper than {max_depth} levels") from None
    except (NonFiniteNumber, UnpairedSurrogate) as exc:
        raise refuse(str(exc)) from None
    except UnicodeDecodeError as exc:
        # An image, an archive or a document picked by mistake; the codec's own words
        # ("'utf-8' codec can't decode byte 0x89…") say little to whoever uploaded it.
        byte = exc.object[exc.start]
        raise refuse(
            f"is not UTF-8 text (byte {byte:#04x} at position {exc.start}): "
            "a Studio export is a .json text file"
        ) from None
    except ValueError as exc:
        raise refuse(f"is not valid JSON: {exc}") from None
    if isinstance(value, (dict, list)) and too_deep(value, max_depth):
        raise refuse(f"nests deeper than {max_depth} levels")
    return value
