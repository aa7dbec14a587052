"""An execution with its flow and team, in one plain SELECT (the hot reads of a test run).

The same instance as `Execution.objects.select_related("flow__team")`, read the way
models/reads.py explains: every event on an execution reads it, and the ORM's query costs
several times what the database spends. The flow also says whether it has any debugger
breakpoint (`flow.has_breakpoints`, as an annotation would), so that a run without
any does not read them on every event (services/debug_state.py). A tester's input reads
it with the tester's role in the flow's team in the same statement (`for_drive`).
"""

from __future__ import annotations

from functools import cache

from . import reads
from .breakpoints import Breakpoint
from .executions import Execution
from .flows import Flow
from .teams import Membership, Team
from .transcripts import TranscriptEntry


@cache
def select_sql(condition: str) -> str:
    column = Execution._meta.get_field
    flow_id = column("flow").column
    pk = reads.quote(Flow._meta.pk.column)
    names = condition.split(",")
    where = " AND ".join(f"e.{reads.quote(column(name).column)} = %s" for name in names)
    execution, flow = reads.table(Execution), reads.table(Flow)
    # The models' own names only.
    select = f"SELECT {loaded_columns()} FROM {execution} e JOIN {flow} f "  # noqa: S608
    return select + f"ON f.{pk} = e.{reads.quote(flow_id)} {team_join()} WHERE {where}"


def with_flow(**where: object) -> Execution | None:
    """The execution matching every `field=value` given (its `id`, or `sid` and `flow`
    as the flow's pk), its flow and that flow's team loaded."""
    names = sorted(where)
    rows = reads.fetch(select_sql(",".join(names)), [where[name] for name in names])
    return loaded(rows[0]) if rows else None


@cache
def loaded_columns() -> str:
    """What `loaded` reads, in its order: the execution `e`, its flow `f`, the flow's team
    `t`, and the breakpoint flag."""
    return ", ".join(
        (
            reads.columns(Execution, "e"),
            reads.columns(Flow, "f"),
            reads.columns(Team, "t"),
            breakpoints_sql(),
        )
    )


@cache
def team_join() -> str:
    """The team `t` of the flow `f`."""
    return "JOIN {} t ON t.{} = f.{}".format(
        reads.table(Team),
        reads.quote(Team._meta.pk.column),
        reads.quote(Flow._meta.get_field("team").column),
    )


def loaded(row: tuple) -> Execution:
    """The execution, flow and team of a row of `select_sql`, and the breakpoint flag."""
    execution, flow, team = reads.instances(row[:-1], Execution, Flow, Team)
    flow.team = team
    flow.has_breakpoints = bool(row[-1])
    execution.flow = flow
    return execution


@cache
def breakpoints_sql() -> str:
    """Whether anyone has a breakpoint in the flow `f` (a column of the reads above)."""
    return "EXISTS (SELECT 1 FROM {} b WHERE b.{} = f.{})".format(  # noqa: S608
        reads.table(Breakpoint),
        reads.quote(Breakpoint._meta.get_field("flow").column),
        reads.quote(Flow._meta.pk.column),
    )


@cache
def drive_sql() -> str:
    """The role of a user in the flow's team, then the execution of that flow by its SID
    (NULLs when there is none): a tester's input in one statement."""
    member, column = Membership._meta.get_field, Execution._meta.get_field
    return (  # noqa: S608 (the models' own names)
        "SELECT m.{}, {} FROM {} f {} "
        "JOIN {} m ON m.{} = f.{} AND m.{} = %s "
        "LEFT JOIN {} e ON e.{} = f.{} AND e.{} = %s WHERE f.{} = %s"
    ).format(
        reads.quote(member("role").column),
        loaded_columns(),
        reads.table(Flow),
        team_join(),
        reads.table(Membership),
        reads.quote(member("team").column),
        reads.quote(Flow._meta.get_field("team").column),
        reads.quote(member("user").column),
        reads.table(Execution),
        reads.quote(column("flow").column),
        reads.quote(Flow._meta.pk.column),
        reads.quote(column("sid").column),
        reads.quote(Flow._meta.pk.column),
    )


def for_drive(user_pk: int, flow_pk: int, sid: str) -> tuple[str | None, Execution | None]:
    """The user's role in the team owning the flow (None: not a member, or no such flow
    any more), and the flow's execution `sid` with its flow and team (None: no such one)."""
    rows = reads.fetch(drive_sql(), [user_pk, sid, flow_pk])
    if not rows:
        return None, None
    role, row = rows[0][0], rows[0][1:]
    if row[0] is None:  # the execution's key: the LEFT JOIN found none
        return role, None
    return role, loaded(row)


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
