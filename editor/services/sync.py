"""Pulling a team's flows from its Twilio account (pushing them back is in push.py), and
what both share.

A pull imports a remote flow's latest published revision and, when the latest revision is
a newer draft, that draft after it, with the flow's test users; a flow pulled before gets
them as new revisions. A push creates the flow in the account or adds a revision to it.
Either way the pair is remembered (RemoteFlow) with what both sides looked like, so that
the next pull refuses to overwrite local changes made since, and the next push refuses to
overwrite a change made on Twilio since: each shows the difference and `force` overrides.

Every HTTP call (twilio_studio.py) is made before the local transaction opens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from .. import twilio_studio
from ..flowspec.diff import difference
from ..models import Flow, RemoteFlow, Status, Team, TwilioConnection, definition_hash
from ..twilio_studio import RemoteRevision, RemoteSnapshot, RemoteSummary
from .flows import FlowRejected, create_flow, set_test_users, update_flow

SOURCE = "twilio"


class SyncRefused(Exception):
    """Nothing was pulled or pushed; the message says why."""


class RemoteGone(SyncRefused):
    """The account has no flow with that SID (deleted there, or never there)."""


class SyncConflict(SyncRefused):
    """The other side changed too. `difference` says what the refused write would change."""

    def __init__(self, message: str, difference: list[str]) -> None:
        super().__init__(message)
        self.difference = difference


@dataclass
class Synced:
    """One flow pulled or pushed. `changed` is false when both sides were already equal."""

    flow: Flow
    remote_sid: str
    remote_revision: int
    created: bool = False
    changed: bool = True
    notes: list[str] = field(default_factory=list)


def connection_of(team: Team) -> TwilioConnection:
    connection = TwilioConnection.objects.filter(team=team).first()
    if connection is None:
        raise SyncRefused(f"{team.name} is not connected to a Twilio account.")
    return connection


def remote(action: Any, *args: Any, **kwargs: Any) -> Any:
    """A call to Twilio, its failures turned into refusals."""
    try:
        return action(*args, **kwargs)
    except twilio_studio.NoSuchRemoteFlow as exc:
        raise RemoteGone(str(exc)) from exc
    except twilio_studio.RemoteFailed as exc:
        raise SyncRefused(str(exc)) from exc


def mapping_of(flow: Flow, connection: TwilioConnection) -> RemoteFlow | None:
    """The flow's remote twin in the connected account (a mapping to another account, after
    a move or a change of connection, is no twin: a push creates a new flow there)."""
    mapping = RemoteFlow.objects.filter(flow=flow).first()
    return mapping if mapping and mapping.account_sid == connection.account_sid else None


def remote_flows(team: Team) -> list[tuple[RemoteSummary, Flow | None]]:
    """The account's flows, each with the team's flow it is mapped to, if any."""
    connection = connection_of(team)
    listed = remote(twilio_studio.list_flows, connection)
    mapped = {
        m.remote_sid: m.flow
        for m in RemoteFlow.objects.filter(
            flow__team=team, account_sid=connection.account_sid
        ).select_related("flow")
    }
    return [(summary, mapped.get(summary.sid)) for summary in listed]


# Pull


class Raced(Exception):
    """Another pull of the same remote flow committed while this one fetched it."""


def pull_flow(team: Team, sid: str, *, force: bool = False, author: Any = None) -> Synced:
    """Pull one remote flow. Two pulls of it at once (two pages, a page and the command)
    make one local flow: the writing transaction locks the team's row and looks again at
    the mapping it decided on; if the other pull changed it meanwhile, this one starts over
    and finds that flow."""
    for _ in range(3):
        try:
            return pull_once(team, sid, force=force, author=author)
        except Raced:
            continue
    raise SyncRefused("Other pulls of this flow kept running at the same time; try again.")


def mapping_in(team: Team, connection: TwilioConnection, remote_sid: str) -> RemoteFlow | None:
    return (
        RemoteFlow.objects.select_related("flow")
        .filter(flow__team=team, account_sid=connection.account_sid, remote_sid=remote_sid)
        .first()
    )


def lock_and_recheck(
    team: Team, connection: TwilioConnection, mapping: RemoteFlow | None, remote_sid: str
) -> None:
    """Inside the writing transaction: hold the team's pulls (a row lock on PostgreSQL;
    SQLite's IMMEDIATE transactions already hold the write lock), then make sure the mapping
    is still the one this pull read, and its flow the version it checked for local changes
    (the canvas's edits lock the flow's row too, services/edits.py): an edit saved since is
    found by the next round, which refuses to replace it."""
    Team.objects.select_for_update().filter(pk=team.pk).first()
    if mapping is not None:
        Flow.objects.select_for_update().filter(pk=mapping.flow_id).first()
    fresh = mapping_in(team, connection, remote_sid)
    seen = (mapping.pk, mapping.remote_hash, mapping.local_version) if mapping else None
    now = (fresh.pk, fresh.remote_hash, fresh.local_version) if fresh else None
    if seen != now or (mapping and fresh and mapping.flow.version != fresh.flow.version):
        raise Raced


def pull_once(team: Team, sid: str, *, force: bool, author: Any) -> Synced:
    connection = connection_of(team)
    snapshot = remote(twilio_studio.fetch_flow, connection, sid)
    mapping = mapping_in(team, connection, snapshot.sid)
    latest_hash = definition_hash(snapshot.latest.definition)
    if mapping is not None:
        flow = mapping.flow
        unchanged = (
            latest_hash == mapping.remote_hash and snapshot.latest.status == mapping.remote_status
        )
        # A forced pull over local changes brings Twilio's flow back even if it is unchanged.
        if unchanged and not (force and mapping.local_changed()):
            # Nothing new there (at most the same document saved again): local changes
            # stay unpushed, so only the remote side of the mapping moves on.
            with transaction.atomic():
                if flow.test_users != snapshot.test_users:
                    set_test_users(flow, snapshot.test_users)
                RemoteFlow.objects.filter(pk=mapping.pk).update(
                    remote_revision=snapshot.latest.revision,
                    remote_date_updated=snapshot.date_updated,
                )
            return Synced(flow, snapshot.sid, snapshot.latest.revision, changed=False)
        if mapping.local_changed() and not force:
            raise SyncConflict(
                f"{flow.friendly_name} changed here since it was last pulled or pushed; "
                "pulling would replace those changes.",
                difference(flow.definition(), snapshot.latest.definition),
            )
    notes: list[str] = []
    with transaction.atomic():
        lock_and_recheck(team, connection, mapping, snapshot.sid)
        flow = mapping.flow if mapping else None
        created = flow is None
        for revision in revisions_to_pull(snapshot, flow):
            flow = pull_revision(team, flow, snapshot.friendly_name, revision, author, notes)
        assert flow is not None
        set_test_users(flow, snapshot.test_users)
        remember(flow, connection, snapshot, "pull")
    return Synced(flow, snapshot.sid, snapshot.latest.revision, created=created, notes=notes)


def revisions_to_pull(snapshot: RemoteSnapshot, flow: Flow | None) -> list[RemoteRevision]:
    """The latest revision, after the latest published one when that is another revision
    (and not already what the local flow publishes)."""
    published = snapshot.published
    if published is None:
        return [snapshot.latest]
    live = flow.latest_published() if flow else None
    if live is not None and definition_hash(live.definition) == definition_hash(
        published.definition
    ):
        return [snapshot.latest]
    return [published, snapshot.latest]


def pull_revision(
    team: Team,
    flow: Flow | None,
    name: str,
    revision: RemoteRevision,
    author: Any,
    notes: list[str],
) -> Flow:
    """One remote revision as a new local revision; a published one this server finds
    errors in is kept as a draft (it cannot be published here), and a note says so."""
    message = f"Pulled from Twilio (revision {revision.revision})"
    if revision.commit_message:
        message = f"{message}: {revision.commit_message}"
    status = revision.status if revision.status in Status.values else Status.DRAFT
    try:
        with transaction.atomic():
            return save_revision(team, flow, name, revision.definition, status, message, author)
    except FlowRejected as exc:
        if status != Status.PUBLISHED:
            raise SyncRefused(
                f"Revision {revision.revision} cannot be stored here: {exc}."
            ) from exc
        notes.append(
            f"Revision {revision.revision} is published on Twilio, but it has {exc} here; "
            "it was kept as a draft."
        )
    return save_revision(team, flow, name, revision.definition, Status.DRAFT, message, author)


def save_revision(
    team: Team,
    flow: Flow | None,
    name: str,
    definition: dict[str, Any],
    status: str,
    message: str,
    author: Any,
) -> Flow:
    fields = {
        "friendly_name": name or None,
        "definition": definition,
        "status": status,
        "commit_message": message,
        "author": author,
        "allow_problems": True,
        "source": SOURCE,
    }
    if flow is None:
        return create_flow(team, **fields)
    return update_flow(flow, **fields)


def remember(flow: Flow, connection: TwilioConnection, snapshot: Any, direction: str) -> None:
    """Both sides as they are now equal: the remote flow's revision and document, and the
    local flow's version and revision."""
    flow.refresh_from_db(fields=["version", "revision"])
    RemoteFlow.objects.update_or_create(
        flow=flow,
        defaults={
            "account_sid": connection.account_sid,
            "remote_sid": snapshot.sid,
            "remote_revision": snapshot.latest.revision,
            "remote_status": snapshot.latest.status,
            "remote_date_updated": snapshot.date_updated,
            "remote_hash": definition_hash(snapshot.latest.definition),
            "local_version": flow.version,
            "local_revision": flow.revision,
            "direction": direction,
            "date_synced": timezone.now(),
        },
    )


# The flow page


@dataclass(frozen=True)
class Panel:
    """What the flow page says about the flow's twin on Twilio."""

    connected: bool
    mapping: RemoteFlow | None

    @property
    def local_changed(self) -> bool:
        return self.mapping is not None and self.mapping.local_changed()


def sync_panel(flow: Flow) -> Panel:
    connection = TwilioConnection.objects.filter(team=flow.team).first()
    if connection is None:
        return Panel(False, None)
    return Panel(True, mapping_of(flow, connection))
