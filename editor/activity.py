"""A flow's activity: its changes and revisions as a readable list, newest first, grouped
("alice moved split_1 and 4 more changes") so an afternoon of small edits reads as a few
lines, under one heading per day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .access import flow_for
from .models import Flow, FlowChange, FlowRevision, Status
from .views import principal_of

# Changes by the same person this close together read as one piece of work.
GROUP_GAP = timedelta(minutes=15)
SHOWN = 500


@dataclass
class Line:
    who: str
    colour: str
    last: datetime
    first: datetime
    kind: str  # "change" or "revision"
    summaries: list[str] = field(default_factory=list)
    count: int = 1

    def text(self) -> str:
        head = self.summaries[0]
        rest = self.count - 1
        if rest <= 0:
            return head
        return f"{head} and {rest} more change{'' if rest == 1 else 's'}"

    def details(self) -> list[str]:
        return self.summaries[1:] if self.count > 1 else []


@dataclass
class Day:
    day: date
    lines: list[Line]


def author_of(user: Any) -> tuple[str, str]:
    if user is None:
        return "Someone", "#64748b"
    profile = getattr(user, "profile", None)
    if profile is None:
        return user.get_username(), "#64748b"
    return profile.name, profile.colour_hex


def revision_summary(revision: FlowRevision) -> str:
    verb = "published" if revision.status == Status.PUBLISHED else "saved"
    message = f": “{revision.commit_message}”" if revision.commit_message else ""
    return f"{verb} revision {revision.revision}{message}"


def events(flow: Flow) -> list[tuple[datetime, str, Any, str]]:
    """(when, kind, author, summary), newest first."""
    changes = (
        FlowChange.objects.filter(flow=flow)
        .select_related("author__profile")
        .order_by("-version")[:SHOWN]
    )
    revisions = (
        FlowRevision.objects.filter(flow=flow)
        .select_related("author__profile")
        .defer("definition")
        .order_by("-revision")[:SHOWN]
    )
    found = [(c.date_created, "change", c.author, c.summary) for c in changes]
    found += [(r.date_created, "revision", r.author, revision_summary(r)) for r in revisions]
    found.sort(key=lambda e: e[0], reverse=True)
    return found[:SHOWN]


def activity(flow: Flow) -> list[Day]:
    days: list[Day] = []
    for when, kind, author, summary in events(flow):
        who, colour = author_of(author)
        if not days or days[-1].day != when.date():
            days.append(Day(when.date(), []))
        lines = days[-1].lines
        last = lines[-1] if lines else None
        joins = (
            last is not None
            and kind == "change" == last.kind
            and last.who == who
            and last.first - when <= GROUP_GAP
        )
        if joins:
            last.count += 1
            last.first = when
            if summary not in last.summaries:
                last.summaries.append(summary)
            continue
        lines.append(Line(who, colour, when, when, kind, [summary]))
    return days


@login_required
@require_safe
def flow_activity(request: HttpRequest, sid: str) -> HttpResponse:
    flow = flow_for(principal_of(request), sid)
    return render(request, "editor/flow_activity.html", {"flow": flow, "days": activity(flow)})
