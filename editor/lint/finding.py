"""What a lint rule reports, and the registry entry that describes a rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    """One rule: its kebab-case id, its severity and what it catches, in one line."""

    id: str
    severity: Severity
    description: str

    def found(
        self,
        widget: str | None,
        field: str | None,
        message: str,
        fix: dict[str, Any] | None = None,
    ) -> Finding:
        return Finding(self.id, self.severity, widget, field, message, fix)

    def as_dict(self) -> dict[str, str]:
        return {"severity": self.severity, "description": self.description}


@dataclass(frozen=True)
class Finding:
    """One problem in a flow document.

    `widget` is the widget's name (None for the flow as a whole); `field` is a dotted path
    inside the widget ("properties.body", "transitions.noMatch",
    "transitions.1.conditions.0.arguments.0"). `fix`, when the repair is obvious, is
    `{"label": str, "edits": [...]}` with canvas edit operations (editor/flowspec/edits.py).
    """

    rule: str
    severity: Severity
    widget: str | None
    field: str | None
    message: str
    # Left out of the hash (a dict has none), so findings can go in sets.
    fix: dict[str, Any] | None = field(default=None, hash=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "widget": self.widget,
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
        }
