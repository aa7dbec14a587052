"""What the flow list shows: each of the user's teams with one page of its flows, in the
order the column headers chose, and those headers' links.

`?sort=name` (or `-name`, `updated`, `-updated`, `status`, `-status`, `widgets`,
`-widgets`) orders every team's flows; the default is the most recently updated first.
Each team pages on its own: `?page_<team slug>=2`. A page costs three queries and one per
team with flows to show, however many flows there are: the memberships (teams and roles),
the flow count of every team at once, and each team's page of rows.

Kept apart from editor/views.py so that the view stays parse, access, render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OrderBy, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower
from django.http import QueryDict

from .models import Flow, Membership, Team, Widget
from .pager import PAGE_SIZE, Pager, page_of, pager_of

DEFAULT_SORT = "-updated"
# Each sortable column: its label, what it orders by, and its first click's direction.
COLUMNS = {
    "name": ("Name", Lower("friendly_name"), "ascending"),
    "status": ("Status", F("status"), "ascending"),
    "widgets": ("Widgets", F("widget_count"), "descending"),
    "updated": ("Updated", F("date_updated"), "descending"),
}


# The start of a flow SID ("FW" and 32 hex digits), in any case: at least two hex digits,
# so that "FW" alone (or a name such as "FWD") does not list every flow.
SID_PREFIX = re.compile(r"fw[0-9a-f]{2,32}", re.IGNORECASE)


def search_filter(search: str) -> Q:
    """A name contains the words as typed; a SID starts with them ("FW12ab" finds
    FW12ab…, as a whole SID finds its flow). SIDs are stored as "FW" and lowercase hex, so
    the prefix is matched as stored, which the SID's index serves."""
    found = Q(friendly_name__icontains=search)
    if SID_PREFIX.fullmatch(search):
        found |= Q(sid__startswith="FW" + search[2:].lower())
    return found


def sort_of(query: QueryDict) -> tuple[str, str | None]:
    """The sort asked for, or the default with a note when it is no column's."""
    asked = query.get("sort", "")
    if not asked or asked.removeprefix("-") in COLUMNS:
        return asked or DEFAULT_SORT, None
    return (
        DEFAULT_SORT,
        f"Ignored the sort {asked[:20]!r}; showing the most recently updated first.",
    )


def ordering(sort: str) -> list[OrderBy]:
    """The column's order, then the most recently updated, then the row's creation as the
    last word, so that pages never overlap."""
    column, descending = sort.removeprefix("-"), sort.startswith("-")

    def way(expression: Any) -> OrderBy:
        return expression.desc() if descending else expression.asc()

    if column == "updated":
        return [way(F("date_updated")), way(F("pk"))]
    return [way(COLUMNS[column][1]), F("date_updated").desc(), F("pk").desc()]


@dataclass(frozen=True)
class SortHeader:
    """A sortable column's header: a link to sort by it (the other way when it is the sort)."""

    label: str
    url: str
    aria_sort: str  # "ascending" or "descending" on the sorting column, else ""


def sort_headers(search: str, sort: str) -> dict[str, SortHeader]:
    """One header per sortable column. Its link keeps the search and starts every team
    on its first page again, as the pages of another order are other flows."""
    kept = QueryDict(mutable=True)
    if search:
        kept["q"] = search
    headers = {}
    for column, (label, _, first) in COLUMNS.items():
        current = ""
        if sort.removeprefix("-") == column:
            current = "descending" if sort.startswith("-") else "ascending"
        # A first click sorts the column's usual way, a click on the sorting one reverses it.
        ascending = current == "descending" if current else first == "ascending"
        kept["sort"] = column if ascending else f"-{column}"
        headers[column] = SortHeader(label, f"?{kept.urlencode()}", current)
    return headers


@dataclass(frozen=True)
class TeamFlows:
    """One team's section: its role, how many of its flows match, and the page shown."""

    team: Team
    role: str
    can_edit: bool
    count: int
    page: Page
    pager: Pager
    flows: list[Flow]


def with_widget_count(flows: QuerySet[Flow]) -> QuerySet[Flow]:
    """Each row's widget count, a correlated subquery the database evaluates through the
    (flow, name) index for the rows it returns, rather than a join grouped over all of them."""
    widgets = Widget.objects.filter(flow=OuterRef("pk")).order_by().values("flow")
    counted = widgets.annotate(n=Count("pk")).values("n")
    return flows.annotate(widget_count=Coalesce(Subquery(counted), 0))


def page_param(team: Team) -> str:
    return f"page_{team.slug}"


def team_sections(
    user: Any, query: QueryDict, search: str, sort: str
) -> tuple[list[TeamFlows], list[str]]:
    """The user's teams by name, each with its page of flows; and notes on pages asked for
    that do not exist."""
    memberships = list(
        Membership.objects.filter(user=user).select_related("team").order_by("team__name", "pk")
    )
    if not memberships:
        return [], []
    flows = Flow.objects.filter(team__in=[m.team_id for m in memberships])
    if search:
        flows = flows.filter(search_filter(search))
    counts = dict(flows.order_by().values_list("team").annotate(n=Count("pk")))
    rows = with_widget_count(flows.defer("head", "test_users")).order_by(*ordering(sort))
    sections, notes = [], []
    for membership in memberships:
        team = membership.team
        paginator = Paginator(rows.filter(team=team), PAGE_SIZE)
        paginator.count = counts.get(team.pk, 0)  # counted above for every team at once
        page, note = page_of(query, paginator, page_param(team), of=team.name)
        page.object_list = list(page.object_list) if paginator.count else []
        sections.append(
            TeamFlows(
                team=team,
                role=membership.role,
                can_edit=membership.can_edit,
                count=paginator.count,
                page=page,
                pager=pager_of(query, page, page_param(team), f"#team-{team.slug}"),
                flows=page.object_list,
            )
        )
        notes += [note] if note else []
    return sections, notes
