"""Split Based On… conditions that cannot work: numbers compared on text, broken regexes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..engine import patterns
from ..engine.templating import has_markup
from .context import Context, where
from .finding import Finding, Rule
from .fixes import replace_text
from .flow import Widget
from .texts import NUMERIC_FILTERS, analyse
from .values import is_text, shown

NUMERIC_TEXT = Rule(
    "split-numeric-text",
    "warning",
    "A Greater Than or Less Than condition tests text (a message body, digits…) that is not "
    "cast with `| plus: 0`; Studio does not compare text as numbers.",
)
INVALID_REGEX = Rule(
    "invalid-regex",
    "error",
    "A Regex condition whose pattern does not compile: it never matches.",
)
REGEX_SLASHES = Rule(
    "regex-slashes",
    "warning",
    "A Regex condition written /like this/: Studio's patterns have no slashes, so they "
    "must be in the text.",
)
SLOW_REGEX = Rule(
    "slow-regex",
    "warning",
    "A Regex condition with a repeated group that repeats inside, like (a+)+: on some "
    "replies it takes exponential time, and a match that runs out of time counts as no match.",
)
RULES = (NUMERIC_TEXT, INVALID_REGEX, REGEX_SLASHES, SLOW_REGEX)
CLOSING = re.compile(r"\s*(-?\}\})\s*$")


def subject(widget: Widget, j: int, k: int, condition: dict) -> tuple[str, str] | None:
    """(field, text) of what a condition tests: its first argument, else the split's input
    (docs/studio-semantics.md). An argument that is a copy of the input is named as the input."""
    arguments = condition.get("arguments")
    value = widget.properties.get("input")
    if isinstance(arguments, list) and arguments and arguments[0] != value:
        first = arguments[0]
        field = f"transitions.{j}.conditions.{k}.arguments.0"
        return (field, first) if isinstance(first, str) else None
    return ("properties.input", value) if isinstance(value, str) else None


def check(ctx: Context) -> Iterator[Finding]:
    for widget in ctx.flow.widgets:
        if widget.type != "split-based-on":
            continue
        for t in widget.transitions:
            for k, condition in enumerate(t.conditions):
                kind = condition.get("type")
                if kind in ("greater_than", "less_than"):
                    yield from numeric(ctx, widget, t.index, k, condition)
                elif kind == "regex":
                    yield from regex(widget, t.index, k, condition)


def numeric(ctx: Context, widget: Widget, j: int, k: int, condition: dict) -> Iterator[Finding]:
    found = subject(widget, j, k, condition)
    if found is None:
        return
    field, text = found
    single = analyse(text).single_output
    if single is None:
        return
    path, filters = single
    if NUMERIC_FILTERS.intersection(filters) or not is_text(ctx.flow, path):
        return
    cast = CLOSING.sub(r" | plus: 0 \1", text.rstrip(), count=1)
    said = (
        f"Widget {widget.label}: condition {k + 1} of transition {j + 1} compares "
        f"{shown(path)} as a number, but it is text; Studio does not compare text as numbers."
    )
    texts = text_conditions(widget, field, (j, k))
    if texts:
        # `| plus: 0` turns every text that is not a number into 0: the split's other
        # conditions on the same value would then test 0, not the reply.
        yield NUMERIC_TEXT.found(
            widget.name,
            field,
            f"{said} Casting {where(widget, field)} would make its other conditions "
            f"({', '.join(texts)}) see 0 for any reply that is not a number: test the number "
            f"in a Split Based On… of its own whose input is {cast}",
        )
        return
    yield NUMERIC_TEXT.found(
        widget.name,
        field,
        f"{said} Cast it in {where(widget, field)}: {cast}",
        replace_text(widget, field, cast, "Cast to a number with | plus: 0"),
    )


NUMERIC_TYPES = ("greater_than", "less_than")
NUMBER = re.compile(r"\s*-?\d+(\.\d+)?\s*")


def text_conditions(widget: Widget, field: str, numeric_at: tuple[int, int]) -> list[str]:
    """The conditions of the split that test the same value as text (Contains, Regex, Equal
    To a word, Is Blank…), by their label: a cast of that value would change what they see."""
    found = []
    for t in widget.transitions:
        for k, condition in enumerate(t.conditions):
            if (t.index, k) == numeric_at or not isinstance(condition, dict):
                continue
            tested = subject(widget, t.index, k, condition)
            if tested is None or tested[0] != field:
                continue
            kind, value = condition.get("type"), condition.get("value")
            number = isinstance(value, str) and NUMBER.fullmatch(value)
            if kind in NUMERIC_TYPES or (kind in ("equal_to", "not_equal_to") and number):
                continue
            label = condition.get("friendly_name")
            found.append(f"`{label}`" if isinstance(label, str) and label else f"`{kind}`")
    return found


def regex(widget: Widget, j: int, k: int, condition: dict) -> Iterator[Finding]:
    pattern = condition.get("value")
    if not isinstance(pattern, str) or has_markup(pattern):
        return  # rendered at run time: only the rendered text can be checked
    field = f"transitions.{j}.conditions.{k}.value"
    text = pattern.strip()
    try:
        patterns.compiled(text, ignore_case=True)
    except patterns.PatternError as exc:
        yield INVALID_REGEX.found(
            widget.name,
            field,
            f"Widget {widget.label}: the regular expression of condition {k + 1} of "
            f"transition {j + 1} is not valid ({exc}), so it never matches. Correct the "
            f"pattern.",
        )
        return
    if patterns.backtracks(text):
        yield SLOW_REGEX.found(
            widget.name,
            field,
            f"Widget {widget.label}: the pattern of condition {k + 1} of transition {j + 1} "
            f"repeats a group that repeats inside ({text}); some replies make it take "
            f"exponential time, and one that runs out of time counts as no match. Write it "
            f"without the nesting: (a+)+ is a+.",
        )
    if len(text) > 2 and text.startswith("/") and text.endswith("/"):
        yield REGEX_SLASHES.found(
            widget.name,
            field,
            f"Widget {widget.label}: the pattern of condition {k + 1} of transition {j + 1} "
            f"is written between slashes ({text}); Studio's patterns have none, so this only "
            f"matches text that starts and ends with /. Remove the slashes.",
            replace_text(widget, field, text[1:-1], "Remove the slashes"),
        )
