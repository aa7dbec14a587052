"""`flow.variables.KEY` read where no Set Variables before it sets KEY."""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context, where
from .finding import Finding, Rule
from .flow import Flow
from .graph import reachable

UNSET = Rule(
    "unset-variable",
    "error",
    "Liquid reads flow.variables.KEY but no Set Variables before it sets KEY on any path; "
    "it renders as empty text.",
)
MAYBE_UNSET = Rule(
    "maybe-unset-variable",
    "warning",
    "Liquid reads flow.variables.KEY that only some paths to it set.",
)
RULES = (UNSET, MAYBE_UNSET)


def setters(flow: Flow) -> dict[str, list[str]]:
    """For each key, the Set Variables widgets that set it."""
    found: dict[str, list[str]] = {}
    for widget in flow.widgets:
        items = widget.properties.get("variables") if widget.type == "set-variables" else None
        for item in items if isinstance(items, list) else []:
            key = item.get("key") if isinstance(item, dict) else None
            if isinstance(key, str) and key:
                found.setdefault(key, []).append(widget.name)
    return found


class Coverage:
    """Where a key is set before: on some path (`some`), and on no path that avoids every
    setter (`bare`: reached from the trigger without passing a setter)."""

    def __init__(self, flow: Flow, names: list[str]) -> None:
        starts = [n for name in names if name in flow.reachable for n in flow.successors(name)]
        self.some = reachable(flow.edges, starts)
        self.bare: set[str] = set()
        if flow.trigger is None:
            return
        stop = set(names)
        stack = [flow.trigger.name]
        while stack:
            node = stack.pop()
            if node in self.bare:
                continue
            self.bare.add(node)
            if node not in stop:
                stack.extend(n for n in flow.successors(node) if n not in self.bare)


def check(ctx: Context) -> Iterator[Finding]:
    flow = ctx.flow
    keys = setters(flow)
    coverage: dict[str, Coverage] = {}
    for widget, field, _text, analysis in ctx.templates:
        if widget.name not in flow.reachable:
            continue
        for ref in analysis.references:
            path = ref.path
            if len(path) < 3 or path[:2] != ("flow", "variables") or not isinstance(path[2], str):
                continue
            if ref.guarded:
                continue
            key = path[2]
            if key in own_earlier_keys(widget, field):
                continue
            names = keys.get(key, [])
            if key not in coverage:
                coverage[key] = Coverage(flow, names)
            cover = coverage[key]
            here = where(widget, field)
            if widget.name not in cover.some:
                setting = (
                    f"Set Variables widgets that set it ({', '.join(f'`{n}`' for n in names)}) "
                    f"never run before it"
                    if names
                    else "no Set Variables widget in this flow sets it"
                )
                yield UNSET.found(
                    widget.name,
                    field,
                    f"Widget {widget.label} reads flow.variables.{key} in {here}, but "
                    f"{setting}, so it renders as empty text. Set `{key}` in a Set Variables "
                    f"widget before this one, or correct the name.",
                )
            elif widget.name in cover.bare:
                yield MAYBE_UNSET.found(
                    widget.name,
                    field,
                    f"Widget {widget.label} reads flow.variables.{key} in {here}, but some "
                    f"paths from the trigger reach it without setting `{key}`, and there it "
                    f"renders as empty text. Set it on every path, or test it first "
                    f"({{% if flow.variables.{key} %}} or | default: …).",
                )


def own_earlier_keys(widget, field: str) -> set[str]:
    """Keys a Set Variables widget sets in items before the one at `field`: later items see
    them (studio-spec §4.3)."""
    parts = field.split(".")
    if widget.type != "set-variables" or parts[:2] != ["properties", "variables"]:
        return set()
    items = widget.properties.get("variables")
    n = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
    return {
        item.get("key")
        for item in (items[:n] if isinstance(items, list) else [])
        if isinstance(item, dict) and isinstance(item.get("key"), str)
    }
