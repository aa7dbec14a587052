"""What every rule is given: the flow, its Liquid, and what is known of the team."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .flow import Flow, Widget
from .texts import Analysis, analyse, liquid_fields


@dataclass
class Context:
    flow: Flow
    # The SIDs of the team's flows; None when unknown (the subflow rule is skipped).
    subflow_sids: set[str] | None = None

    @cached_property
    def templates(self) -> list[tuple[Widget, str, str, Analysis]]:
        """(widget, field, text, analysis) for every Liquid text of the flow."""
        return [
            (widget, field, text, analyse(text))
            for widget in self.flow.widgets
            for field, text in liquid_fields(widget)
        ]


def where(widget: Widget, field: str) -> str:
    """A field in words: `body`, item 2 of `variables`, the value of condition 1 of `match`."""
    parts = field.split(".")
    if parts[0] == "properties" and len(parts) == 2:
        return f"`{parts[1]}`"
    if parts[0] == "properties" and len(parts) >= 3 and parts[2].isdigit():
        return f"item {int(parts[2]) + 1} of `{parts[1]}`"
    if parts[0] == "transitions" and len(parts) >= 4 and parts[1].isdigit():
        j = int(parts[1])
        event = next((t.event for t in widget.transitions if t.index == j), "?")
        what = "the subject" if parts[4:5] == ["arguments"] else f"the {parts[-1]}"
        return f"{what} of condition {int(parts[3]) + 1} of transition {j + 1} (`{event}`)"
    return f"`{field}`"
