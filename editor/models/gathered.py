"""The writes of a one_trip block on PostgreSQL, gathered into one statement
(models/one_trip.py).

The hot path's writes (models/rows.py's INSERTs, one_trip.update_if_version) are not sent
when they are made inside the block: they are kept here and go at its end as a single
statement, each write one data-modifying CTE of it:

    WITH w0 AS (UPDATE … RETURNING 1), w1 AS (INSERT …), w2 AS (INSERT …)
    SELECT 1 / (SELECT COUNT(*) FROM w0)

One statement in autocommit is a transaction of its own: all of it is written or none,
with no BEGIN or COMMIT to send, and the server parses, plans and answers once instead
of once a write. PostgreSQL runs every data-modifying CTE to completion whether or not the
outer query reads it, all on one snapshot, and checks foreign keys when the statement
ends, so a step may reference the execution inserted beside it. A write that must change
exactly one row (`checked`: update_if_version's version check) returns a row from its CTE
and the outer query divides by their number: no row, and the statement fails with a
division by zero, which one_trip raises as VersionMoved.

The CTEs of one statement cannot see each other's rows, so two writes to the same row
must not be gathered together; the hot path never does that (one UPDATE of the
execution, then INSERTs of new rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

# PostgreSQL takes at most 65,535 parameters a statement; a block that gathers more sends
# what it has first (one_trip opens a transaction for it).
MAX_PARAMETERS = 30_000


class Gathered:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []
        self.checked: list[int] = []  # indexes of the parts that must change one row

    def __bool__(self) -> bool:
        return bool(self.parts)

    def add(self, sql: str, params: Sequence[Any], *, checked: bool = False) -> None:
        """One write; `checked` ones end in RETURNING and must return exactly one row."""
        if checked:
            self.checked.append(len(self.parts))
        self.parts.append(sql)
        self.params += params

    def add_rows(self, insert: str, width: int, rows: Sequence[Sequence[Any]]) -> None:
        """`insert` ("INSERT INTO t (a, b)") with `rows` of `width` values as one VALUES
        list: as an executemany of them would, in one write."""
        self.parts.append(f"{insert} VALUES {values_list(width, len(rows))}")
        for row in rows:
            self.params += row

    def full(self) -> bool:
        return len(self.params) > MAX_PARAMETERS

    def take(self) -> tuple[str, list[Any]]:
        """The statement of what was gathered, and its parameters; empties the batch."""
        sql, params = statement(self.parts, self.checked), self.params
        self.parts, self.params, self.checked = [], [], []
        return sql, params


def statement(parts: list[str], checked: list[int]) -> str:
    if len(parts) == 1 and not checked:
        return parts[0]
    ctes = ", ".join(f"w{n} AS ({sql})" for n, sql in enumerate(parts))
    if not checked:
        return f"WITH {ctes} SELECT 1"
    # Our own names only (w0, w1, …); every checked write must have changed one row.
    counts = " * ".join(f"(SELECT COUNT(*) FROM w{n})" for n in checked)  # noqa: S608
    return f"WITH {ctes} SELECT 1 / ({counts})"


@lru_cache(maxsize=256)
def values_list(width: int, count: int) -> str:
    row = "(" + ", ".join(["%s"] * width) + ")"
    return ", ".join([row] * count)


@lru_cache(maxsize=64)
def numbered(sql: str) -> str:
    """`sql` with its %s placeholders as $1, $2, …, for a raw cursor (one_trip.Trip):
    psycopg converts %s itself, but parses a statement with more than 50 parameters anew on
    every execute, and a commit's statement has more (a tenth of a test panel's reply was
    spent there). Written once per shape of statement: the writes gathered come in a few
    shapes (so many steps, so many transcript entries). Django's query log cannot show such
    a statement (it fills the %s in), so where it is on the statement goes as it is."""
    pieces = sql.split("%s")
    out = [pieces[0]]
    for n, piece in enumerate(pieces[1:], start=1):
        out += ["$", str(n), piece]
    return "".join(out)
