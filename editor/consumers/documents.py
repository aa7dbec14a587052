"""Co-editing messages (docs/protocol.md, "Co-editing"), as plain synchronous functions the
consumer runs in a thread: each calls one service and returns the frame to answer with."""

from __future__ import annotations

from typing import Any

from ..models import Flow
from ..services import EditConflict, EditRefused, apply_edit
from ..services.changes import changes_after, stored_problems
from .commands import Refused


def edit(flow: Flow, frame: dict[str, Any], user: Any) -> dict[str, Any]:
    try:
        edited = apply_edit(flow, base_version=frame["base"], ops=frame["ops"], user=user)
    except EditConflict as exc:
        raise Refused("conflict", f"{exc} Reload the flow to go on.") from None
    except EditRefused as exc:
        raise Refused("invalid", str(exc)) from None
    return {
        "type": "doc.ack",
        "version": edited.version,
        "ops": edited.ops,
        "dropped": [item.as_json() for item in edited.dropped],
        "renamed": edited.renamed,
        "problems": [p.as_json() for p in edited.problems],
    }


def sync(flow: Flow, after: int) -> dict[str, Any]:
    current = Flow.objects.get(pk=flow.pk)
    if after > current.version:
        raise Refused("invalid", f"The flow is at version {current.version}, not {after}")
    changes, reload = changes_after(current, after)
    if changes:
        changes[-1]["problems"] = stored_problems(current)
    return {"type": "doc.changes", "version": current.version, "changes": changes, "reload": reload}


def version_of(flow: Flow) -> int:
    return Flow.objects.filter(pk=flow.pk).values_list("version", flat=True).first() or 0
