"""What a parsed template will do wrong when it renders, as far as its text alone shows.

Validation reports these as warnings (Twilio stores such flows), and the canvas can show
them the same way. Only certain outcomes are reported: a range written with literal bounds
that is over the limit, loops over literal ranges that run more than Studio's iterations
(alone or nested), and text that alone exceeds the output limit. Each message names the
problem and the fix.
"""

from __future__ import annotations

from collections.abc import Iterable

from liquid import BoundTemplate, RenderContext
from liquid.ast import Node
from liquid.builtin.content import ContentNode
from liquid.builtin.expressions import LoopExpression
from liquid.builtin.expressions.primitive import IntegerLiteral, RangeLiteral
from liquid.builtin.tags.for_tag import ForNode
from liquid.builtin.tags.tablerow_tag import TablerowNode
from liquid.expression import Expression

from .liquid_limits import MAX_RANGE


def static_hazards(template: BoundTemplate) -> list[str]:
    found: list[str] = []
    env = template.env
    text = sum(len(n.text.encode()) for n in template.nodes if isinstance(n, ContentNode))
    if env.output_stream_limit and text > env.output_stream_limit:
        found.append(
            f"the template's own text is {text:,} bytes; Studio's rendered texts are at most "
            f"{env.output_stream_limit:,} bytes: shorten it"
        )
    visit(template.nodes, RenderContext(template), 1, found)
    return list(dict.fromkeys(found))


def visit(nodes: Iterable[Node], static: RenderContext, outer: int, found: list[str]) -> None:
    limit = static.env.loop_iteration_limit or 0
    for node in nodes:
        for expression in node.expressions():
            found += range_hazards(expression)
        if isinstance(node, (ForNode, TablerowNode)):
            count = loop_count(node.expression)
            inner = outer * (count if count is not None else 1)
            if count is not None and count > limit:
                found.append(
                    f"the loop over {node.expression.iterable} runs {count} times; Studio stops "
                    f"Liquid loops after {limit} iterations: loop over fewer items or add "
                    f"limit: {limit}"
                )
            elif count is not None and outer <= limit < inner:
                found.append(
                    f"the loop over {node.expression.iterable} runs {count} times inside loops "
                    f"that run {outer} times, {inner} in all; Studio stops Liquid loops after "
                    f"{limit} iterations, counting nested loops together: use smaller ranges "
                    "or stop nesting these loops"
                )
            visit([node.block], static, inner, found)
            default = getattr(node, "default", None)  # a for loop's else runs once, outside
            visit([default] if default else [], static, outer, found)
        else:
            visit(node.children(static, include_partials=False), static, outer, found)


def range_hazards(expression: Expression) -> list[str]:
    found = []
    for child in expression.children():
        found += range_hazards(child)
    if isinstance(expression, RangeLiteral):
        count = literal_range(expression)
        if count is not None and count > MAX_RANGE:
            found.append(
                f"the range {expression} has {count:,} items; Studio allows ranges of at most "
                f"{MAX_RANGE:,} items: use a smaller range"
            )
    return found


def literal_range(expression: Expression) -> int | None:
    """The number of items of `(a..b)` written with whole numbers, else None."""
    if not isinstance(expression, RangeLiteral):
        return None
    start, stop = expression.start, expression.stop
    if isinstance(start, IntegerLiteral) and isinstance(stop, IntegerLiteral):
        return max(stop.value - start.value + 1, 0)
    return None


def loop_count(loop: LoopExpression) -> int | None:
    """How many times a loop over a literal range runs, after offset and limit (as python-
    liquid slices it), or None when it depends on data."""
    length = literal_range(loop.iterable)
    if length is None:
        return None
    offset, limit = loop.offset, loop.limit
    if offset is not None and not isinstance(offset, IntegerLiteral):
        return None  # a variable, or `continue`
    if limit is not None and not isinstance(limit, IntegerLiteral):
        return None
    start = min(max(offset.value if offset else 0, 0), length)
    stop = limit.value + start if limit is not None else None
    return max(min(stop or length, length) - start, 0)  # python-liquid reads limit: 0 as none
