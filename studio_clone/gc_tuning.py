"""The cyclic garbage collector's thresholds for a server process (GC_THRESHOLDS).

A full collection walks every object the process tracks. With 2,000 open websockets that
is a few million objects and 0.2 to 0.5 s during which the server answers nothing (bench
B3: each one put a stall of that length into the reply times, and Python's defaults,
700 / 10 / 10, ran one every few seconds while connections came and went). The default
here, 20000 / 2 / 500, makes young collections rarer, so that short-lived objects die
young instead of being promoted, and keeps full collections as rare as 20000 / 20 / 50 did
(one considered every 1,000 young collections, and run only when the objects promoted since
the last one reach a quarter of the old ones). The middle generation is collected every
second young collection: it holds what survived the young collections since its last
collection, so with 20 between them it grew to a few hundred thousand objects with 2,000
panels open and each of its collections stalled the server for 0.25 s on a slow machine;
with 2, each is a tenth as big (bench/RESULTS.md, B3 "The middle generation"). Memory
freed by reference counting (nearly all of it) is unaffected. `GC_THRESHOLDS=python` keeps
Python's own.
"""

from __future__ import annotations

import gc

from django.core.exceptions import ImproperlyConfigured

DEFAULT = "20000,2,500"


def thresholds(value: str) -> tuple[int, int, int] | None:
    """The three thresholds `value` names, or None for Python's own ("python")."""
    text = value.strip().lower()
    if text == "python":
        return None
    parts = text.split(",")
    try:
        numbers = tuple(int(part) for part in parts)
    except ValueError:
        numbers = ()
    if len(numbers) != 3 or any(n < 1 for n in numbers):
        raise ImproperlyConfigured(
            f"GC_THRESHOLDS is {value!r}: give three positive whole numbers, as "
            f"{DEFAULT!r}, or 'python' for Python's defaults"
        )
    return numbers  # type: ignore[return-value]


def apply(value: str) -> None:
    chosen = thresholds(value)
    if chosen is not None:
        gc.set_threshold(*chosen)
