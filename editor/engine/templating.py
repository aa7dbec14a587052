"""The one Liquid environment: Studio's limits, its filters and a parse cache.

Flow validation parses every Liquid-bearing property with it; the engine renders with it.
Parsed templates are immutable, so one bounded cache serves every flow and execution.
Only templates from the flow definition are ever parsed: values that arrive from outside
(message bodies, HTTP responses) are data in the context and are never rendered.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from liquid import Environment
from liquid.exceptions import LiquidError

LOOP_ITERATION_LIMIT = 15  # Studio FAQ: Liquid loops stop after 15 iterations
OUTPUT_LIMIT = 16 * 1024  # Studio: rendered strings are at most 16 KB
# Studio's help centre says Liquid dates are Pacific time; configurable (studio-spec §4.6).
TIMEZONE = ZoneInfo(os.environ.get("LIQUID_TIMEZONE", "America/Los_Angeles"))

# The running execution's clock, so "now" is the engine's injected time, not the host's.
CLOCK: ContextVar[Callable[[], datetime] | None] = ContextVar("liquid_clock", default=None)


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
        builtin_date = self.filters["date"]

        def date(value: Any, fmt: Any, **kwargs: Any) -> str:
            if value in ("now", "today"):
                clock = CLOCK.get()
                moment = clock() if clock else datetime.now(TIMEZONE)
                value = moment.astimezone(TIMEZONE)
            if isinstance(value, datetime) and isinstance(fmt, str) and "%s" in fmt:
                # strftime's %s reads an aware time as the host's local time.
                fmt = fmt.replace("%s", str(int(value.timestamp())))
            return builtin_date(value, fmt, **kwargs)

        # Keep the builtin's calling convention (it asks for the environment).
        for attribute in ("with_environment", "with_context", "liquid_filter_meta"):
            if hasattr(builtin_date, attribute):
                setattr(date, attribute, getattr(builtin_date, attribute))
        self.filters["date"] = date


ENVIRONMENT = StudioEnvironment()


def has_markup(source: str) -> bool:
    """Most properties are plain text; they need no parse at all."""
    return "{{" in source or "{%" in source


# python-liquid reads these as keywords even after a dot, so `parsed.limit` would not parse;
# Shopify's Liquid (and Studio) read them as plain keys there.
KEYWORDS = (
    *("limit", "offset", "in", "with", "empty", "blank", "required", "contains"),
    *("true", "false", "null", "nil", "and", "or", "not", "as"),
    *("for", "if", "else", "reversed", "continue"),
)
MARKUP = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)
STRING = re.compile(r"""('[^']*'|"[^"]*")""")
KEYWORD_SEGMENT = re.compile(r"(?<=[\w\]-])\.(" + "|".join(KEYWORDS) + r")(?![\w-])")


def quote_keyword_segments(source: str) -> str:
    """`a.limit` -> `a["limit"]` inside markup, leaving string literals alone."""

    def rewrite(markup: re.Match[str]) -> str:
        parts = STRING.split(markup.group(0))
        # Odd-numbered parts are the string literals split out by the capturing group.
        return "".join(
            part if n % 2 else KEYWORD_SEGMENT.sub(r'["\1"]', part) for n, part in enumerate(parts)
        )

    return MARKUP.sub(rewrite, source)


@lru_cache(maxsize=8192)
def parse(source: str) -> Any:
    """Parse once per distinct source; raises LiquidError with a readable message."""
    return ENVIRONMENT.parse(quote_keyword_segments(source))


def syntax_error(source: str) -> str | None:
    """The first line of the parse error for `source`, or None when it parses."""
    if not has_markup(source):
        return None
    try:
        parse(source)
    except LiquidError as exc:
        return str(exc).splitlines()[0]
    return None


class RenderError(Exception):
    """A template failed at run time (a limit was hit, or a filter refused its input)."""


def render(source: str, context: dict[str, Any]) -> str:
    if not has_markup(source):
        return source
    try:
        return parse(source).render(**context)
    except LiquidError as exc:
        raise RenderError(str(exc).splitlines()[0]) from None
