"""The parsed template, hardened once right after its parse: every render of the cached
template then shares capped ranges, metered blocks, comparisons and filters.

The classes swapped in subclass python-liquid's own with no new fields (`__class__` can be
reassigned), or wrap an operand in an expression of ours; what they add is in liquid_limits
and liquid_filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from liquid import RenderContext
from liquid.ast import BlockNode, Node
from liquid.builtin.expressions import FilteredExpression
from liquid.builtin.expressions.logical import (
    ContainsExpression,
    EqExpression,
    GeExpression,
    GtExpression,
    LeExpression,
    LtExpression,
    NeExpression,
    _contains,
    _lt,
)
from liquid.builtin.expressions.primitive import RangeLiteral
from liquid.builtin.tags.case_tag import _AnyExpression
from liquid.builtin.tags.cycle_tag import CycleNode
from liquid.exceptions import LiquidTypeError
from liquid.expression import Expression

from .liquid_filters import MeteredFiltered
from .liquid_limits import (
    MAX_RANGE,
    NODE,
    OPERAND,
    SCALARS,
    LimitError,
    out_of_work,
    produce,
    weight,
    work,
)


class CappedRange(RangeLiteral):
    """`(a..b)`, refused when it has more than MAX_RANGE items; it stays a lazy range."""

    __slots__ = ()

    def evaluate(self, context: RenderContext) -> range:
        start, stop = self.start.evaluate(context), self.stop.evaluate(context)
        try:
            made = self._make_range(start, stop)
        except OverflowError:  # a bound is infinite
            raise LimitError(f"range ({start}..{stop}) has no end; use whole numbers") from None
        if made.stop - made.start > MAX_RANGE:
            raise LimitError(
                f"range ({made.start}..{made.stop - 1}) has {made.stop - made.start:,} items; "
                f"templates here may use at most {MAX_RANGE:,}: use a smaller range"
            )
        return made

    async def evaluate_async(self, context: RenderContext) -> range:
        return self.evaluate(context)


class Operand(Expression):
    """An operand wrapped so that its value is paid for before it is used."""

    __slots__ = ("inner",)

    def __init__(self, inner: Expression) -> None:
        super().__init__(inner.token)
        self.inner = inner

    def __str__(self) -> str:
        return str(self.inner)

    def children(self) -> list[Expression]:
        return [self.inner]


class Compared(Operand):
    """An operand of a comparison (`==`, `contains`, `case`…), which reads it once."""

    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        value = self.inner.evaluate(context)
        kind = type(value)  # written out: conditions are common in ordinary templates
        meter = context.meter
        meter.work -= OPERAND + (
            len(value) if kind is str else 1 if kind in SCALARS else work(value)
        )
        if meter.work < 0:
            out_of_work("comparing values")
        return value


class Kept(Operand):
    """An argument of `cycle`, which keeps str() of its arguments as a key for the rest of
    the render."""

    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        value = self.inner.evaluate(context)
        produce(context.meter, *weight(value), "in a cycle tag")
        return value


def ordered(token: Any, left: object, right: object) -> bool:
    """`left < right` as Studio's Liquid (liqp) answers it: values of kinds that do not
    compare (a text and a number, such as `flow.data.n > 9` with the REST API's "10") are
    false, as `<=` and `>=` already are here; python-liquid raised, which ended the run."""
    try:
        return _lt(token, left, right)
    except LiquidTypeError:
        return False


def contains(token: Any, left: object, right: object) -> bool:
    """`contains` on what is neither a text nor a list or object (a number, true) is false
    in Studio's Liquid; python-liquid raised."""
    try:
        return _contains(token, left, right)
    except LiquidTypeError:
        return False


class StudioLt(LtExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        return ordered(self.token, self.left.evaluate(context), self.right.evaluate(context))

    async def evaluate_async(self, context: RenderContext) -> object:
        return self.evaluate(context)


class StudioGt(GtExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        return ordered(self.token, self.right.evaluate(context), self.left.evaluate(context))

    async def evaluate_async(self, context: RenderContext) -> object:
        return self.evaluate(context)


class StudioContains(ContainsExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        return contains(self.token, self.left.evaluate(context), self.right.evaluate(context))

    async def evaluate_async(self, context: RenderContext) -> object:
        return self.evaluate(context)


class MeteredBlock(BlockNode):
    """A block that charges for the tags it renders, each time it renders them."""

    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: Any) -> int:
        meter = context.meter
        meter.work -= len(self.nodes) * NODE
        if meter.work < 0:
            out_of_work("rendering tags")
        return BlockNode.render_to_output(self, context, buffer)


COMPARISONS = (
    *(EqExpression, NeExpression, LtExpression, GtExpression, LeExpression, GeExpression),
    ContainsExpression,
)


def harden(nodes: Iterable[Node], static: RenderContext) -> None:
    """Swap in the capped and metered classes, once, right after a parse."""
    for node in nodes:
        if type(node) is BlockNode:
            node.__class__ = MeteredBlock
        if isinstance(node, CycleNode):
            node.args = [Kept(arg) for arg in node.args]
        for expression in node.expressions():
            harden_expression(expression)
        harden(node.children(static, include_partials=False), static)


def harden_expression(expression: Expression) -> None:
    for child in expression.children():
        harden_expression(child)
    if type(expression) is RangeLiteral:
        expression.__class__ = CappedRange
    elif type(expression) is FilteredExpression:
        expression.__class__ = MeteredFiltered
    elif isinstance(expression, COMPARISONS):
        expression.left = Compared(expression.left)
        expression.right = Compared(expression.right)
        if type(expression) is LtExpression:
            expression.__class__ = StudioLt
        elif type(expression) is GtExpression:
            expression.__class__ = StudioGt
        elif type(expression) is ContainsExpression:
            expression.__class__ = StudioContains
    elif isinstance(expression, _AnyExpression):
        expression.expressions = [Compared(e) for e in expression.expressions]
