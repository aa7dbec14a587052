"""Run Subflow widgets that name no flow of the team."""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context
from .finding import Finding, Rule

UNKNOWN_SUBFLOW = Rule(
    "unknown-subflow",
    "error",
    "A Run Subflow widget whose flow SID names no flow of the team: it always fails.",
)
RULES = (UNKNOWN_SUBFLOW,)


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.subflow_sids is None:
        return
    for widget in ctx.flow.widgets:
        if widget.type != "run-subflow":
            continue
        sid = widget.properties.get("flow_sid")
        if isinstance(sid, str) and sid in ctx.subflow_sids:
            continue
        what = f"names {sid!r}, which is no flow of this team" if sid else "names no flow"
        yield UNKNOWN_SUBFLOW.found(
            widget.name,
            "properties.flow_sid",
            f"Widget {widget.label} {what}, so it always takes `Failed`. Choose one of the "
            f"team's flows as its subflow.",
        )
