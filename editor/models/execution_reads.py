"""An execution with its flow and team, in one plain SELECT (the hot reads of a test run).

The same instance as `Execution.objects.select_related("flow__team")`, read the way
models/reads.py explains: a tester's reply reads its execution twice (to check it, then
afresh for the event) and the ORM's query costs several times what the database spends.
"""

from __future__ import annotations

from functools import cache

from . import reads
from .executions import Execution
from .flows import Flow
from .teams import Team
from .transcripts import TranscriptEntry


@cache
def select_sql(condition: str) -> str:
    column = Execution._meta.get_field
    flow_id, team_id = column("flow").column, Flow._meta.get_field("team").column
    pk = reads.quote(Flow._meta.pk.column)
    names = condition.split(",")
    where = " AND ".join(f"e.{reads.quote(column(name).column)} = %s" for name in names)
    return (  # noqa: S608 (the models' own names)
        "SELECT {}, {}, {} FROM {} e JOIN {} f ON f.{} = e.{} JOIN {} t ON t.{} = f.{} WHERE {}"
    ).format(
        reads.columns(Execution, "e"),
        reads.columns(Flow, "f"),
        reads.columns(Team, "t"),
        reads.table(Execution),
        reads.table(Flow),
        pk,
        reads.quote(flow_id),
        reads.table(Team),
        reads.quote(Team._meta.pk.column),
        reads.quote(team_id),
        where,
    )


def with_flow(**where: object) -> Execution | None:
    """The execution matching every `field=value` given (its `id`, or `sid` and `flow`
    as the flow's pk), its flow and that flow's team loaded."""
    names = sorted(where)
    rows = reads.fetch(select_sql(",".join(names)), [where[name] for name in names])
    if not rows:
        return None
    execution, flow, team = reads.instances(rows[0], Execution, Flow, Team)
    flow.team = team
    execution.flow = flow
    return execution


@cache
def entries_sql() -> str:
    column = TranscriptEntry._meta.get_field
    seq = reads.quote(column("seq").column)
    return "SELECT {}, {}, {} FROM {} WHERE {} = %s AND {} > %s ORDER BY {}".format(  # noqa: S608
        seq,
        reads.quote(column("data").column),
        reads.quote(column("date_created").column),
        reads.table(TranscriptEntry),
        reads.quote(column("execution").column),
        seq,
        seq,
    )


def entry_rows(execution_pk: int, after: int) -> list[tuple[int, str, object]]:
    """(seq, data, date_created) of the entries after `after`, in order."""
    converters = reads.field_converters(TranscriptEntry, ("seq", "data", "date_created"))
    return [
        reads.converted(r, converters) for r in reads.fetch(entries_sql(), [execution_pk, after])
    ]
