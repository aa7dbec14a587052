"""B2: a tester's reply over the flow websocket, from `run.reply` sent to the `run.delta`
holding the last of the steps it caused, against a bare echo socket on the same server in
the same run.

The server is bench/server.py's (uvicorn, DEBUG off) running bench/ws_app.py: the product's
ASGI application plus an echo consumer at /ws/echo/ (the baseline; it exists only in the
benchmark server). Database and channel layer are this process's: for the figures in
bench/RESULTS.md, PostgreSQL (DATABASE_URL) and Redis (REDIS_URL).

CONNECTIONS test panels each drive a test run of the looping flow (bench/wsload.py: every
reply makes three steps and waits again), and as many echo sockets are open beside them.
One round trip at a time: an echo of a frame the size of a reply, then the same frame on a
"floor" socket (the echo after one trip to the websocket database threads for one committed
write, bench/ws_app.py: the least a reply could cost on this stack), then a reply, taking
the connections in turn. Taking turns keeps each connection under the protocol's rate limit
(10 messages a second; MIN_GAP guards it) without timing a sleep. Reported: p50, p90, p99 of
all three, the reply's p50 and p99 divided by the echo's, and for information the floor's
p50 divided by the echo's. Target: p50 <= 3x, p99 <= 5x.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from typing import Any

from bench import wsload
from bench.loadgen import percentile
from bench.server import Server, vacuum

DATABASE = "sqlite-file"  # honoured by bench/run.py; the figures use PostgreSQL instead
TARGET_P50_RATIO = 3.0
TARGET_P99_RATIO = 5.0
ROUND_TRIPS = 2000  # of each kind, measured
WARM_UP = 100  # of each kind, untimed
CONNECTIONS = 16
MIN_GAP = 0.15  # seconds between two messages of one connection (limit: 10 a second)
TEAM = "bench-b2"
REPLIES = ("yes", "no", "maybe", "sure")


async def measure(
    base: str, fixture: wsload.Fixture, n: int, warm_up: int, connections: int
) -> tuple[list[float], list[float], list[float], Counter[str], int]:
    sid, cookie = fixture.flow_sids[0], fixture.cookies[0]
    panels = await wsload.open_many(connections, lambda i: wsload.open_panel(base, sid, cookie))
    echoes = await wsload.open_many(connections, lambda i: wsload.open_echo(base))
    floors = await wsload.open_many(
        connections, lambda i: wsload.open_echo(base, wsload.FLOOR_PATH)
    )
    testers = [wsload.Tester(socket, wsload.contact(i)) for i, socket in enumerate(panels)]
    replies: list[float] = []
    echoed: list[float] = []
    floored: list[float] = []
    errors: Counter[str] = Counter()
    last = [0.0] * connections
    try:
        for i in range(warm_up + n):
            k = i % connections
            tester, body = testers[k], REPLIES[i % len(REPLIES)]
            if not tester.execution:
                await tester.start()
            await asyncio.sleep(max(0.0, last[k] + MIN_GAP - time.monotonic()))
            last[k] = time.monotonic()
            text = json.dumps({**tester.reply_frame(body), "ref": "r0000"})
            echo_time = await wsload.echo_round_trip(echoes[k], text)
            floor_time = await wsload.echo_round_trip(floors[k], text)
            try:
                reply_time = await tester.reply(body)
            except wsload.Refused as exc:
                errors[str(exc)[:80]] += 1
                continue
            if i >= warm_up:
                echoed.append(echo_time)
                floored.append(floor_time)
                replies.append(reply_time)
    finally:
        for socket in panels + echoes + floors:
            await socket.close()
    return replies, echoed, floored, errors, sum(t.restarts for t in testers)


def summary(latencies: list[float]) -> dict[str, Any]:
    ordered = sorted(latencies)
    return {
        "round_trips": len(ordered),
        **{f"p{p}_ms": round(percentile(ordered, p) * 1000, 3) for p in (50, 90, 99)},
        "max_ms": round(ordered[-1] * 1000, 3) if ordered else 0.0,
    }


def setup_of(server: Server, connections: int) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    return {
        **server.info(),
        "database": connection.vendor,
        "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1],
        "connections": connections,
    }


def run(
    n: int = ROUND_TRIPS,
    rounds: int = 1,
    *,
    warm_up: int = WARM_UP,
    connections: int = CONNECTIONS,
) -> dict[str, Any]:
    """`n` measured round trips of each kind per round, after `warm_up` of each."""
    vacuum()
    fixture = wsload.make_fixture(TEAM, flows=1, users=1)
    try:
        with Server(workers=1, env=wsload.server_env(), app=wsload.APP) as server:
            replies: list[float] = []
            echoed: list[float] = []
            floored: list[float] = []
            errors: Counter[str] = Counter()
            runs = 0
            for _ in range(rounds):
                got = asyncio.run(measure(server.url, fixture, n, warm_up, connections))
                replies += got[0]
                echoed += got[1]
                floored += got[2]
                errors.update(got[3])
                runs += got[4]
            setup = setup_of(server, connections)
    finally:
        executions = wsload.clean_up(fixture)
    reply, echo, floor = summary(replies), summary(echoed), summary(floored)
    p50 = round(reply["p50_ms"] / (echo["p50_ms"] or float("nan")), 2)
    p99 = round(reply["p99_ms"] / (echo["p99_ms"] or float("nan")), 2)
    failed = sum(errors.values())
    return {
        "ratio": p50,
        "p99_ratio": p99,
        "target": f"reply p50 <= {TARGET_P50_RATIO:g}x and p99 <= {TARGET_P99_RATIO:g}x "
        "the echo's; no errors",
        "reply": reply,
        "echo": echo,
        # Information, not a target: how much of the echo's multiple the stack itself takes.
        "floor": floor,
        "floor_p50_ratio": round(floor["p50_ms"] / (echo["p50_ms"] or float("nan")), 2),
        "errors": failed,
        "error_kinds": dict(errors),
        "test_runs": runs,
        "executions_created": executions,
        "setup": setup,
        "ok": failed == 0 and p50 <= TARGET_P50_RATIO and p99 <= TARGET_P99_RATIO,
    }
