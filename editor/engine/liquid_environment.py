"""The project's one Liquid environment: Studio's limits, its filters and its template class.

StudioEnvironment sets the limits Studio documents (15 loop iterations, 16 KB of output)
and those the house adds (nesting, what assign and capture may hold), tokenizes with
liquid_source, prints objects as Studio does (liquid_output), adds Studio's `to_json`
filter and makes `date` read "now" from the running execution's clock (CLOCK) in Studio's
time zone. Each render of a StudioTemplate gets its own work budget (liquid_limits.Meter).

Parsing, the parse cache and rendering are in templating.py, which every caller goes through.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from liquid import BoundTemplate, Environment
from liquid.token import Token

from . import liquid_source, liquid_text_filters
from .liquid_limits import MAX_DATE_TEXT, NODE, WORK_BUDGET, Meter, StudioContext
from .liquid_output import StudioEcho, StudioOutput

LOOP_ITERATION_LIMIT = 15  # Studio FAQ: Liquid loops stop after 15 iterations
OUTPUT_LIMIT = 16 * 1024  # Studio: rendered strings are at most 16 KB
BLOCK_NESTING_LIMIT = 30
LOCALS_LIMIT = 64 * 1024  # what assign and capture may hold (python-liquid's measure)
# Studio's help centre says Liquid dates are Pacific time; configurable (docs/studio-semantics.md).
TIMEZONE = ZoneInfo(os.environ.get("LIQUID_TIMEZONE", "America/Los_Angeles"))

# The running execution's clock, so "now" is the engine's injected time, not the host's.
CLOCK: ContextVar[Callable[[], datetime] | None] = ContextVar("liquid_clock", default=None)


def to_json(value: Any) -> str:
    """Studio's `to_json` filter: serialise objects and arrays for JSON attributes."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


class StudioTemplate(BoundTemplate):
    """Each render gets its own budgets (liquid_limits.Meter)."""

    context_class = StudioContext

    def render(self, *args: Any, **kwargs: Any) -> str:
        # Written out rather than calling render_mapping, so the benchmark's baseline (which
        # renders through this method) pays no extra call. A meter for this render on its
        # context: the top-level tags are paid for up front (blocks pay as they render).
        context = self.context_class(self, globals=self.make_globals(dict(*args, **kwargs)))
        context.meter = Meter(WORK_BUDGET - len(self.nodes) * NODE)
        buffer = self._get_buffer()
        self.render_with_context(context, buffer)
        return buffer.getvalue()

    def render_mapping(self, variables: Mapping[str, Any]) -> str:
        """render(**variables) without unpacking and copying the mapping (Liquid only reads
        its globals, through a read-only chain): the engine's path, once per render."""
        context = self.context_class(self, globals=self.make_globals(variables))
        context.meter = Meter(WORK_BUDGET - len(self.nodes) * NODE)
        buffer = self._get_buffer()
        self.render_with_context(context, buffer)
        return buffer.getvalue()

    async def render_async(self, *args: Any, **kwargs: Any) -> str:
        return self.render(*args, **kwargs)


class StudioEnvironment(Environment):
    loop_iteration_limit = LOOP_ITERATION_LIMIT
    output_stream_limit = OUTPUT_LIMIT
    block_nesting_limit = BLOCK_NESTING_LIMIT
    context_depth_limit = 30
    local_namespace_limit = LOCALS_LIMIT
    template_class = StudioTemplate

    def tokenizer(self) -> Callable[[str], Iterator[Token]]:
        return liquid_source.tokenize

    def setup_tags_and_filters(self, *, extra: bool = False) -> None:
        super().setup_tags_and_filters(extra=extra)
        # Objects print as Studio prints them, `{key=value}` (liquid_output).
        self.add_tag(StudioOutput)
        self.add_tag(StudioEcho)
        self.filters["to_json"] = to_json
        # Text filters read lists, objects and booleans as Studio does (liquid_text_filters).
        liquid_text_filters.install(self.filters, OUTPUT_LIMIT)
        builtin_date = self.filters["date"]

        def date(value: Any, fmt: Any, **kwargs: Any) -> str:
            if isinstance(value, str) and len(value) > MAX_DATE_TEXT:
                return value  # not a date: printed as it is, as any text that is not a date
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
