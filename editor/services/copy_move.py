"""A flow changes team: copied (a new flow, new SIDs) or moved (the same flow and SIDs).

Who may do either is access.py's decision; these verbs only refuse what makes no sense.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .. import realtime
from ..models import Flow, FlowTestCase, Status, Team
from .flows import create_flow
from .teams import TeamRefused


def copy_flow(flow: Flow, team: Team, user: Any, friendly_name: str | None = None) -> Flow:
    """A new draft of `team` with the working copy's definition (problems and all, as on
    the canvas) and its test cases (docs/testcases.md). Revisions, executions and test
    users stay with the original."""
    copy = create_flow(
        team,
        friendly_name=friendly_name or flow.friendly_name,
        definition=flow.definition(),
        status=Status.DRAFT,
        commit_message=f"Copied from {flow.friendly_name} ({flow.sid})",
        author=user,
        allow_problems=True,
    )
    cases = FlowTestCase.objects.filter(flow=flow).values_list("name", "body", "source")
    FlowTestCase.objects.bulk_create(
        FlowTestCase(flow=copy, name=name, body=body, source=source, created_by=user)
        for name, body, source in cases
    )
    return copy


def move_flow(flow: Flow, team: Team, user: Any = None) -> Flow:
    """The flow, its revisions and executions now belong to `team`. The SIDs stay, so REST
    clients keep working once they use a key of the new team; the webhook URL changes
    with the account SID in it."""
    if flow.team_id == team.pk:
        raise TeamRefused(f"{flow.friendly_name} is already in {team.name}.")
    with transaction.atomic():
        flow = Flow.objects.select_for_update().get(pk=flow.pk)
        flow.team = team
        flow.save(update_fields=["team", "date_updated"])
        realtime.flow_moved(flow.sid)
    return flow
