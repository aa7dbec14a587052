"""What an execution runs with: its pinned revision's definition and the engine's ports.

Revisions are append-only, so their parsed definitions are cached for the process's life;
the ports give the engine the outbound HTTP client, the clock and the subflow loader.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from ..engine.http import SafeHttp
from ..engine.mocks import Mock, MockedHttp
from ..engine.ports import Ports, Subflow
from ..models import Flow, Status, WidgetMock, reads

_http: dict[bool, SafeHttp] = {}


def outbound_http() -> SafeHttp:
    allow = bool(getattr(settings, "OUTBOUND_ALLOW_LOOPBACK", False))
    if allow not in _http:
        _http[allow] = SafeHttp(allow_loopback=allow)
    return _http[allow]


def ports_for(flow: Flow, *, mocked: bool = False, origin: str = "") -> Ports:
    """The engine's ports for a run of `flow`; test runs (`mocked`) get the flow's mocks;
    the effects of a run started by `origin` may be carried out by Twilio (`live`,
    services/outbox.is_live, asked only by the widgets that need to know)."""
    from .outbox import is_live

    def load_subflow(sid: str, revision: str, test_user: bool) -> Subflow | None:
        child = Flow.objects.filter(team_id=flow.team_id, sid=sid).first()
        found = child and pick_revision(child, revision, test_user)
        return Subflow(child.sid, found.revision, found.definition) if found else None

    http: Any = outbound_http()
    if mocked:
        http = MockedHttp(http, FlowMocks(flow.pk))
    return Ports(
        http=http,
        clock=timezone.now,
        load_subflow=load_subflow,
        account_sid=flow.team.account_sid,
        live=lambda: is_live(flow, origin),
    )


class FlowMocks(Mapping[str, Mock]):
    """A test run's mocks by widget name, read the first time a widget asks for one: most
    events of a run reach no Make HTTP Request or Run Function, and need no read."""

    def __init__(self, flow_pk: int) -> None:
        self.flow_pk = flow_pk
        self.read: dict[str, Mock] | None = None

    def mocks(self) -> dict[str, Mock]:
        if self.read is None:
            self.read = {row.widget: row.mock() for row in flow_mocks(self.flow_pk)}
        return self.read

    def __getitem__(self, widget: str) -> Mock:
        return self.mocks()[widget]

    def __iter__(self) -> Iterator[str]:
        return iter(self.mocks())

    def __len__(self) -> int:
        return len(self.mocks())


def flow_mocks(flow_pk: int) -> list[WidgetMock]:
    """The flow's mocks, in one plain SELECT: every event of a test run reads them
    (models/reads.py)."""
    sql = "SELECT {} FROM {} m WHERE m.{} = %s".format(  # noqa: S608 (own names)
        reads.columns(WidgetMock, "m"),
        reads.table(WidgetMock),
        reads.quote(WidgetMock._meta.get_field("flow").column),
    )
    return [reads.instance(WidgetMock, row) for row in reads.fetch(sql, [flow_pk])]


@dataclass(frozen=True)
class Pinned:
    """A revision an execution runs: its number and definition (never changed once written)."""

    revision: int
    definition: dict[str, Any]


DEFINITIONS_CACHED = 256
_definitions: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()


def definition_of(flow: Flow, revision: int) -> dict[str, Any] | None:
    """Revisions are append-only, so a parsed definition can be kept for the process's life.
    Keyed by SID, which is never reused (a primary key may be, after a delete)."""
    key = (flow.sid, revision)
    definition = _definitions.get(key)
    if definition is None:
        definition = (
            flow.revisions.filter(revision=revision).values_list("definition", flat=True).first()
        )
        if definition is None:
            return None
        _definitions[key] = definition
        if len(_definitions) > DEFINITIONS_CACHED:
            _definitions.popitem(last=False)
    else:
        _definitions.move_to_end(key)
    return definition


_published: OrderedDict[tuple[str, int], int | None] = OrderedDict()


def latest_published(flow: Flow) -> int | None:
    """Which revision is live only changes with a new revision, and every new revision
    bumps flow.revision: so (sid, flow.revision) names the answer for good."""
    key = (flow.sid, flow.revision)
    if key not in _published:
        _published[key] = (
            flow.revisions.filter(status=Status.PUBLISHED)
            .order_by("-revision")
            .values_list("revision", flat=True)
            .first()
        )
        if len(_published) > DEFINITIONS_CACHED:
            _published.popitem(last=False)
    return _published[key]


def pick_revision(flow: Flow, spec: str, test_user: bool) -> Pinned | None:
    """LatestPublished, LatestDraft or a number; test users always get the latest draft."""
    if spec.isdigit():
        number: int | None = int(spec)
    elif spec == "LatestDraft" or test_user:
        number = flow.revision
    else:
        number = latest_published(flow)
    definition = definition_of(flow, number) if number else None
    return Pinned(number, definition) if definition is not None else None
