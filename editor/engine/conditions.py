"""The 17 predicates of Split Based On… (docs/studio-semantics.md).

Every comparison is case-insensitive and ignores surrounding whitespace. Numeric, time and
date predicates are false when either side does not parse, as Studio "does not perform
comparisons on letters".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from decimal import Decimal, InvalidOperation

from . import patterns

TIME_FORMS = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def fold(text: str) -> str:
    return text.strip().casefold()


def items(value: str) -> list[str]:
    return [fold(item) for item in value.split(",") if item.strip()]


def number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def clock_time(text: str) -> time | None:
    match = TIME_FORMS.match(text.strip())
    if not match:
        return None
    hour, minute, second = (int(g) if g else 0 for g in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def calendar_date(text: str) -> date | None:
    match = DATE_PREFIX.match(text.strip())
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def regex(subject: str, pattern: str) -> bool:
    # Case-insensitive, whole string (Studio's rule); bounded in time (engine/patterns.py).
    return patterns.fullmatch(pattern.strip(), subject.strip())


def compare(parse: Callable[[str], object], test: Callable[[object, object], bool]) -> Callable:
    def predicate(subject: str, value: str) -> bool:
        left, right = parse(subject), parse(value)
        return left is not None and right is not None and test(left, right)

    return predicate


PREDICATES: dict[str, Callable[[str, str], bool]] = {
    "equal_to": lambda s, v: fold(s) == fold(v),
    "not_equal_to": lambda s, v: fold(s) != fold(v),
    "matches_any_of": lambda s, v: fold(s) in items(v),
    "does_not_match_any_of": lambda s, v: fold(s) not in items(v),
    "is_blank": lambda s, v: not s.strip(),
    "is_not_blank": lambda s, v: bool(s.strip()),
    "regex": regex,
    "contains": lambda s, v: fold(v) in fold(s),
    "does_not_contain": lambda s, v: fold(v) not in fold(s),
    "starts_with": lambda s, v: fold(s).startswith(fold(v)),
    "does_not_start_with": lambda s, v: not fold(s).startswith(fold(v)),
    "less_than": compare(number, lambda a, b: a < b),
    "greater_than": compare(number, lambda a, b: a > b),
    "is_before_time": compare(clock_time, lambda a, b: a < b),
    "is_after_time": compare(clock_time, lambda a, b: a > b),
    "is_before_date": compare(calendar_date, lambda a, b: a < b),
    "is_after_date": compare(calendar_date, lambda a, b: a > b),
}


def holds(kind: str, subject: str, value: str) -> bool:
    """Whether one condition holds; an unknown predicate never does."""
    predicate = PREDICATES.get(kind)
    return predicate is not None and predicate(subject, value)
