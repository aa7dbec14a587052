"""Two pulls of the same remote flow at once (two pages, or a page and the command) make
one local flow: threads on the suite's database, both fetching before either writes."""

from __future__ import annotations

import threading

import pytest

from editor import twilio_studio
from editor.models import Flow, RemoteFlow
from editor.services import sync

from .sync_support import account_fixture  # noqa: F401
from .test_short_transactions import in_thread

pytestmark = pytest.mark.both_databases


def fetch_together(monkeypatch, parties: int) -> None:
    """The first `parties` fetches of the remote flow wait for one another before writing
    (a pull that starts over fetches again, alone)."""
    barrier = threading.Barrier(parties)
    real = twilio_studio.fetch_flow
    calls = iter(range(1_000))

    def fetched_by_all(*args, **kwargs):
        found = real(*args, **kwargs)
        if next(calls) < parties:
            barrier.wait(20)
        return found

    monkeypatch.setattr(twilio_studio, "fetch_flow", fetched_by_all)


def test_two_pulls_at_once_make_one_flow(account, team, monkeypatch):
    welcome = account.make("Welcome", "Hi")
    fetch_together(monkeypatch, 2)
    pulls = [in_thread(lambda: sync.pull_flow(team, welcome.sid)) for _ in range(2)]
    results = []
    for thread, outcome in pulls:
        thread.join(60)
        assert "error" not in outcome, outcome.get("error")
        results.append(outcome["value"])
    [flow] = Flow.objects.filter(team=team)
    assert [r.flow.pk for r in results] == [flow.pk, flow.pk]
    assert sorted(r.created for r in results) == [False, True]
    assert flow.revisions.count() == 1
    assert RemoteFlow.objects.filter(flow__team=team, remote_sid=welcome.sid).count() == 1


def test_two_pulls_of_a_change_add_its_revision_once(account, team, monkeypatch):
    welcome = account.make("Welcome", "Hi")
    sync.pull_flow(team, welcome.sid)
    account.save(welcome, "Hello there", status="published")
    fetch_together(monkeypatch, 2)
    pulls = [in_thread(lambda: sync.pull_flow(team, welcome.sid)) for _ in range(2)]
    for thread, outcome in pulls:
        thread.join(60)
        assert "error" not in outcome, outcome.get("error")
    [flow] = Flow.objects.filter(team=team)
    assert flow.revisions.count() == 2
    assert flow.definition()["states"][1]["properties"]["body"] == "Hello there"
