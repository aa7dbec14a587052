"""Parsing and rendering Liquid with the one environment (liquid_environment.py), through a
parse cache.

Flow validation parses every Liquid-bearing property here; the engine renders here.
Parsed templates are immutable, so one bounded cache serves every flow and execution.
Only templates from the flow definition are ever parsed: values that arrive from outside
(message bodies, HTTP responses) are data in the context and are never rendered.

Every parse and render is bounded in time and memory (docs/engine.md, "Liquid limits"): the
source is checked and lexed in linear time (liquid_source), and the parsed template is
hardened so that ranges, filter results and the work of one render are capped (liquid_limits).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from liquid import BoundTemplate, RenderContext
from liquid.exceptions import (
    BlockNestingError,
    ContextDepthError,
    LiquidError,
    LiquidSyntaxError,
    LocalNamespaceLimitError,
    LoopIterationLimitError,
    OutputStreamLimitError,
    TemplateNotFoundError,
)

from .liquid_environment import (
    BLOCK_NESTING_LIMIT,
    ENVIRONMENT,
    LOCALS_LIMIT,
    LOOP_ITERATION_LIMIT,
    OUTPUT_LIMIT,
)
from .liquid_hazards import static_hazards
from .liquid_source import SourceRefused, markup_spans, refusal
from .liquid_tree import harden

TOO_DEEP = (
    f"tags are nested more than {BLOCK_NESTING_LIMIT} deep; templates here may use at most "
    f"{BLOCK_NESTING_LIMIT}: nest fewer if, for and case tags"
)


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
STRING = re.compile(r"""('[^']*'|"[^"]*")""")
KEYWORD_SEGMENT = re.compile(r"(?<=[\w\]-])\.(" + "|".join(KEYWORDS) + r")(?![\w-])")


def quote_keyword_segments(source: str) -> str:
    """`a.limit` -> `a["limit"]` inside markup, leaving string literals alone."""

    def rewrite(markup: str) -> str:
        parts = STRING.split(markup)
        # Odd-numbered parts are the string literals split out by the capturing group.
        return "".join(
            part if n % 2 else KEYWORD_SEGMENT.sub(r'["\1"]', part) for n, part in enumerate(parts)
        )

    pieces, done = [], 0
    for start, end in markup_spans(source):
        pieces += [source[done:start], rewrite(source[start:end])]
        done = end
    pieces.append(source[done:])
    return "".join(pieces)


class ParseCache:
    """Parsed templates, bounded by their total source length (a parsed template takes about
    100 bytes per character of source, so a count alone would let a few thousand long
    templates hold gigabytes); the oldest parsed goes first. A hit is one dict lookup, without
    a lock or a Python call: every render starts with one."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.chars = 0
        self.templates: OrderedDict[str, BoundTemplate | Unparsable] = OrderedDict()
        self.get = self.templates.get
        self.lock = threading.Lock()

    def put(self, source: str, template: BoundTemplate | Unparsable) -> None:
        with self.lock:
            if source not in self.templates:
                self.chars += len(source)
            self.templates[source] = template
            while self.chars > self.max_chars:
                oldest, _ = self.templates.popitem(last=False)
                self.chars -= len(oldest)

    def clear(self) -> None:
        with self.lock:
            self.templates.clear()
            self.chars = 0


PARSED = ParseCache(max_chars=1024 * 1024)


def parse(source: str) -> BoundTemplate:
    """Parse once per distinct source; raises LiquidError with a readable message.

    A source that does not parse is remembered too (its error class and first line), so a
    broken template is not parsed again at every render.
    """
    template = PARSED.get(source)
    if template is None:
        try:
            template = parse_uncached(source)
        except LiquidError as exc:
            template = Unparsable(type(exc), first_line(exc))
        PARSED.put(source, template)
    if isinstance(template, Unparsable):
        raise template.kind(template.message, token=None)
    return template


@dataclass(frozen=True)
class Unparsable:
    kind: type[LiquidError]
    message: str


def parse_uncached(source: str) -> BoundTemplate:
    reason = refusal(source)
    if reason:
        raise SourceRefused(reason)
    template = ENVIRONMENT.parse(quote_keyword_segments(source))
    # Once per parse: every render of the cached template shares the capped, metered tree.
    try:
        harden(template.nodes, RenderContext(template))
    except RecursionError:  # python-liquid parses a little deeper than Python recurses here
        raise LiquidSyntaxError("expressions are nested too deeply", token=None) from None
    return template


def syntax_error(source: str) -> str | None:
    """What is wrong with the Liquid in `source`, in one line, or None when it parses.

    Sources refused for their size, shape or nesting are not syntax errors: `hazards` reports
    them.
    """
    if not has_markup(source):
        return None
    try:
        parse(source)
    except (SourceRefused, BlockNestingError):
        return None
    except LiquidError as exc:
        return first_line(exc)
    return None


def hazards(source: str) -> list[str]:
    """What will go wrong when `source` renders, as far as the template alone shows it: each
    message names the problem and the fix. Empty for templates with a syntax error."""
    if not has_markup(source):
        return []
    reason = refusal(source)
    if reason:
        return [reason]
    try:
        return static_hazards(parse(source))
    except BlockNestingError:
        return [TOO_DEEP]
    except (LiquidError, RecursionError):
        return []


class RenderError(Exception):
    """A template failed at run time (a limit was hit, or a filter refused its input)."""


def render(source: str, context: dict[str, Any]) -> str:
    if not has_markup(source):
        return source
    try:
        template = PARSED.get(source)  # parse()'s cache hit, written out: every render has one
        if template is None or type(template) is Unparsable:
            template = parse(source)
        return template.render_mapping(context)
    except LiquidError as exc:
        raise RenderError(explain(exc)) from None
    except (ArithmeticError, ValueError, RecursionError) as exc:
        # python-liquid lets a few Python errors through, e.g. `limit:` an infinite number.
        raise RenderError(f"the template could not be rendered: {exc}") from None


def explain(exc: LiquidError) -> str:
    """python-liquid's limit errors, said in Studio's terms."""
    if isinstance(exc, LoopIterationLimitError):
        return (
            f"a loop would run more than {LOOP_ITERATION_LIMIT} times (nested loops count "
            f"together); Studio stops Liquid loops after {LOOP_ITERATION_LIMIT} iterations: "
            f"loop over fewer items or add limit: {LOOP_ITERATION_LIMIT}"
        )
    if isinstance(exc, OutputStreamLimitError):
        return (
            f"the rendered text is longer than {OUTPUT_LIMIT:,} bytes, Studio's limit: print less"
        )
    if isinstance(exc, LocalNamespaceLimitError):
        return (
            f"assign and capture hold more than {LOCALS_LIMIT // 1024} KB, Studio's limit: "
            "keep fewer or smaller values"
        )
    if isinstance(exc, ContextDepthError):
        return "templates include one another too deeply"
    if isinstance(exc, BlockNestingError):
        return TOO_DEEP
    if isinstance(exc, TemplateNotFoundError):
        return "Studio's templates cannot include or render other templates"
    return first_line(exc)


def first_line(exc: LiquidError) -> str:
    return str(exc).splitlines()[0]
