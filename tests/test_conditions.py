"""Split predicates, with Twilio's documented examples (docs/studio-semantics.md) as test
vectors."""

from __future__ import annotations

import time

import pytest

from editor.engine.conditions import PREDICATES, holds
from editor.flowspec.catalogue import CONDITION_TYPE_NAMES


def test_every_catalogued_predicate_is_implemented():
    assert set(PREDICATES) == set(CONDITION_TYPE_NAMES)


@pytest.mark.parametrize(
    ("subject", "kind", "value", "expected"),
    [
        # The documentation's own examples.
        ("2019-08-12", "is_after_date", "2017-09-04", True),
        ("17:00", "is_before_time", "16:35", False),
        ("900", "greater_than", "1000", False),
        ("Twilio", "is_blank", "", False),
        ("YES", "matches_any_of", "yes,yeah,yup", True),
        ("6", "regex", "[1-5]", False),
        ("aab", "contains", "aa", True),
        ("aab", "contains", "A", True),
        (" Hoot", "starts_with", "hoo", True),
        # Case and whitespace never matter.
        ("  Yes ", "equal_to", "yes", True),
        ("No", "not_equal_to", "no", False),
        ("maybe", "does_not_match_any_of", "yes, no", True),
        ("Yes.", "matches_any_of", "Yes, Yes.", True),
        ("x", "matches_any_of", "a,,b", False),
        ("   ", "is_blank", "Is Blank", True),
        ("", "is_not_blank", "", False),
        ("hello", "does_not_contain", "z", True),
        ("hello", "does_not_start_with", "he", False),
        # Regex matches the whole string, ignoring case; a bad pattern is false.
        ("I said YES", "regex", ".*yes.*", True),
        ("3", "regex", "[1-5]", True),
        ("3", "regex", "[1-", False),
        # Numbers: decimals compare, letters never do.
        ("2.5", "less_than", "10", True),
        ("-3", "greater_than", "-4", True),
        ("ten", "less_than", "11", False),
        ("5", "greater_than", "", False),
        ("nan", "greater_than", "1", False),
        # Times of day and dates, strict; unparseable is false.
        ("9:05", "is_before_time", "09:30", True),
        ("09:30:01", "is_after_time", "09:30", True),
        ("25:00", "is_after_time", "09:30", False),
        ("2026-01-31T10:00:00Z", "is_before_date", "2026-02-01", True),
        ("2026-02-30", "is_after_date", "2026-01-01", False),
        ("2026-02-01", "is_after_date", "2026-02-01", False),
    ],
)
def test_predicates(subject, kind, value, expected):
    assert holds(kind, subject, value) is expected


def test_an_unknown_predicate_never_holds():
    assert holds("fuzzy", "a", "a") is False


def test_a_pattern_that_backtracks_exponentially_gives_up_quickly_as_no_match():
    # With Python's re this takes minutes; a contact must not be able to hold a worker.
    started = time.perf_counter()
    assert holds("regex", "a" * 40 + "!", "(a+)+") is False
    assert time.perf_counter() - started < 2
    assert holds("regex", "aaaa", "(a+)+") is True  # the same pattern still matches


def test_an_invalid_pattern_never_matches():
    assert holds("regex", "(", "(") is False
