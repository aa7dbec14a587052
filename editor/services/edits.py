"""Canvas edits: operations applied to the working copy, each based on a version.

An edit names the version of the working copy it was made on. If others changed the flow
since, it is rebased onto their changes (editor/flowspec/rebase.py, docs/protocol.md
"Concurrent edits"): what touches other widgets or other fields applies, what touches a
field changed meanwhile is dropped and reported with the value that won. Every change is
logged and announced to the flow's canvases (editor/services/changes.py). Only an edit
older than the log can bridge is refused (EditConflict), and the canvas reloads.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ..flowspec.edits import EditRefused, Working, apply
from ..flowspec.problems import Problem, errors_of, warnings_of
from ..flowspec.rebase import Dropped, rebase, touched, value_at

__all__ = ["EditConflict", "EditRefused", "Edited", "apply_edit"]
from .. import realtime
from ..flowspec.studio_json import State, join_document
from ..flowspec.validate import validate
from ..models import Flow, Widget, WidgetMock
from .changes import display_name, record_change, since


class EditConflict(Exception):
    """The edit was based on an older version of the flow."""

    def __init__(self, flow: Flow, base_version: Any) -> None:
        editor = flow.edited_by.get_username() if flow.edited_by else "Someone"
        when = flow.date_updated.strftime("%H:%M:%S UTC") if flow.date_updated else "just now"
        self.version = flow.version
        self.editor = editor
        super().__init__(
            f"{editor} changed this flow at {when} (it is now at version {flow.version}; "
            f"your change was made on version {base_version}). Your change was not saved."
        )


@dataclass(frozen=True)
class Edited:
    version: int
    # Errors and warnings alike, as Problems: the editor API sends their severity and hint.
    problems: list[Problem]
    # The operations as applied (renamed onto the current version), and those dropped.
    ops: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    # Widgets the edit added under a name someone else's new widget took meanwhile: old -> new.
    renamed: dict[str, str] = field(default_factory=dict)


def apply_edit(
    flow: Flow, *, base_version: Any, ops: Any, user: Any, source: str = "canvas"
) -> Edited:
    """Apply an edit made on version `base_version`. On the current version it applies
    whole or not at all; on an older one it is rebased onto the changes made since
    (editor/flowspec/rebase.py) and what no longer applies is dropped and reported."""
    if not isinstance(base_version, int) or isinstance(base_version, bool) or base_version < 0:
        raise EditRefused("base_version is the version of the flow the edit was made on")
    if not isinstance(ops, list) or not ops:
        raise EditRefused("An edit is a non-empty list of operations")
    with transaction.atomic():
        locked = (
            Flow.objects.select_for_update(of=("self",)).select_related("edited_by").get(pk=flow.pk)
        )
        if base_version > locked.version:
            raise EditRefused(f"The flow is at version {locked.version}, not {base_version}")
        rows = locked.widgets.values_list("position", *Widget.STATE_FIELDS)
        working = Working(
            states=[State(*row[1:]) for row in rows],
            head=locked.head,
            positions={row[1]: row[0] for row in rows},
        )
        if base_version == locked.version:
            apply(working, copy.deepcopy(ops))
            applied, dropped, renames = ops, [], {}
        else:
            applied, dropped, renames = rebased(locked, working, base_version, ops, user)
        document = join_document(working.head, working.states)
        for item in dropped:
            item.value = value_at(document, item.field) if item.conflict else None
        if not applied:
            return Edited(locked.version, validate(document), [], dropped)
        found = validate(document)
        blocking = [p for p in found if p.blocking]
        if blocking:
            # The working copy must stay a storable flow; this edit would break its shape.
            first = blocking[0]
            raise EditRefused(f"{first.hint} ({first.property_path}: {first.message})")
        write(locked, working)
        follow_renames(locked, applied, user)
        errors = errors_of(found)
        locked.version += 1
        locked.edited_by = user if getattr(user, "pk", None) else None
        locked.valid = not errors
        locked.errors = [p.as_record() for p in errors]
        locked.warnings = [p.as_record() for p in warnings_of(found)]
        locked.save()
        problems = [p.as_json() for p in found]
        record_change(locked, applied, source=source, author=user, problems=problems)
    return Edited(locked.version, found, applied, dropped, renames)


def rebased(
    flow: Flow, working: Working, base: int, ops: list[dict[str, Any]], user: Any = None
) -> tuple[list[dict[str, Any]], list[Dropped], dict[str, str]]:
    """Apply what still applies of an edit made on an older version, one operation at a
    time: a conflict or an operation that no longer fits drops that operation only."""
    changed = since(flow, base)
    if changed is None:
        raise EditConflict(flow, base)
    for op in ops:
        if not isinstance(op, dict) or not isinstance(op.get("op"), str):
            raise EditRefused(f"Unknown operation {op!r:.60}")
    kept, dropped, renames = rebase(ops, changed, working.names(), display_name(user))
    applied = []
    for index, op in kept:
        try:
            apply(working, [copy.deepcopy(op)])
        except EditRefused as exc:
            field = (touched(op) or ["*"])[0]
            dropped.append(Dropped(index, ops[index], field, str(exc), conflict=False))
            continue
        applied.append(op)
    dropped.sort(key=lambda item: item.index)
    added = {op["state"]["name"] for op in applied if op.get("op") == "add_widget"}
    return applied, dropped, {old: new for old, new in renames.items() if new in added}


def write(flow: Flow, working: Working) -> None:
    """Only the rows that changed are written; positions keep the widgets' order."""
    if working.head_changed:
        flow.head = working.head
    gone = working.deleted | working.changed
    if gone:
        flow.widgets.filter(name__in=gone).delete()
    Widget.objects.bulk_create(
        Widget(
            flow=flow,
            position=working.positions[state.name],
            name=state.name,
            type=state.type,
            properties=state.properties,
            offset=state.offset,
            transitions=state.transitions,
            extra=state.extra,
        )
        for state in working.states
        if state.name in working.changed
    )


def follow_renames(flow: Flow, ops: list[dict[str, Any]], user: Any) -> None:
    """A renamed Make HTTP Request or Run Function keeps its test-run mock (mocks are kept
    by widget name; docs/protocol.md, "Mocks"), and the flow's test panels hear of it."""
    moved = False
    for op in ops:
        if op.get("op") != "rename_widget":
            continue
        mocks = WidgetMock.objects.filter(flow=flow, widget=op["name"])
        if not mocks.exists():
            continue
        moved = True
        new_name = op["new_name"]
        WidgetMock.objects.filter(flow=flow, widget=new_name).delete()
        mocks.update(widget=new_name)  # as long as a widget name may be (models/mocks.py)
    if moved:
        name = (user.get_full_name() or user.get_username()) if getattr(user, "pk", None) else ""
        rows = WidgetMock.objects.filter(flow=flow)
        realtime.mocks_changed(flow.sid, {row.widget: row.as_json() for row in rows}, name)
