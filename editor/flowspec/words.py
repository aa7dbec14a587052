"""Text diffed by word: a list of {op: equal|insert|delete, text} that, read in order,
spells the old text (equal + delete) and the new one (equal + insert). Liquid stays in
readable pieces: `{{flow.data.name}}` splits into `{{`, `flow.data.name`, `}}`.

Bounded: the longest-common-subsequence table is at most MAX_CELLS cells after the
common head and tail are taken off, and all the word diffs of one comparison share a
Budget of TOTAL_CELLS and TOTAL_CHARS of text; beyond those, the text (or its middle) is
one delete and one insert."""

from __future__ import annotations

import re
from itertools import groupby
from operator import itemgetter

TOKEN = re.compile(r"\s+|[\w.\-]+|[^\w\s]")
MAX_CELLS = 250_000
TOTAL_CELLS = 1_000_000
TOTAL_CHARS = 400_000


class Budget:
    """Table cells and characters of text left for the word diffs of one comparison."""

    def __init__(self, cells: int = TOTAL_CELLS, chars: int = TOTAL_CHARS) -> None:
        self.cells = cells
        self.chars = chars

    def read(self, chars: int) -> bool:
        if chars > self.chars:
            self.chars = 0
            return False
        self.chars -= chars
        return True

    def take(self, cells: int) -> bool:
        """Spend `cells` if they fit; a diff too big for what is left spends the rest."""
        if cells > MAX_CELLS or cells > self.cells:
            self.cells = 0 if cells <= MAX_CELLS else self.cells
            return False
        self.cells -= cells
        return True


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def word_diff(before: str, after: str, budget: Budget | None = None) -> list[dict[str, str]]:
    budget = budget or Budget()
    if budget.cells <= 0 or not budget.read(len(before) + len(after)):
        # Spent: not even the common head and tail are looked for.
        return merged([("delete", before), ("insert", after)] if before != after else [])
    old, new = tokens(before), tokens(after)
    head = 0
    while head < len(old) and head < len(new) and old[head] == new[head]:
        head += 1
    tail = 0
    while (
        tail < len(old) - head
        and tail < len(new) - head
        and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]
    ):
        tail += 1
    middle_old = old[head : len(old) - tail]
    middle_new = new[head : len(new) - tail]
    ops: list[tuple[str, str]] = [("equal", t) for t in old[:head]]
    ops += middle(middle_old, middle_new, budget)
    ops += [("equal", t) for t in old[len(old) - tail :]]
    return merged(ops)


def middle(old: list[str], new: list[str], budget: Budget) -> list[tuple[str, str]]:
    if not old or not new or not budget.take(len(old) * len(new)):
        return [("delete", t) for t in old] + [("insert", t) for t in new]
    # lengths[i][j]: the longest common subsequence of old[i:] and new[j:].
    rows, cols = len(old), len(new)
    lengths = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        row, below = lengths[i], lengths[i + 1]
        for j in range(cols - 1, -1, -1):
            row[j] = below[j + 1] + 1 if old[i] == new[j] else max(below[j], row[j + 1])
    ops: list[tuple[str, str]] = []
    i = j = 0
    while i < rows and j < cols:
        if old[i] == new[j]:
            ops.append(("equal", old[i]))
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            ops.append(("delete", old[i]))
            i += 1
        else:
            ops.append(("insert", new[j]))
            j += 1
    ops += [("delete", t) for t in old[i:]] + [("insert", t) for t in new[j:]]
    return ops


def merged(ops: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Neighbouring pieces of one kind joined into one."""
    return [
        {"op": op, "text": "".join(text for _, text in run)}
        for op, run in groupby(ops, key=itemgetter(0))
    ]
