"""Liquid that will not render as meant: syntax errors, unknown filters, loops and values
over Studio's limits, and text compared with numbers."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from .context import Context, where
from .finding import Finding, Rule
from .fixes import replace_text
from .texts import known_filters
from .values import is_text, shown

SYNTAX = Rule(
    "liquid-syntax",
    "error",
    "Liquid that does not parse: the widget fails when it runs.",
)
UNKNOWN_FILTER = Rule(
    "unknown-filter",
    "error",
    "A Liquid filter Studio does not have: the widget fails when it runs.",
)
LOOP_LIMIT = Rule(
    "liquid-loop-limit",
    "warning",
    "A Liquid for loop over a literal range of more than 15 iterations: Studio stops it.",
)
LIQUID_LIMIT = Rule(
    "liquid-limit",
    "warning",
    "Liquid over another of Studio's limits (range size, template size, rendered text).",
)
NUMERIC_TEXT = Rule(
    "liquid-numeric-text",
    "error",
    "A Liquid tag compares text (a message body, digits…) with a number using <, >, <= or "
    ">= without casting it with `| plus: 0`: the comparison fails.",
)
RULES = (SYNTAX, UNKNOWN_FILTER, LOOP_LIMIT, LIQUID_LIMIT, NUMERIC_TEXT)


def check(ctx: Context) -> Iterator[Finding]:
    filters = known_filters()
    for widget, field, text, analysis in ctx.templates:
        here = where(widget, field)
        if analysis.syntax_error:
            yield SYNTAX.found(
                widget.name,
                field,
                f"Widget {widget.label}: the Liquid in {here} does not parse "
                f"({analysis.syntax_error}), so the widget fails when it runs. Correct the "
                f"template.",
            )
            continue
        for name in dict.fromkeys(analysis.filters):
            if name in filters:
                continue
            close = difflib.get_close_matches(name, sorted(filters), n=1, cutoff=0.7)
            fixed = None
            if close:
                pattern = re.compile(r"(\|\s*)" + re.escape(name) + r"(?![\w-])")
                fixed = replace_text(
                    widget, field, pattern.sub(r"\g<1>" + close[0], text), f"Use {close[0]}"
                )
            advice = f"Did you mean `{close[0]}`? " if close else ""
            yield UNKNOWN_FILTER.found(
                widget.name,
                field,
                f"Widget {widget.label}: {here} uses the filter `{name}`, which Studio's "
                f"Liquid does not have, so the widget fails when it runs. {advice}Use one of "
                f"the filters listed in docs/linter.md.",
                fixed,
            )
        for hazard in analysis.hazards:
            rule = LOOP_LIMIT if hazard.startswith("the loop over") else LIQUID_LIMIT
            yield rule.found(widget.name, field, f"Widget {widget.label}, {here}: {hazard}.")
        for path in dict.fromkeys(analysis.ordered):
            if not is_text(ctx.flow, path):
                continue
            value = shown(path)
            yield NUMERIC_TEXT.found(
                widget.name,
                field,
                f"Widget {widget.label}: {here} compares {value}, which is text, with a "
                f"number, so the comparison fails. Cast it first: "
                f"{{% assign n = {value} | plus: 0 %}} and compare n.",
            )
