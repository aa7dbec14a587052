"""Two pushes of one flow at once (two pages, or a page and the command) make one remote
flow: the second waits for the first's PushClaim (services/push.py), then finds the twin
the first created. Threads on the suite's database (PostgreSQL in CI), each on its own
connection, both starting before either has written anything."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from editor import services, twilio_studio
from editor.models import PushClaim, RemoteFlow
from editor.services import push

from .sync_support import account_fixture, definition  # noqa: F401
from .test_short_transactions import in_thread

pytestmark = pytest.mark.both_databases


def slow_writes(monkeypatch, seconds: float) -> list[str | None]:
    """Every write to the remote account takes `seconds` (a slow Twilio): a second push
    started meanwhile has all the time it needs to look for the twin too."""
    real, seen = twilio_studio.write_flow, []

    def slow(connection, sid, **kwargs):
        seen.append(sid)
        time.sleep(seconds)
        return real(connection, sid, **kwargs)

    monkeypatch.setattr(twilio_studio, "write_flow", slow)
    return seen


def test_two_pushes_at_once_create_one_remote_flow(account, team, monkeypatch):
    flow = services.create_flow(team, friendly_name="Welcome", definition=definition("Hi"))
    writes = slow_writes(monkeypatch, 1.0)
    start = threading.Barrier(2)

    def pushed():
        start.wait(20)
        return push.push_flow(flow, publish=True)

    pushes = [in_thread(pushed) for _ in range(2)]
    results = []
    for thread, outcome in pushes:
        thread.join(60)
        assert "error" not in outcome, outcome.get("error")
        results.append(outcome["value"])
    [remote] = account.flows()
    assert {r.remote_sid for r in results} == {remote.sid}
    assert sorted(r.created for r in results) == [False, True]
    # The second push found the twin: it updated it (or found it up to date), never
    # created a second one.
    assert writes.count(None) == 1
    assert RemoteFlow.objects.get(flow=flow).remote_sid == remote.sid
    assert not PushClaim.objects.exists()  # released by both


def test_a_claim_left_by_a_killed_push_is_taken_over(account, team):
    flow = services.create_flow(team, friendly_name="Welcome", definition=definition("Hi"))
    old = timezone.now() - push.claim_stale_after() - timedelta(seconds=1)
    PushClaim.objects.create(flow=flow, token="dead", date_created=old)
    synced = push.push_flow(flow)
    assert synced.created and len(account.flows()) == 1
    assert not PushClaim.objects.exists()


def test_a_push_waits_for_the_claim_of_one_under_way(account, team):
    flow = services.create_flow(team, friendly_name="Welcome", definition=definition("Hi"))
    PushClaim.objects.create(flow=flow, token="busy", date_created=timezone.now())

    def release():
        time.sleep(0.5)
        try:
            PushClaim.objects.filter(token="busy").delete()
        finally:
            connections.close_all()  # this thread's own, or the test database stays busy

    releaser = threading.Thread(target=release)
    releaser.start()
    began = time.monotonic()
    assert push.push_flow(flow).created
    assert time.monotonic() - began >= 0.4
    releaser.join()
