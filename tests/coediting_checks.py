"""What must hold once co-editing has settled (tests/test_coediting_convergence.py): the change
log replays to the working copy, every acknowledged edit is in the log as acknowledged, and
no acknowledged edit is lost: each field it wrote still holds what it wrote, or a later
change touched that field (docs/protocol.md, "Concurrent edits": a field is NAME,
NAME/properties/KEY, NAME/transitions/2 …, and one conflicts with the fields under it).

A field is followed through later renames (its path and the widget names in its value, as
rename_widget rewrites them) and through deletions of the widgets its transitions led to
(delete_widgets unwires them): those change how the value is written, not what it says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from editor.flowspec.edits import reference_rewriter
from editor.flowspec.rebase import Since, value_at
from editor.models import Flow, FlowChange
from tests.coediting_client import Document, Ops, applied


@dataclass
class Effect:
    """A field as an acknowledged change left it."""

    version: int
    author: str
    path: str
    value: Any


@dataclass
class Tally:
    """The fields written by acknowledged changes: still as written at the end, changed by a
    later change that touched them, and lost (described)."""

    kept: int = 0
    superseded: int = 0
    lost: list[str] = field(default_factory=list)


def field_value(document: Document, path: str) -> Any:
    name, _, rest = path.partition("/")
    if name == "flow":
        return value_at(document, path)
    state = next((s for s in document["states"] if s["name"] == name), None)
    if state is None or not rest:
        return state
    if rest == "name":
        return name
    if rest == "transitions":
        return state["transitions"]
    if rest == "properties":
        return {k: v for k, v in (state.get("properties") or {}).items() if k != "offset"}
    return value_at(document, path)


def renamed(value: Any, old: str, new: str) -> Any:
    """`value` as rename_widget(old, new) rewrites it."""
    rewrite = reference_rewriter(old, new)
    if isinstance(value, dict):
        return {
            k: new if k in ("name", "next") and v == old else renamed(v, old, new)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [renamed(v, old, new) for v in value]
    return rewrite(value)


def unwired(value: Any, doomed: set[str]) -> Any:
    """`value` with the transitions to deleted widgets unwired, as delete_widgets does."""
    if isinstance(value, dict):
        out = {k: unwired(v, doomed) for k, v in value.items()}
        if "event" in out and out.get("next") in doomed:
            del out["next"]
        return out
    if isinstance(value, list):
        return [unwired(v, doomed) for v in value]
    return value


def moved_path(path: str, old: str, new: str) -> str:
    head, sep, rest = path.partition("/")
    return new + sep + rest if head == old else path


def replayed(flow: Flow) -> tuple[list[FlowChange], dict[int, Document]]:
    """The change log and the document at every version, replayed from it (a change that
    replaced the document is read from the revision it made)."""
    changes = list(FlowChange.objects.filter(flow=flow).order_by("version"))
    versions = [c.version for c in changes]
    assert versions == list(range(1, flow.version + 1)), f"the log has versions {versions}"
    replaced = {r.version: r.definition for r in flow.revisions.all()}
    documents: dict[int, Document] = {}
    document: Document = {}
    for change in changes:
        document = replaced[change.version] if change.ops is None else applied(document, change.ops)
        documents[change.version] = document
    return changes, documents


def effects_of(change: FlowChange, after: Document) -> list[Effect]:
    since = Since()
    since.add(change.ops, None)
    who = change.author.get_username() if change.author else "?"
    return [Effect(change.version, who, path, field_value(after, path)) for path in since.touches]


def tally_effects(changes: list[FlowChange], documents: dict[int, Document]) -> Tally:
    """Follow every field each change wrote to the end of the log."""
    tally = Tally()
    live: list[Effect] = []
    for change in changes:
        if change.ops is None:
            tally.superseded += len(live)  # replaced the whole document: touched everything
            live = []
            continue
        live = [e for e in live if still_there(e, change, documents[change.version], tally)]
        live += effects_of(change, documents[change.version])
    tally.kept = len(live)
    return tally


def still_there(effect: Effect, change: FlowChange, after: Document, tally: Tally) -> bool:
    """Follow `effect` through `change`: False once a change touched its field."""
    ops: Ops = change.ops or []
    written = effect.path
    for op in ops:
        if op["op"] == "rename_widget":
            effect.path = moved_path(effect.path, op["name"], op["new_name"])
            effect.value = renamed(effect.value, op["name"], op["new_name"])
            if effect.path.endswith("/name") and effect.value is not None:
                effect.value = effect.path.split("/")[0]
        elif op["op"] == "delete_widgets":
            effect.value = unwired(effect.value, set(op["names"]))
    if field_value(after, effect.path) == effect.value:
        return True
    since = Since()
    since.add(ops, None)
    if since.clash([effect.path]) or since.clash([written]):
        tally.superseded += 1
        return False
    tally.lost.append(
        f"{effect.path} as {effect.author} set it at version {effect.version} "
        f"({effect.value!r:.200}) became {field_value(after, effect.path)!r:.200} at version "
        f"{change.version} ({change.summary}: {ops!r:.300}), which does not touch it"
    )
    return False
