"""What an export may change in a flow it imported, for the round-trip tests of the corpus
(tests/test_corpus_roundtrip.py) and of the hand-written exports (tests/test_studio_exports.py)."""

from __future__ import annotations

from typing import Any


def unwired_next_dropped(value: Any) -> Any:
    """The one change export may make (docs/flow-format.md): drop `next` that was null or ""."""
    if isinstance(value, dict):
        return {
            k: unwired_next_dropped(v)
            for k, v in value.items()
            if not (k == "next" and v in (None, ""))
        }
    if isinstance(value, list):
        return [unwired_next_dropped(v) for v in value]
    return value
