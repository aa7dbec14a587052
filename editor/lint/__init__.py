"""The linter: pure rules over a Studio flow document, one module per family of rules.

`lint_document(document)` returns every finding, each with the rule's id and severity, the
widget and field it is about, a message that names the widget and says what to do, and a
fix (canvas edit operations) where one is obvious. `RULES` describes every rule. The rules
read the widget catalogue (editor/flowspec/catalogue/) and the project's Liquid
environment (editor/engine/liquid_environment.py); docs/linter.md lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from . import (
    attributes,
    channels,
    liquid,
    loops,
    reachability,
    references,
    required,
    splits,
    subflows,
    variables,
)
from .context import Context
from .finding import SEVERITIES, Finding, Rule
from .flow import Flow

MODULES = (
    reachability,
    references,
    required,
    variables,
    liquid,
    splits,
    channels,
    loops,
    subflows,
    attributes,
)
CHECKS: tuple[Callable[[Context], Iterable[Finding]], ...] = tuple(m.check for m in MODULES)
RULES: dict[str, Rule] = {rule.id: rule for m in MODULES for rule in m.RULES}

NOT_A_FLOW = Rule(
    "not-a-flow",
    "error",
    "The document is not a Studio flow (an object with a list of states).",
)
TOO_MANY_WIDGETS = Rule(
    "too-many-widgets",
    "error",
    "More widgets than Studio allows in one flow (2,000); the flow is not linted further.",
)
RULES[NOT_A_FLOW.id] = NOT_A_FLOW
RULES[TOO_MANY_WIDGETS.id] = TOO_MANY_WIDGETS
# Studio's limit (docs/studio-semantics.md; the schema's maxItems): a bigger document cannot be a
# flow, and not linting it further bounds what one request can cost.
MAX_WIDGETS = 2000

__all__ = ["RULES", "Finding", "Rule", "lint_document", "new_since", "rules_json"]


def lint_document(
    document: dict[str, Any], *, subflow_sids: set[str] | None = None
) -> list[Finding]:
    """Every finding in `document`, ordered by widget (in the document's order), then by
    severity and rule. `subflow_sids` are the SIDs of the team's flows (None: unknown, and
    Run Subflow targets are not checked)."""
    if not isinstance(document, dict) or not isinstance(document.get("states"), list):
        return [
            NOT_A_FLOW.found(
                None,
                None,
                "This is not a Studio flow: a flow definition is a JSON object with a list "
                "of `states`. Export the flow from Studio (or this site) and lint that.",
            )
        ]
    if len(document["states"]) > MAX_WIDGETS:
        return [
            TOO_MANY_WIDGETS.found(
                None,
                None,
                f"This flow has {len(document['states']):,} widgets; Studio allows at most "
                f"{MAX_WIDGETS:,} in one flow. Move parts of it into subflows (Run Subflow).",
            )
        ]
    flow = Flow(document)
    ctx = Context(flow, set(subflow_sids) if subflow_sids is not None else None)
    found: dict[tuple, Finding] = {}
    for check in CHECKS:
        for finding in check(ctx):
            key = (finding.rule, finding.widget, finding.field, finding.message)
            found.setdefault(key, finding)
    order = {w.name: w.index for w in flow.widgets}
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(
        found.values(),
        key=lambda f: (
            order.get(f.widget, -1) if f.widget else -1,
            rank[f.severity],
            f.rule,
            f.field or "",
        ),
    )


def rules_json() -> dict[str, dict[str, str]]:
    """Every rule by id: its severity and description (the API's `rules`)."""
    return {rule_id: rule.as_dict() for rule_id, rule in RULES.items()}


def new_since(findings: list[Finding], before: list[Finding]) -> list[int]:
    """Indexes of the findings that `before` (the lint of an earlier revision, usually the
    published one) did not have: the same rule on the same widget and field counts as old."""
    old = {(f.rule, f.widget, f.field) for f in before}
    return [i for i, f in enumerate(findings) if (f.rule, f.widget, f.field) not in old]
