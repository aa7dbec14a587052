"""Filters pay for their work: every `value | filter | …` of a template is evaluated by
MeteredFiltered (swapped in by liquid_tree), which charges each filter for its input and
measures its result. Filters whose result or time could dwarf their input (`replace` with an
empty search, `join` with a long separator, `split` into characters, the quadratic `uniq`,
the HTML parser of `strip_html`, dateutil, the sequence filters that flatten nested lists)
are checked before they run (PRECHECKS). liquid_limits holds the limits and the meter.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from typing import Any

from liquid import RenderContext
from liquid.builtin.expressions import FilteredExpression
from liquid.exceptions import FilterError
from liquid.undefined import is_undefined

from .liquid_limits import (
    CALL,
    CHEAP,
    COMPARE,
    DATE_CHAR,
    ENTRY,
    ITEM,
    MAX_DATE_TEXT,
    MAX_INT_BITS,
    MAX_TEXT,
    MAX_VALUE,
    NESTED,
    SCALARS,
    SLOT,
    TAG_START,
    LimitError,
    charge,
    measure,
    out_of_room,
    out_of_work,
    too_long,
    work,
)


def text_of(value: Any) -> str:
    """The text a string filter works on (python-liquid's string_filter conversion)."""
    return value if isinstance(value, str) else "" if value is None else str(value)


def arg_text(value: Any) -> str:
    """A filter argument as python-liquid's string filters read it (str(None) is "None")."""
    return value if isinstance(value, str) else str(value)


def leaves(value: Any, level: int = 5) -> int:
    """How many items a sequence filter sees once nested lists are flattened (5 levels)."""
    if isinstance(value, range):
        return len(value)
    if not isinstance(value, NESTED):
        return 1
    if level == 0 or not any(map(isinstance, value, repeat(NESTED))):
        return len(value)  # flat, the usual case, found in C
    return sum(leaves(item, level - 1) if isinstance(item, NESTED) else 1 for item in value)


# Checks made before a filter runs; each returns the work beyond its input's, or raises.
def check_replace(value: Any, search: Any = "", replacement: Any = "", *_: Any) -> int:
    text, search, replacement = text_of(value), arg_text(search), arg_text(replacement)
    count = text.count(search) if search else len(text) + 1
    length = len(text) + count * (len(replacement) - len(search))
    if length > MAX_TEXT:
        raise LimitError(too_long("replace", length))
    return 0


def check_join(value: Any, separator: Any = " ", *_: Any) -> int:
    count = leaves(value)
    gap = len(arg_text(separator))
    if (count - 1) * gap > MAX_TEXT:
        raise LimitError(too_long("join", (count - 1) * gap))
    return count * ITEM


def check_split(value: Any, separator: Any = None, *_: Any) -> int:
    text = text_of(value)
    separator = None if is_undefined(separator) or separator is None else arg_text(separator)
    if not separator:
        pieces = len(text)
    elif separator == " ":  # python-liquid splits on runs of whitespace (counted in C here;
        # rarer Unicode spaces are left to the measure of the result)
        pieces = 1 + sum(map(text.count, " \t\n\r\x0b\x0c"))
    else:
        pieces = text.count(separator) + 1
    if pieces * SLOT + len(text) > MAX_VALUE:
        raise LimitError(
            f"split would make a list of about {pieces:,} items; Studio allows lists of at most "
            f"{MAX_VALUE // 1024} KB: split a shorter text"
        )
    return pieces * ITEM


def check_sequence(value: Any, *_: Any) -> int:
    return leaves(value) * ITEM


def check_sort(value: Any, *_: Any) -> int:
    count = leaves(value)
    return count * ITEM + count * max(count.bit_length(), 1) * COMPARE


def check_uniq(value: Any, *_: Any) -> int:
    count = leaves(value)
    return count * ITEM + count * count // 2 * COMPARE  # python-liquid compares every pair


def check_sum(value: Any, *_: Any) -> int:
    return leaves(value) * 2 * ITEM  # each item is converted to a number in Python


def check_strip_html(value: Any, *_: Any) -> int:
    return text_of(value).count("<") * TAG_START


def check_date(value: Any, *_: Any) -> int:
    return min(len(value), MAX_DATE_TEXT) * DATE_CHAR if isinstance(value, str) else 0


PRECHECKS: dict[str, Callable[..., int]] = {
    "replace": check_replace,
    "join": check_join,
    "split": check_split,
    "sort": check_sort,
    "sort_natural": check_sort,
    "uniq": check_uniq,
    "sum": check_sum,
    "strip_html": check_strip_html,
    "date": check_date,
    **{
        name: check_sequence
        for name in (
            *("compact", "concat", "find", "find_index", "has", "map", "reject", "reverse"),
            "where",
        )
    },
}
# Errors python-liquid's filters let through from Python and the libraries they call
# (int() of a 5,000-digit text, a date out of range, decimal's InvalidOperation, the
# HTML parser's AssertionError, …): the filter refused its input.
REFUSALS = (ArithmeticError, AssertionError, LookupError, RecursionError, ValueError)


class MeteredFiltered(FilteredExpression):
    """`value | filter | …` (outputs, assign, echo), where each filter pays for its input and
    its result, and a Python error it lets through ends the render naming it."""

    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        value = self.left.evaluate(context)
        if not self.filters:
            return value
        # Written out, with the common types first: this runs for every filter call of every
        # render, and ordinary renders must not get slower. What a filter does with an input
        # that already exists is bounded; what could be costly is checked before it runs.
        meter = context.meter
        for f in self.filters:
            precheck = PRECHECKS.get(f.name)
            if precheck is not None:  # arguments are names and literals: reading them is cheap
                arguments, _ = f.evaluate_args(context)
                charge(meter, precheck(value, *arguments), f"in the {f.name} filter")
            try:
                result = f.evaluate(value, context)
            except REFUSALS as exc:
                raise FilterError(f"{f.name}: {exc}", token=f.token) from None
            kind = type(value)
            units = CALL + (len(value) if kind is str else 1 if kind in CHEAP else work(value))
            kind = type(result)
            if result is value:  # `default`, `strip` with nothing to strip, …: nothing made
                size = entries = 0
            elif kind is str and len(result) <= MAX_TEXT:
                size, entries = len(result), 0
            elif kind in SCALARS and (kind is not int or result.bit_length() <= MAX_INT_BITS):
                size, entries = SLOT, 0
            else:
                size, entries = measure(result, f.name)
            meter.made -= size
            meter.work -= units + size + entries * ENTRY
            if meter.made < 0 or meter.work < 0:
                where = f"in the {f.name} filter"
                out_of_room(where) if meter.made < 0 else out_of_work(where)
            value = result
        return value

    async def evaluate_async(self, context: RenderContext) -> object:
        return self.evaluate(context)
