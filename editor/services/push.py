"""Pushing a flow to its team's Twilio account: created there the first time, a new
revision of the same remote flow after that, refused (with the difference) when the remote
flow changed since the last pull or push unless forced. See sync.py for the mapping."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.defaultfilters import pluralize

from .. import twilio_studio
from ..flowspec.diff import difference
from ..models import Flow, RemoteFlow, Status, definition_hash
from ..twilio_studio import RemoteRevision, RemoteSnapshot
from .sync import (
    RemoteGone,
    SyncConflict,
    Synced,
    SyncRefused,
    connection_of,
    mapping_of,
    remember,
    remote,
)


def push_flow(
    flow: Flow,
    *,
    publish: bool = False,
    message: str | None = None,
    force: bool = False,
) -> Synced:
    """Write the flow's working copy to its twin in the account (created if it has none),
    as a draft, or published there when asked; the local flow itself is not changed."""
    connection = connection_of(flow.team)
    if flow.errors:
        count = len(flow.errors)
        raise SyncRefused(
            f"{flow.friendly_name} has {count} problem{pluralize(count)} to fix first: "
            "Twilio's API refuses a flow with errors."
        )
    mapping = mapping_of(flow, connection)
    version, definition = flow.version, flow.definition()
    sid, notes = None, []
    if mapping is not None:
        try:
            current = remote(twilio_studio.fetch_flow, connection, mapping.remote_sid, whole=False)
        except RemoteGone:
            notes.append(f"{mapping.remote_sid} was deleted on Twilio; pushed as a new flow.")
        else:
            sid = current.sid
            refuse_over_remote_change(flow, mapping, current, definition, force)
            if up_to_date(flow, mapping, current, publish):
                return Synced(flow, sid, current.latest.revision, changed=False)
    written = remote(
        twilio_studio.write_flow,
        connection,
        sid,
        friendly_name=flow.friendly_name,
        definition=definition,
        status=Status.PUBLISHED if publish else Status.DRAFT,
        commit_message=message or f"Pushed from {flow.sid} (revision {flow.revision})",
        test_users=list(flow.test_users),
    )
    latest = RemoteRevision(written.revision, written.status, written.definition, None)
    snapshot = RemoteSnapshot(
        written.sid, flow.friendly_name, written.date_updated, latest, None, []
    )
    with transaction.atomic():
        remember(flow, connection, snapshot, "push")
        # What was pushed is the version read before the call, even if the canvas moved on.
        RemoteFlow.objects.filter(flow=flow).update(local_version=version)
    return Synced(flow, written.sid, written.revision, created=sid is None, notes=notes)


def refuse_over_remote_change(
    flow: Flow,
    mapping: RemoteFlow,
    current: RemoteSnapshot,
    definition: dict[str, Any],
    force: bool,
) -> None:
    """A push may not silently replace what someone saved on Twilio since the last sync."""
    if force or definition_hash(current.latest.definition) == mapping.remote_hash:
        return
    raise SyncConflict(
        f"{current.sid} changed on Twilio since it was last pulled or pushed (revision "
        f"{mapping.remote_revision}, now {current.latest.revision}); pushing would replace "
        "that change.",
        difference(current.latest.definition, definition),
    )


def up_to_date(flow: Flow, mapping: RemoteFlow, current: RemoteSnapshot, publish: bool) -> bool:
    """Neither side changed since the last sync (a forced push over a remote change is not
    up to date), and nothing else was asked for."""
    if mapping.local_changed() or current.friendly_name != flow.friendly_name:
        return False
    if definition_hash(current.latest.definition) != mapping.remote_hash:
        return False
    return not publish or current.latest.status == Status.PUBLISHED
