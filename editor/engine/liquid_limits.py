"""Bounds on one render: the size of every value a template makes and the work it does.

python-liquid limits loop iterations (15 in Studio), output (16 KB), nesting and the size of
assigned names, but not what happens inside an expression: `sort` or `reversed` materialise a
range (`(1..100000000)` took 47 s and 6 GB), `append` doubles a text at every step, `replace`
with an empty search multiplies it, `times` grows an integer without end, `uniq` is quadratic.
Once per parse, the template is hardened (liquid_tree) so that:

- a range holds at most MAX_RANGE items, checked when it is made (ranges stay lazy);
- every filter's result is measured (liquid_filters): texts up to MAX_TEXT characters,
  integers up to MAX_INT_BITS bits, lists and objects up to MAX_VALUE (a character counts
  one, a list slot eight, counted again wherever a list repeats an item, as `join` or
  `to_json` would write it);
- each render has two budgets, kept by a Meter: work, in units of roughly a nanosecond of
  this machine's time, paid by every filter, every operand of a comparison and every tag
  rendered; and memory made, paid by every filter result and every `cycle` key. Many
  moderate steps end as surely as one huge one.

A breach raises LimitError, a Liquid error naming the construct, the limit and the fix.
"""

from __future__ import annotations

import sys
from typing import Any

from liquid import RenderContext
from liquid.exceptions import LocalNamespaceLimitError, ResourceLimitError
from liquid.token import Token
from liquid.undefined import Undefined

MAX_RANGE = 1000
MAX_TEXT = 128 * 1024  # twice the largest HTTP response body a flow can receive
MAX_VALUE = 256 * 1024
MAX_INT_BITS = 1024  # about 308 digits, the range of a JSON (double) number
MAX_DATE_TEXT = 200  # longer texts are never dates; dateutil is slow on them
SLOT = 8

# What one render may make, in the units of MAX_VALUE (≈ bytes): every filter result and
# every cycle key counts, kept or not, so what a render holds at its peak is less.
MADE_BUDGET = 3 * 1024 * 1024
# Work units: about a nanosecond each on a 2-core machine, measured for each kind of work on
# its slowest common case. The budget is about 20 ms of the slowest work;
# ordinary templates spend a few thousand units.
WORK_BUDGET = 20_000_000
C_ITEM = 20  # a list item or object entry read in C (a comparison, `contains`, a copy)
ITEM = 600  # a list item handled in Python by a sequence filter (flatten, map, where, sort)
ENTRY = 150  # a list item or object entry made, and measured
NODE = 5_000  # a tag or output rendered (an assign costs python-liquid a few µs)
CALL = 2_000  # a filter called
COMPARE = 50  # one comparison inside `uniq` or `sort`
OPERAND = 200  # an operand of a comparison evaluated
TAG_START = 6_000  # a `<` that strip_html's HTML parser examines in Python
DATE_CHAR = 5_000  # a character dateutil reads


class LimitError(ResourceLimitError):
    """A render went past one of Studio's bounds."""

    def __init__(self, message: str, *, token: Token | None = None) -> None:
        super().__init__(message, token=token)


class Meter:
    """What is left of one render's budgets: work (≈ ns) and memory made (≈ bytes)."""

    __slots__ = ("made", "work")

    def __init__(self, work: int = WORK_BUDGET) -> None:
        self.work = work
        self.made = MADE_BUDGET


def charge(meter: Meter, units: int, where: str) -> None:
    """Spend work; past the budget the render ends."""
    meter.work -= units
    if meter.work < 0:
        out_of_work(where)


def produce(meter: Meter, size: int, entries: int, where: str) -> None:
    """Account for a value made (its size) and the work of making it."""
    meter.made -= size
    meter.work -= size + entries * ENTRY
    if meter.made < 0 or meter.work < 0:
        out_of_room(where) if meter.made < 0 else out_of_work(where)


def out_of_work(where: str) -> None:
    raise LimitError(
        f"the template does too much work (stopped {where}); Studio stops a render after "
        f"{WORK_BUDGET:,} units of work: use smaller texts and lists, or fewer filters and "
        "tags inside loops"
    )


def out_of_room(where: str) -> None:
    raise LimitError(
        f"the template makes too much text and data (stopped {where}); Studio lets a render "
        f"make at most {MADE_BUDGET // (1024 * 1024)} MB: work on shorter texts and lists, "
        "or transform them fewer times"
    )


SCALARS = frozenset((int, float, bool, type(None)))
CHEAP = SCALARS | {Undefined}  # read in constant time (Undefined: a name with no value)
TEXT = frozenset((str,))
NESTED = (list, tuple)


def work(value: Any) -> int:
    """What reading `value` once costs: its characters, or its items (one level)."""
    kind = type(value)
    if kind is str:  # the common cases first: this runs for every filter call
        return len(value)
    if kind in SCALARS:
        return 1
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple, dict, range)):
        return len(value) * C_ITEM
    return 1


def weight(value: Any, limit: int = MAX_VALUE) -> tuple[int, int]:
    """(size, entries) of `value` with repeated items counted each time; the count stops
    soon after the size passes `limit`, so measuring costs at most about `limit`."""
    size = entries = 0
    stack = [value]
    while stack and size <= limit:
        item = stack.pop()
        kind = type(item)
        if kind is str:  # the common cases first, without isinstance
            size += len(item)
        elif kind in SCALARS:
            size += SLOT
        elif isinstance(item, str):
            size += len(item)
        elif isinstance(item, (list, tuple)):
            size += SLOT * len(item)
            entries += len(item)
            kinds = set(map(type, item))  # in C: flat lists of texts or numbers are common
            if kinds <= TEXT:
                size += sum(map(len, item))
            elif kinds <= SCALARS:
                size += SLOT * len(item)
            elif size <= limit:
                stack.extend(item)
        elif isinstance(item, dict):
            size += 2 * SLOT * len(item)
            entries += len(item)
            if size <= limit:
                stack.extend(item.keys())
                stack.extend(item.values())
        elif isinstance(item, range):
            size += SLOT * len(item)
        else:
            size += SLOT
    return size, entries


def measure(result: Any, name: str) -> tuple[int, int]:
    """Refuse a filter result over the limits; return its (size, entries)."""
    if isinstance(result, str):
        if len(result) > MAX_TEXT:
            raise LimitError(too_long(name, len(result)))
        return len(result), 0
    if isinstance(result, int) and not isinstance(result, bool):
        if result.bit_length() > MAX_INT_BITS:
            raise LimitError(
                f"{name} would make a number of more than {MAX_INT_BITS * 30103 // 100000} "
                "digits; Studio's numbers are no larger than that: check the arithmetic"
            )
        return SLOT, 0
    if isinstance(result, (list, tuple, dict)):
        size, entries = weight(result)
        if size > MAX_VALUE:
            raise LimitError(
                f"{name} would make a list or object of more than {MAX_VALUE // 1024} KB "
                f"(counting repeated items each time); templates here may use at most "
                f"{MAX_VALUE // 1024} KB: work on fewer or smaller items"
            )
        return size, entries
    return SLOT, 0


def too_long(name: str, length: int) -> str:
    return (
        f"{name} would make a text of {length:,} characters; templates here may use at most "
        f"{MAX_TEXT:,}: work on shorter texts"
    )


class StudioContext(RenderContext):
    """A render context that carries the render's Meter (set by StudioTemplate.render) and
    keeps the size of assigned values as a running total: python-liquid adds them all up
    again at every assign, which is quadratic in the number of names."""

    # locals_size is set by the first assign: most renders assign nothing, and need no
    # __init__ of ours.
    __slots__ = ("locals_size", "meter")

    def copy(self, *args: Any, **kwargs: Any) -> RenderContext:
        """A context for a partial template shares the render's budgets."""
        context = super().copy(*args, **kwargs)
        context.meter = self.meter
        return context

    def assign(self, key: str, val: Any) -> None:
        previous = self.locals.get(key, _MISSING)
        size = getattr(self, "locals_size", 0) + sys.getsizeof(val, 1)
        if previous is not _MISSING:
            size -= sys.getsizeof(previous, 1)
        self.locals_size = size
        self.locals[key] = val
        if self.get_size_of_locals() > (self.env.local_namespace_limit or sys.maxsize):
            raise LocalNamespaceLimitError("local namespace limit reached", token=None)

    def get_size_of_locals(self) -> int:
        return getattr(self, "locals_size", 0) + self.local_namespace_size_carry


_MISSING = object()
