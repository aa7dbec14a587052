"""Pushing a flow to its team's Twilio account: created there the first time, a new
revision of the same remote flow after that, refused (with the difference) when the remote
flow changed since the last pull or push unless forced. See sync.py for the mapping.

Two pushes of one flow at once (two pages, a page and the command) would both find no
twin and both create one: a push first takes the flow's PushClaim, a row whose primary key
is the flow, inserted in a short transaction of its own (no transaction is held open over
Twilio's API). The second push waits for the first to finish, then finds the twin it
created and updates it (or finds it up to date). A claim left by a killed process is taken
over once it is older than any push can take (`claim_stale_after`)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from .. import twilio_studio
from ..flowspec.diff import difference
from ..models import Flow, PushClaim, RemoteFlow, Status, definition_hash
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
    connection_of(flow.team)  # refused at once when the team is not connected
    with claimed(flow):
        return push_claimed(flow, publish=publish, message=message, force=force)


def claim_stale_after() -> timedelta:
    """Longer than any push takes: its two requests to Twilio, each bounded in time."""
    return timedelta(seconds=4 * float(getattr(settings, "TWILIO_HTTP_TIMEOUT", 10)) + 10)


@contextmanager
def claimed(flow: Flow, poll: float = 0.05) -> Iterator[None]:
    """Hold the flow's PushClaim for the block: wait while another push holds it, take
    over one older than claim_stale_after()."""
    token = secrets.token_hex(16)
    while True:
        now = timezone.now()
        try:
            with transaction.atomic():
                PushClaim.objects.create(flow=flow, token=token, date_created=now)
            break
        except IntegrityError:
            stale = PushClaim.objects.filter(flow=flow, date_created__lt=now - claim_stale_after())
            if not stale.delete()[0]:
                time.sleep(poll)
    try:
        yield
    finally:
        PushClaim.objects.filter(flow=flow, token=token).delete()


def push_claimed(flow: Flow, *, publish: bool, message: str | None, force: bool) -> Synced:
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
            current = remote(
                twilio_studio.fetch_flow,
                connection,
                mapping.remote_sid,
                whole=False,
                users=bool(flow.test_users),
            )
        except RemoteGone:
            notes.append(f"{mapping.remote_sid} was deleted on Twilio; pushed as a new flow.")
        else:
            sid = current.sid
            refuse_over_remote_change(flow, mapping, current, definition, force)
            if up_to_date(flow, mapping, current, publish):
                # Test users are no part of a revision (nor of the flow's version): changed
                # alone, they are sent alone.
                if flow.test_users and list(flow.test_users) != current.test_users:
                    remote(twilio_studio.set_test_users, connection, sid, list(flow.test_users))
                    notes.append(f"The test users of {sid} on Twilio are this flow's now.")
                return Synced(flow, sid, current.latest.revision, changed=False, notes=notes)
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
    if written.test_users_failed:
        notes.append(
            f"{written.sid} was written, but its test users were not set on Twilio "
            f"({written.test_users_failed}): set them in Twilio's Console, or the next push of a "
            "change sends them again."
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
