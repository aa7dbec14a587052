"""Canvas edits: operations applied to the working copy, each based on a version.

An edit names the version of the working copy it was made on. If someone else changed the
flow since, the edit is refused with who changed it and when, and nothing is written; the
canvas keeps the user's work and offers to reapply it on the new version.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ..flowspec.edits import EditRefused, Working, apply
from ..flowspec.problems import Problem, errors_of, warnings_of

__all__ = ["EditConflict", "EditRefused", "Edited", "apply_edit"]
from ..flowspec.studio_json import State, join_document
from ..flowspec.validate import validate
from ..models import Flow, Widget


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


def apply_edit(flow: Flow, *, base_version: Any, ops: Any, user: Any) -> Edited:
    with transaction.atomic():
        locked = (
            Flow.objects.select_for_update(of=("self",)).select_related("edited_by").get(pk=flow.pk)
        )
        if base_version != locked.version:
            raise EditConflict(locked, base_version)
        rows = locked.widgets.values_list("position", *Widget.STATE_FIELDS)
        working = Working(
            states=[State(*row[1:]) for row in rows],
            head=locked.head,
            positions={row[1]: row[0] for row in rows},
        )
        apply(working, copy.deepcopy(ops))
        found = validate(join_document(working.head, working.states))
        blocking = [p for p in found if p.blocking]
        if blocking:
            # The working copy must stay a storable flow; this edit would break its shape.
            first = blocking[0]
            raise EditRefused(f"{first.hint} ({first.property_path}: {first.message})")
        write(locked, working)
        errors = errors_of(found)
        locked.version += 1
        locked.edited_by = user if getattr(user, "pk", None) else None
        locked.valid = not errors
        locked.errors = [p.as_record() for p in errors]
        locked.warnings = [p.as_record() for p in warnings_of(found)]
        locked.save()
    return Edited(locked.version, found)


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
