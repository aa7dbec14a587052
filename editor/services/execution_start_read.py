"""What a start reads before the engine runs (services/executions.py start_execution): the
busy check, which keeps one active non-concurrent execution per contact and flow address
(the partial unique index's condition, written as plain SQL), and `start_read`, which asks
it together with the new execution's key and the team's Twilio connection in one statement.
api/auth.py folds the same columns into the API key's read of an execution's create
(`StartRead`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections

from ..models import Execution, Flow, TwilioConnection
from .execution_errors import ExecutionConflict


def active_sql(flow: str = "%s") -> str:
    """The busy check: plain SQL whose conditions are the partial unique index's own,
    written as literals: SQLite uses a partial index only when the query states its
    condition literally, and with bound parameters it would scan every active execution of
    the flow instead. `flow`: the flow's key, a placeholder or an enclosing query's column."""
    table = connection.ops.quote_name(Execution._meta.db_table)
    return (
        f"SELECT sid FROM {table} WHERE flow_id = {flow} AND contact_channel_address = %s "  # noqa: S608
        "AND flow_channel_address = %s AND NOT concurrent AND status = 'active' LIMIT 1"
    )


def active_sid(flow: Flow, contact: str, flow_address: str) -> str | None:
    """The contact's active (non-concurrent) execution of this flow, if any."""
    with connection.cursor() as cursor:
        cursor.execute(active_sql(), [flow.pk, contact, flow_address])
        row = cursor.fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class StartRead:
    """What start_read learns for one contact and flow address, when another statement has
    asked it already (api/auth.py reads it with the API key): used once, by the start for
    exactly that contact and address."""

    contact: str
    flow_address: str
    busy: str | None
    pk: int | None
    connected: bool


def start_read(flow: Flow, contact: str, flow_address: str) -> tuple[str | None, int | None, bool]:
    """What a start needs to know first, in one statement: the contact's active execution of
    this flow (as active_sid); on PostgreSQL the key the new execution will have, taken
    from its table's sequence (elsewhere None, and the INSERT returns it); and whether the
    flow's team has its Twilio connection, which decides whether its messages are sent
    (services/outbox.py), so that the commit need not ask.

    Knowing the key, the commit's INSERT needs no RETURNING, so every row goes in one
    statement and one round trip (models/one_trip.py, models/gathered.py). A key taken
    for a start that does not commit is skipped, as PostgreSQL's own would be.

    A flow read with the API key of an execution's create already holds the answer
    (`flow.prefetched_start`, a StartRead): taken, once, if it is for this contact and address."""
    early, flow.prefetched_start = getattr(flow, "prefetched_start", None), None
    if early is not None and (early.contact, early.flow_address) == (contact, flow_address):
        return early.busy, early.pk, early.connected
    params = [flow.pk, *start_params(contact, flow_address), flow.team_id]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {start_columns(connection.vendor)}", params)
        busy, pk, linked = cursor.fetchone()
    return busy, pk, bool(linked)


@functools.cache
def start_columns(vendor: str, flow: str = "%s", team: str = "%s") -> str:
    """start_read's three columns, written once per process and database. `flow` and
    `team`: the flow's and its team's keys, as placeholders (start_read) or as columns of an
    enclosing query (api/auth.py). Its other parameters are start_params', in between."""
    connected = "SELECT 1 FROM {} WHERE {} = {}".format(  # noqa: S608 (own names)
        connection.ops.quote_name(TwilioConnection._meta.db_table),
        connection.ops.quote_name(TwilioConnection._meta.get_field("team").column),
        team,
    )
    key = "nextval(pg_get_serial_sequence(%s, %s))" if vendor == "postgresql" else "NULL"
    return f"({active_sql(flow)}), {key}, EXISTS ({connected})"


def start_params(contact: str, flow_address: str) -> list[Any]:
    """The parameters of start_columns between its flow's and its team's."""
    params: list[Any] = [contact, flow_address]
    db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` is a thread-local lookup
    if db.vendor == "postgresql":
        params += [db.ops.quote_name(Execution._meta.db_table), Execution._meta.pk.column]
    return params


def raise_if_busy(flow: Flow, contact: str, flow_address: str, conversation: bool = False) -> None:
    sid = active_sid(flow, contact, flow_address)
    if not sid and conversation:  # a conversation's run, whoever its contact is
        active = Execution.objects.filter(flow=flow, flow_channel_address=flow_address)
        active = active.filter(trigger="conversation", status="active")
        sid = active.values_list("sid", flat=True).first()
    if sid:
        raise ExecutionConflict(sid)
