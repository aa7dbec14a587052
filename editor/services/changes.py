"""The flow's change log (editor/models/changes.py): recording each change to the working
copy, reading what changed since a version, and telling every canvas of the flow."""

from __future__ import annotations

from typing import Any

from .. import realtime
from ..flowspec.rebase import Since
from ..flowspec.summary import summarise
from ..models import Flow, FlowChange, Profile

# The most changes an edit is rebased over; a canvas further behind reloads.
MAX_CATCH_UP = 1000


def person(user: Any) -> dict[str, Any] | None:
    """A user as the protocol names them: id, display name, avatar colour."""
    if not getattr(user, "pk", None):
        return None
    profile = Profile.objects.filter(user=user).first()
    name = profile.name if profile else user.get_username()
    colour = profile.colour_hex if profile else "#64748b"
    return {"id": user.pk, "name": name, "colour": colour}


def stored_problems(flow: Flow) -> list[dict[str, Any]]:
    """The flow's recorded errors, then warnings, as the canvas shows them (rows stored
    before hints existed fall back to the message)."""
    return [
        {
            **item,
            "hint": item.get("hint") or item.get("message", ""),
            "severity": severity,
            # Stored problems never block: a blocking one refuses the write instead.
            "blocking": False,
        }
        for severity, items in (("error", flow.errors), ("warning", flow.warnings))
        for item in items
    ]


def change_json(change: FlowChange, problems: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "version": change.version,
        "author": person(change.author),
        "ops": change.ops,
        "summary": change.summary,
        "source": change.source,
        "problems": problems,
    }


def record_change(
    flow: Flow,
    ops: list[dict[str, Any]] | None,
    *,
    source: str,
    author: Any,
    problems: list[dict[str, Any]],
    summary: str = "",
) -> FlowChange:
    """Log the change that made `flow.version` (inside the caller's transaction) and
    announce it once that transaction commits. `ops` None: the document was replaced."""
    change = FlowChange.objects.create(
        flow=flow,
        version=flow.version,
        author=author if getattr(author, "pk", None) else None,
        source=source,
        ops=ops,
        summary=summary or summarise(ops, source),
    )
    realtime.flow_changed(flow.sid, change_json(change, problems))
    return change


def since(flow: Flow, base: int) -> Since | None:
    """What changed after version `base`, or None if the log cannot tell (older than the log,
    or too far behind): the edit cannot be rebased."""
    if flow.version - base > MAX_CATCH_UP:
        return None
    rows = list(
        FlowChange.objects.filter(flow=flow, version__gt=base)
        .select_related("author__profile")
        .order_by("version")
    )
    if len(rows) != flow.version - base:
        return None
    found = Since()
    for row in rows:
        found.add(row.ops, display_name(row.author))
    return found


def display_name(user: Any) -> str | None:
    if user is None:
        return None
    profile = getattr(user, "profile", None)
    return profile.name if profile else user.get_username()


def changes_after(flow: Flow, after: int) -> tuple[list[dict[str, Any]], bool]:
    """The changes after version `after` for a canvas catching up, and whether it must
    reload instead (the log cannot bridge the gap, or a change replaced the document)."""
    if flow.version - after > MAX_CATCH_UP:
        return [], True
    # Up to the version read: a change committed since is broadcast, and is no gap.
    rows = list(
        FlowChange.objects.filter(flow=flow, version__gt=after, version__lte=flow.version)
        .select_related("author__profile")
        .order_by("version")
    )
    if len(rows) != flow.version - after or any(row.ops is None for row in rows):
        return [], True
    return [change_json(row, []) for row in rows], False


def settings_changed(flow: Flow, published_revision: int | None) -> None:
    realtime.flow_updated(
        flow.sid,
        {
            "friendly_name": flow.friendly_name,
            "status": flow.status,
            "revision": flow.revision,
            "published_revision": published_revision,
            "test_users": list(flow.test_users or []),
        },
    )
