"""Regular expressions with a time limit.

A split's `regex` condition and a test case's `matches` run a pattern someone wrote against
text a contact sent. With Python's `re`, a pattern that backtracks exponentially (`(a+)+$`
against thirty `a`s and a `!`) holds the worker for minutes. The `regex` module reads the
same syntax (its default VERSION0 is `re`'s) and stops a match after `timeout` seconds; a
match that runs out of time counts as no match, as an invalid pattern does (docs/engine.md).
"""

from __future__ import annotations

import regex

# (a+)+, (a*)*, (a{2,})+: the shapes that backtrack exponentially on a near match.
NESTED_REPEAT = regex.compile(r"[+*}]\)[+*{]")
# Far above what any sane pattern needs on a text message, far below a stalled worker.
TIMEOUT = 0.05


class PatternError(ValueError):
    """The pattern does not compile; the message says why."""


def compiled(pattern: str, *, ignore_case: bool = False) -> regex.Pattern:
    try:
        return regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)
    except (regex.error, OverflowError, RecursionError) as error:
        raise PatternError(str(error)) from None


def backtracks(pattern: str) -> bool:
    """Whether the pattern has a repeated group that repeats inside, like (a+)+."""
    return NESTED_REPEAT.search(pattern) is not None


def fullmatch(pattern: str, subject: str, *, ignore_case: bool = True) -> bool:
    """Whether `pattern` matches the whole of `subject`; False when it does not compile or
    runs out of time."""
    try:
        found = compiled(pattern, ignore_case=ignore_case).fullmatch(subject, timeout=TIMEOUT)
    except (PatternError, TimeoutError):
        return False
    return found is not None


def search(pattern: str, subject: str) -> bool:
    """Whether `pattern` matches somewhere in `subject`; False as `fullmatch` is."""
    try:
        found = compiled(pattern).search(subject, timeout=TIMEOUT)
    except (PatternError, TimeoutError):
        return False
    return found is not None
