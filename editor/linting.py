"""The linter (editor/lint, pure) applied to stored flows: what it needs from the database."""

from __future__ import annotations

from typing import Any

from .lint import Finding, lint_document, new_since
from .models import Flow, Team


def team_flow_sids(team: Team) -> set[str]:
    """The SIDs a Run Subflow widget of this team's flows may name."""
    return set(Flow.objects.filter(team=team).values_list("sid", flat=True))


def lint_flow(flow: Flow) -> list[Finding]:
    """Findings of the flow's working copy (the current draft)."""
    return lint_document(flow.definition(), subflow_sids=team_flow_sids(flow.team))


def lint_definition(definition: dict[str, Any], team: Team | None) -> list[Finding]:
    sids = team_flow_sids(team) if team is not None else None
    return lint_document(definition, subflow_sids=sids)


def new_since_published(flow: Flow, findings: list[Finding]) -> list[int] | None:
    """Which of the draft's findings the published revision does not have (None when
    nothing is published): what a publish would add."""
    published = flow.latest_published()
    if published is None:
        return None
    before = lint_document(published.definition, subflow_sids=team_flow_sids(flow.team))
    return new_since(findings, before)
