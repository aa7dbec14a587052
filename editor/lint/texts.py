"""The Liquid of a widget, field by field, and what each template reads and does.

A template is analysed once per distinct source (the same text in many widgets is common),
with the project's one Liquid environment (editor/engine/liquid_environment.py, parsed through
editor/engine/templating.py), so the linter sees exactly the syntax and filters the engine will.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from liquid import RenderContext
from liquid.ast import Node
from liquid.builtin.expressions import FilteredExpression
from liquid.builtin.expressions.logical import (
    BooleanExpression,
    GeExpression,
    GtExpression,
    LeExpression,
    LtExpression,
)
from liquid.builtin.expressions.path import Path
from liquid.builtin.expressions.primitive import FloatLiteral, IntegerLiteral
from liquid.builtin.output import OutputNode
from liquid.builtin.tags.echo_tag import EchoNode
from liquid.exceptions import LiquidError
from liquid.expression import Expression

from ..engine.liquid_environment import ENVIRONMENT
from ..engine.templating import has_markup, hazards, parse, syntax_error
from .flow import Widget

ORDERING = (GtExpression, LtExpression, GeExpression, LeExpression)
NUMBERS = (IntegerLiteral, FloatLiteral)
# Filters whose result is a number whatever they are given: `x | plus: 0` is the cast.
NUMERIC_FILTERS = frozenset(
    {"plus", "minus", "times", "divided_by", "modulo", "round", "ceil", "floor", "abs"}
    | {"at_least", "at_most", "size"}
)


def liquid_fields(widget: Widget) -> Iterator[tuple[str, str]]:
    """(field, text) for every Liquid-rendered text of the widget: properties the catalogue
    marks as Liquid, the values of its key/value lists, and a split's conditions."""
    kind = widget.kind
    if kind is None or not kind.documented:
        return
    for prop in kind.props:
        value = widget.properties.get(prop.name)
        if not prop.liquid:
            continue
        if prop.items == "key_value" and isinstance(value, list):
            for n, item in enumerate(value):
                if isinstance(item, dict) and isinstance(item.get("value"), str):
                    yield f"properties.{prop.name}.{n}.value", item["value"]
        elif isinstance(value, str):
            yield f"properties.{prop.name}", value
    split_input = widget.properties.get("input") if widget.type == "split-based-on" else None
    for t in widget.transitions:
        for k, condition in enumerate(t.conditions):
            arguments = condition.get("arguments")
            for m, argument in enumerate(arguments if isinstance(arguments, list) else []):
                # The Console copies the split's input into each condition: one finding, on
                # the input, covers those copies (and its fix rewrites them too).
                if isinstance(argument, str) and argument != split_input:
                    yield f"transitions.{t.index}.conditions.{k}.arguments.{m}", argument
            if isinstance(condition.get("value"), str):
                yield f"transitions.{t.index}.conditions.{k}.value", condition["value"]


Segments = tuple[Any, ...]


@dataclass(frozen=True)
class Reference:
    """A variable the template reads: its path, and whether the template tests it first
    (`{% if x %}`, `x | default: …`), which makes an unset value deliberate."""

    path: Segments
    guarded: bool


@dataclass
class Analysis:
    syntax_error: str | None = None
    references: list[Reference] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)
    # Paths compared with <, >, <= or >= against a number literal.
    ordered: list[Segments] = field(default_factory=list)
    hazards: list[str] = field(default_factory=list)
    # The template is one `{{ path | filters }}`: (path, filter names), for split subjects.
    single_output: tuple[Segments, tuple[str, ...]] | None = None


EMPTY = Analysis()


# Templates longer than this are analysed each time rather than kept: the cache holds at
# most 4,096 sources, so it holds at most 16 MB of them.
CACHED_CHARS = 4096


def analyse(source: str) -> Analysis:
    if not has_markup(source):
        return EMPTY
    return analyse_cached(source) if len(source) <= CACHED_CHARS else analyse_uncached(source)


@lru_cache(maxsize=4096)
def analyse_cached(source: str) -> Analysis:
    return analyse_uncached(source)


def analyse_uncached(source: str) -> Analysis:
    error = syntax_error(source)
    if error:
        return Analysis(syntax_error=error)
    try:
        template = parse(source)
    except LiquidError:
        return Analysis(hazards=hazards(source))  # refused before parsing: its size or shape
    found = Analysis(hazards=hazards(source))
    static = RenderContext(template)
    guarded: set[Segments] = set()
    reads: list[Segments] = []

    def expression(e: Expression, in_test: bool) -> None:
        if isinstance(e, Path):
            location = e.location()
            reads.append(location)
            if in_test:
                guarded.add(location)
            for segment in e.path:  # widgets[flow.variables.key]: the inner path is read too
                if isinstance(segment, Path):
                    expression(segment, in_test)
            return
        if isinstance(e, BooleanExpression):
            in_test = True
        if isinstance(e, FilteredExpression):
            names = [f.name for f in e.filters or ()]
            found.filters.extend(names)
            if "default" in names:
                expression(e.left, True)
                for child in e.children()[1:]:
                    expression(child, in_test)
                return
        if isinstance(e, ORDERING):
            left, right = operand(e.left), operand(e.right)
            for a, b in ((left, right), (right, left)):
                if isinstance(a, Path) and isinstance(b, NUMBERS):
                    found.ordered.append(a.location())
        for child in e.children():
            expression(child, in_test)

    def node(n: Node) -> None:
        for e in n.expressions():
            expression(e, False)
        for child in n.children(static, include_partials=False):
            node(child)

    try:
        for n in template.nodes:
            node(n)
    except RecursionError:  # very deep expressions: report what was found so far
        pass
    found.references = [Reference(p, p in guarded) for p in dict.fromkeys(reads)]
    found.single_output = single_output(template.nodes)
    return found


def operand(e: Expression) -> Expression:
    """The expression inside the engine's metering wrappers (editor/engine/liquid_tree.py)."""
    while hasattr(e, "inner"):
        e = e.inner
    return e


def single_output(nodes: list[Node]) -> tuple[Segments, tuple[str, ...]] | None:
    outputs = [n for n in nodes if type(n).__name__ != "ContentNode" or str(n).strip()]
    if (
        len(outputs) != 1
        or not isinstance(outputs[0], OutputNode)
        or isinstance(outputs[0], EchoNode)
    ):
        return None
    e = outputs[0].expression
    names: tuple[str, ...] = ()
    if isinstance(e, FilteredExpression):
        names = tuple(f.name for f in e.filters or ())
        e = e.left
    e = operand(e)
    return (e.location(), names) if isinstance(e, Path) else None


def known_filters() -> frozenset[str]:
    return frozenset(ENVIRONMENT.filters)
