"""Rebasing an edit made on an older version of a flow onto the changes made since
(docs/protocol.md, "Concurrent edits"). Pure Python, no Django.

Each operation touches fields, named as paths: `NAME`, `NAME/properties/KEY`,
`NAME/transitions/2`, `flow/description`, or `*` for a change that replaced the document.
Two paths conflict when one is the other or lies under it. An operation that touches a
field some change since its base touched is dropped: the change that reached the server
first wins. References to widgets renamed since follow the new names.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .edits import reference_rewriter

EVERYTHING = "*"


def touched(op: dict[str, Any]) -> list[str]:
    """The fields an operation writes."""
    kind = op.get("op")
    name = str(op.get("name", ""))
    if kind == "add_widget":
        state = op.get("state") if isinstance(op.get("state"), dict) else {}
        return [str(state.get("name", ""))]
    if kind == "set_properties":
        keys = list(op.get("set") or {}) + list(op.get("unset") or [])
        return [f"{name}/properties/{key}" for key in keys]
    if kind == "update_widget":
        parts = [p for p in ("properties", "transitions", "offset") if p in op]
        return [f"{name}/{part}" for part in parts]
    if kind == "move_widgets":
        return [f"{moved}/offset" for moved in (op.get("offsets") or {})]
    if kind == "connect":
        return [f"{name}/transitions/{op.get('index')}"]
    if kind == "rename_widget":
        return [f"{name}/name"]
    if kind == "delete_widgets":
        return [str(n) for n in op.get("names") or []]
    if kind == "update_flow":
        keys = [k for k in ("description", "allow_concurrent_calls") if k in op]
        return [f"flow/{key}" for key in keys]
    return [EVERYTHING]


def conflicts(a: str, b: str) -> bool:
    if EVERYTHING in (a, b):
        return True
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


@dataclass
class Since:
    """What the changes since an edit's base did: the fields they touched (with who touched
    each last) and the renames, oldest first."""

    # field -> (who touched it last, the operation that did)
    touches: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    renames: list[tuple[str, str]] = field(default_factory=list)

    def add(self, ops: list[dict[str, Any]] | None, author: str | None) -> None:
        if ops is None:
            self.touches[EVERYTHING] = (author, "replace")
            return
        for op in ops:
            for path in touched(op):
                self.touches[path] = (author, str(op.get("op")))
            if op.get("op") == "rename_widget":
                self.renames.append((str(op.get("name")), str(op.get("new_name"))))
                # The renamed widget's fields are the same fields under its new name.
                old, new = self.renames[-1]
                for path, who in list(self.touches.items()):
                    if path == old or path.startswith(old + "/"):
                        self.touches[new + path[len(old) :]] = who

    def current_name(self, name: str) -> str:
        for old, new in self.renames:
            if name == old:
                name = new
        return name

    def clash(self, paths: Iterable[str]) -> tuple[str, str | None, str] | None:
        """The first field of `paths` a change since touched: (field, who, how)."""
        for path in paths:
            for other, (who, kind) in self.touches.items():
                if conflicts(path, other):
                    return path, who, kind
        return None


def renamed(op: dict[str, Any], since: Since) -> dict[str, Any]:
    """The operation with every widget it names under its current name."""
    if not since.renames:
        return op
    op = copy.deepcopy(op)
    now = since.current_name
    if isinstance(op.get("name"), str):
        op["name"] = now(op["name"])
    if isinstance(op.get("next"), str):
        op["next"] = now(op["next"])
    if isinstance(op.get("names"), list):
        op["names"] = [now(n) if isinstance(n, str) else n for n in op["names"]]
    if isinstance(op.get("offsets"), dict):
        op["offsets"] = {now(n): offset for n, offset in op["offsets"].items()}
    for old, new in since.renames:
        # Liquid written before the rename still says widgets.OLD.
        rewrite = reference_rewriter(old, new)
        for key in ("set", "properties"):
            if isinstance(op.get(key), dict):
                op[key] = rewrite(op[key])
    for holder in (op, op.get("state") if isinstance(op.get("state"), dict) else {}):
        transitions = holder.get("transitions")
        if isinstance(transitions, list):
            holder["transitions"] = [
                {**t, "next": now(t["next"])}
                if isinstance(t, dict) and isinstance(t.get("next"), str)
                else t
                for t in transitions
            ]
    return op


CHANGED = "{who} changed {field} first"
REASONS = {
    "delete_widgets": "{who} deleted {widget} meanwhile",
    "add_widget": "{who} added a widget named {widget} meanwhile",
    "replace": "{who} replaced the whole flow meanwhile",
}


@dataclass
class Dropped:
    index: int
    op: dict[str, Any]
    field: str
    reason: str
    by: str | None = None
    value: Any = None
    # False for an operation that no longer applies (its widget went meanwhile): nobody's
    # value won over it, so none is given (the canvas then says it was not applied, and why).
    conflict: bool = True

    def as_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "op": self.op,
            "field": self.field,
            "reason": self.reason,
            "value": self.value,
            "by": self.by,
        }


def free_name(name: str, taken: set[str]) -> str:
    """Studio's naming for a widget added under a name someone took meanwhile: its prefix
    (the name without its number) and the smallest free number, as the canvas names a new
    widget (editor/frontend/src/catalogue.js `freeName`)."""
    stem = name.rstrip("0123456789")
    prefix = stem if stem.endswith("_") else f"{stem}_"
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def narrowed(op: dict[str, Any], lost: list[str]) -> dict[str, Any] | None:
    """The operation without the parts that write the fields in `lost`, or None when nothing
    of it is left. A move of several widgets, a delete of several, or a set of several
    properties is one write per widget or key: one of them lost to someone else's change
    leaves the others standing (a multi-selection moved while someone moved one of it)."""

    def gone(path: str) -> bool:
        return any(conflicts(path, f) for f in lost)

    kind = op.get("op")
    if kind == "move_widgets" and isinstance(op.get("offsets"), dict):
        offsets = {n: o for n, o in op["offsets"].items() if not gone(f"{n}/offset")}
        return {**op, "offsets": offsets} if offsets else None
    if kind == "delete_widgets" and isinstance(op.get("names"), list):
        names = [n for n in op["names"] if not gone(str(n))]
        return {**op, "names": names} if names else None
    if kind == "set_properties" and isinstance(op.get("set") or {}, dict):
        key = f"{op.get('name')}/properties/{{}}".format
        values = {k: v for k, v in (op.get("set") or {}).items() if not gone(key(k))}
        unset = [k for k in op.get("unset") or [] if not gone(key(k))]
        return {**op, "set": values, "unset": unset} if values or unset else None
    return None if any(gone(path) for path in touched(op)) else op


def added_name(op: Any) -> str | None:
    """The name of the widget an add_widget adds, else None."""
    if isinstance(op, dict) and op.get("op") == "add_widget" and isinstance(op.get("state"), dict):
        return str(op["state"].get("name", ""))
    return None


def added_names(ops: list[dict[str, Any]]) -> set[str]:
    return {touched(op)[0] for op in ops if isinstance(op, dict) and op.get("op") == "add_widget"}


def rebase(
    ops: list[dict[str, Any]],
    since: Since,
    taken: set[str] | None = None,
    author: str | None = None,
) -> tuple[list[tuple[int, dict[str, Any]]], list[Dropped], dict[str, str]]:
    """The operations that still apply, renamed, each with its index in the edit; those
    dropped for a conflict; and the widgets this edit adds that were renamed. With `taken`
    (the names in the flow now), a widget added under a name someone else's new widget took
    meanwhile is added under a free name instead of being dropped, and the rest of the edit
    follows it: both people's new widgets survive. Not when `author` (the sender) added it:
    an edit sent again after a lost connection meets itself, and must not add a copy."""
    kept: list[tuple[int, dict[str, Any]]] = []
    dropped: list[Dropped] = []
    # This edit's own widgets, renamed: all of them first, so that a transition pointing at
    # one added later in the edit (a pasted fragment's) follows it too.
    own = Since()
    if taken is not None:
        taken = taken | added_names(ops)
        for op in ops:
            name = added_name(renamed(op, since))
            clash = since.clash([name]) if name is not None else None
            if clash and clash[0] == name and clash[2] == "add_widget" and clash[1] != author:
                new = free_name(name, taken)
                taken.add(new)
                own.renames.append((name, new))
    fresh = dict(own.renames)
    for index, op in enumerate(ops):
        current = renamed(renamed(op, since), own)
        if added_name(current) in fresh:
            current = copy.deepcopy(current)
            current["state"]["name"] = fresh[current["state"]["name"]]
        clashes = [c for c in (since.clash([path]) for path in touched(current)) if c]
        rest = narrowed(current, [c[0] for c in clashes]) if clashes else current
        if rest is not None:
            kept.append((index, rest))
        for path, who, kind in clashes:
            reason = REASONS.get(kind, CHANGED).format(
                who=who or "someone", field=path, widget=path.split("/")[0]
            )
            dropped.append(Dropped(index, op, path, reason, who))
    return kept, dropped, dict(own.renames)


def value_at(document: dict[str, Any], path: str) -> Any:
    """The value a field holds now (what won a conflict), or None."""
    if path == EVERYTHING:
        return None
    head, _, rest = path.partition("/")
    if head == "flow":
        flags = document.get("flags") or {}
        return document.get(rest) if rest == "description" else flags.get(rest)
    state = next((s for s in document.get("states", []) if s.get("name") == head), None)
    if state is None or not rest:
        return None
    part, _, key = rest.partition("/")
    if part == "properties":
        props = {k: v for k, v in (state.get("properties") or {}).items() if k != "offset"}
        return props.get(key) if key else props
    if part == "offset":
        return (state.get("properties") or {}).get("offset")
    if part == "transitions":
        transitions = state.get("transitions") or []
        return transitions[int(key)] if key.isdigit() and int(key) < len(transitions) else None
    return head if part == "name" else None
