"""The one Liquid environment: Studio's limits, the to_json filter and a parse cache.

Flow validation parses every Liquid-bearing property with it; the engine renders with it.
Parsed templates are immutable, so one bounded cache serves every flow and execution.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from liquid import Environment
from liquid.exceptions import LiquidError

LOOP_ITERATION_LIMIT = 15  # Studio FAQ: Liquid loops stop after 15 iterations
OUTPUT_LIMIT = 16 * 1024  # Studio: rendered strings are at most 16 KB


def to_json(value: Any) -> str:
    """Studio's `to_json` filter: serialise objects and arrays for JSON attributes."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


class StudioEnvironment(Environment):
    loop_iteration_limit = LOOP_ITERATION_LIMIT
    output_stream_limit = OUTPUT_LIMIT
    context_depth_limit = 30
    local_namespace_limit = 64 * 1024

    def setup_tags_and_filters(self, *, extra: bool = False) -> None:
        super().setup_tags_and_filters(extra=extra)
        self.filters["to_json"] = to_json


ENVIRONMENT = StudioEnvironment()


def has_markup(source: str) -> bool:
    """Most properties are plain text; they need no parse at all."""
    return "{{" in source or "{%" in source


@lru_cache(maxsize=4096)
def parse(source: str) -> Any:
    """Parse once per distinct source; raises LiquidError with a readable message."""
    return ENVIRONMENT.parse(source)


def syntax_error(source: str) -> str | None:
    """The first line of the parse error for `source`, or None when it parses."""
    if not has_markup(source):
        return None
    try:
        parse(source)
    except LiquidError as exc:
        return str(exc).splitlines()[0]
    return None
