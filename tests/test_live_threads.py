"""The flow websocket's database work runs in a few threads of its own (editor/consumers/
runs.py `sync`): each call gives its connection back when it ends, and one connection's
messages still run one at a time, in order."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from editor.consumers import runs
from tests.live_support import Live, run

pytestmark = pytest.mark.django_db(transaction=True)
NO_RUN, NO_STEP = "FN" + "0" * 32, "FT" + "0" * 32


def test_the_database_threads_give_their_connections_back(tutorial, alice):
    """Channels' test communicator turns its own close_old_connections off; with more
    websocket messages than the PostgreSQL pool has connections, a thread that kept its
    connection would leave the next tests waiting for one (they timed out)."""

    async def scenario():
        for _ in range(3):
            live = Live(alice, tutorial.sid)
            await live.open()
            started = await live.ask({"type": "run.start", "trigger": "message"})
            assert started["type"] == "run.snapshot"
            await live.close()

    pool = getattr(connection, "pool", None)
    # Connections lent before (to other tests' threads in this process, this thread's own).
    before = lent(pool) if pool is not None else 0
    run(scenario)
    held = []

    def look() -> None:
        held.append(connection.connection is not None)

    for future in [runs.executor().submit(look) for _ in range(runs.database_threads())]:
        future.result()
    assert held and not any(held)
    if pool is not None:  # PostgreSQL: what the sockets took is back in the pool
        # A closed socket's last database work (its departure) may still be finishing in
        # a thread on a loaded machine: given back within moments, not never. Other tests
        # of this process may hold connections of their own: only what this one lent counts.
        allowed = max(before, 1)  # and this thread's own
        deadline = time.monotonic() + 5
        while (out := lent(pool)) > allowed and time.monotonic() < deadline:
            time.sleep(0.05)
        assert out <= allowed


def lent(pool) -> int:
    stats = pool.get_stats()
    return stats["pool_size"] - stats["pool_available"]


def test_two_connections_database_work_overlaps_but_one_connections_is_in_order(
    tutorial, alice, monkeypatch
):
    calls: list[tuple[str, float, float]] = []
    lock = threading.Lock()
    role_now = runs.commands.role_now

    def slow_role_now(user, flow, *session):
        start = time.monotonic()
        time.sleep(0.3)
        with lock:
            calls.append((threading.current_thread().name, start, time.monotonic()))
        return role_now(user, flow, *session)

    monkeypatch.setattr(runs.commands, "role_now", slow_role_now)

    async def scenario():
        first, second = Live(alice, tutorial.sid), Live(alice, tutorial.sid)
        await first.open()
        await second.open()
        for live, ref in ((first, "a"), (first, "b"), (second, "c")):
            await live.send(
                {"type": "step.context", "execution": NO_RUN, "step": NO_STEP, "ref": ref}
            )
        answers = [await first.receive(), await first.receive(), await second.receive()]
        await first.close()
        await second.close()
        return answers

    answers = run(scenario)
    assert [a.get("ref") for a in answers] == ["a", "b", "c"]
    assert [a["code"] for a in answers] == ["not_found"] * 3
    assert len(calls) == 3
    (_, _, first_end), (_, second_start, _), (_, third_start, _) = sorted(
        calls, key=lambda call: call[1]
    )
    assert second_start < first_end, "the other connection's call waited for the first"
    assert third_start >= first_end - 0.05, "one connection's second message overtook its first"


def test_a_frame_does_not_wait_for_the_thread_sensitive_thread(tutorial, alice):
    """Channels' dispatch hops to the one thread-sensitive thread before every message (to
    close old connections); the flow consumer does not, so a busy thread (HTTP, sessions)
    delays no websocket message."""

    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        busy = asyncio.ensure_future(sync_to_async(time.sleep, thread_sensitive=True)(1.0))
        await asyncio.sleep(0.05)
        start = time.monotonic()
        pong = await live.ask({"type": "ping"})
        waited = time.monotonic() - start
        await busy
        await live.close()
        return pong, waited

    pong, waited = run(scenario)
    assert pong["type"] == "pong"
    assert waited < 0.5
