"""`flow.variables.KEY` read where no Set Variables before it sets KEY."""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context, where
from .finding import Finding, Rule
from .flow import Flow
from .graph import reverse_postorder

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
    """Which keys are set before each widget on some path (`some`) and on every path
    (`every`) from the trigger: a forward data flow over bit sets (one bit per key), in
    reverse postorder until nothing changes, so it costs a few passes over the transitions
    however many keys the flow has."""

    def __init__(self, flow: Flow, keys: dict[str, list[str]]) -> None:
        self.bit = {key: 1 << n for n, key in enumerate(keys)}
        sets: dict[str, int] = {}
        for key, names in keys.items():
            for name in names:
                sets[name] = sets.get(name, 0) | self.bit[key]
        self.some: dict[str, int] = {}
        self.every: dict[str, int] = {}
        if flow.trigger is None:
            return
        root = flow.trigger.name
        order = reverse_postorder(flow.edges, root)
        preds: dict[str, list[str]] = {n: [] for n in order}
        for name in order:
            for nxt in flow.successors(name):
                if nxt in preds:
                    preds[nxt].append(name)
        everything = (1 << len(keys)) - 1
        some = {n: 0 for n in order}
        every = {n: everything for n in order}
        every[root] = 0
        changed = True
        while changed:
            changed = False
            for name in order[1:]:
                may, must = 0, everything
                for p in preds[name]:
                    gen = sets.get(p, 0)
                    may |= some[p] | gen
                    must &= every[p] | gen
                if may != some[name] or must != every[name]:
                    some[name], every[name] = may, must
                    changed = True
        self.some, self.every = some, every

    def state(self, key: str, widget: str) -> str:
        """Whether `key` is "set" before `widget`, set on "some" paths only, or "unset"."""
        bit = self.bit.get(key, 0)
        if not bit & self.some.get(widget, 0):
            return "unset"
        return "set" if bit & self.every.get(widget, 0) else "some"


def check(ctx: Context) -> Iterator[Finding]:
    flow = ctx.flow
    keys = setters(flow)
    cover = Coverage(flow, keys)
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
            here = where(widget, field)
            state = cover.state(key, widget.name)
            if state == "unset":
                listed = ", ".join(f"`{n}`" for n in names[:3]) + (", …" if len(names) > 3 else "")
                setting = (
                    f"the Set Variables widgets that set it ({listed}) never run before it"
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
            elif state == "some":
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
    them (docs/studio-semantics.md)."""
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
