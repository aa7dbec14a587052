"""One team's flows as the API lists them, in plain SQL (GET /v2/Flows with an API key).

The same rows, order and paging as
`Flow.objects.of_team(team).order_by("-date_created", "-sid").list_rows()`, which the
listing of a signed-in user's flows still uses; tests/test_api_flow_list.py checks that
both agree. Written out because it is the most frequent read of the API and the ORM's
query costs several times what the database spends on it (models/reads.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

from django.db import connection

from . import reads
from .flows import LISTED, Flow
from .teams import Profile, Team


@cache
def select_sql() -> str:
    flow = Flow._meta.get_field
    columns = ", ".join(f"f.{reads.quote(flow(name).column)}" for name in LISTED)
    profile = Profile._meta.get_field
    return "SELECT {}, p.{} FROM {} f LEFT JOIN {} p ON p.{} = f.{} WHERE f.{} = %s".format(  # noqa: S608
        columns,
        reads.quote(profile("sid").column),
        reads.table(Flow),
        reads.table(Profile),
        reads.quote(profile("user").column),
        reads.quote(flow("author").column),
        reads.quote(flow("team").column),
    )


@cache
def after_sql() -> str:
    created, sid = (reads.quote(Flow._meta.get_field(n).column) for n in ("date_created", "sid"))
    return f" AND (f.{created} < %s OR (f.{created} = %s AND f.{sid} < %s))"


@cache
def order_sql() -> str:
    created, sid = (reads.quote(Flow._meta.get_field(n).column) for n in ("date_created", "sid"))
    return f" ORDER BY f.{created} DESC, f.{sid} DESC LIMIT %s OFFSET %s"


@dataclass(frozen=True)
class TeamFlowRows:
    """Sliced like a QuerySet (`rows[offset:]`, then `rows[:limit]`), read when iterated."""

    team: Team
    after: tuple[datetime, str] | None = None
    offset: int = 0
    limit: int | None = None

    def resume_after(self, moment: datetime, sid: str) -> TeamFlowRows:
        """The rows after (older than) the flow created at `moment` with this SID."""
        return replace(self, after=(moment, sid))

    def __getitem__(self, part: slice) -> TeamFlowRows:
        if part.step is not None or (part.start or 0) < 0:
            raise ValueError("only forward slices")
        start = part.start or 0
        limit = self.limit
        if part.stop is not None:
            stop = part.stop if limit is None else min(part.stop, limit)
            limit = max(stop - start, 0)
        elif limit is not None:
            limit = max(limit - start, 0)
        return replace(self, offset=self.offset + start, limit=limit)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        if self.limit is None:
            raise ValueError("a list page is always limited")
        sql, params = select_sql(), [self.team.pk]
        if self.after is not None:
            moment, sid = self.after
            created = Flow._meta.get_field("date_created").get_db_prep_value(moment, connection)
            sql += after_sql()
            params += [created, created, sid]
        sql += order_sql()
        params += [self.limit, self.offset]
        converters = row_converters()
        account_sid = self.team.account_sid
        for values in reads.fetch(sql, params):
            if converters is not None:
                values = reads.converted(values, converters)
            row = dict(zip(NAMES, values, strict=True))
            row["account_sid"] = account_sid
            yield row


NAMES = (*LISTED, "author_sid")


@cache
def row_converters() -> list[reads.Converter | None] | None:
    """What turns a row's values into the ORM's (None: nothing, as on PostgreSQL)."""
    converters = [*reads.field_converters(Flow, LISTED), None]
    return converters if any(converters) else None
