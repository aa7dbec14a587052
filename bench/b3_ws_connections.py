"""B3: 2,000 open test-panel connections against one server process, 5 % of them active.

The server is bench/server.py's with one uvicorn worker (one process, DEBUG off) running
bench/ws_app.py: the product's ASGI application plus a bare echo socket at /ws/echo/, the
baseline. Database and channel layer are this process's: for the figures in
bench/RESULTS.md, PostgreSQL (DATABASE_URL) and Redis (REDIS_URL). The load generator is
this process (asyncio and the `websockets` client), apart from the server.

1. Memory. A few connections of each kind are opened and closed first, so that one-time
   costs (imports, caches, the database connection) are paid before measuring. Then the
   server's RSS is read before and after opening CONNECTIONS echo sockets, and again after
   opening CONNECTIONS test panels beside them (each signed in with a session cookie and an
   Origin header, as a browser's, and greeted with `hello`); each kind's growth divided by
   CONNECTIONS is its memory per connection. The echo sockets stay open until both are
   read, so the panels cannot reuse memory the echoes freed. Target: panel <= 3x echo.
2. Load. The echo sockets are closed; ACTIVE panels (spread over FLOWS flows and USERS
   users) each start a test run of the looping flow (bench/wsload.py) and then send one
   `run.reply` a second for WINDOW seconds, at evenly staggered moments; the rest stay idle
   but connected. Target: p99 of the reply's round trip (sent to its delta) <= 50 ms.
3. Disconnects: any connection found closed before the benchmark closed it. Target: 0.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from bench import wsload
from bench.b2_ws_reply import setup_of, summary
from bench.server import Server, vacuum

DATABASE = "sqlite-file"  # honoured by bench/run.py; the figures use PostgreSQL instead
TARGET_P99_MS = 50.0
TARGET_MEMORY_RATIO = 3.0
CONNECTIONS = 2000
ACTIVE = 100
WINDOW = 30.0  # seconds of measured load
FLOWS = 20
USERS = 20
WARM_UP = 20  # connections of each kind opened and closed before measuring
PROBE_EVERY = 0.1  # seconds between the load phase's echo probes
SETTLE = 1.0  # seconds before reading the RSS, for the last handshakes' garbage to go
TEAM = "bench-b3"


async def settled_rss(server: Server) -> int:
    await asyncio.sleep(SETTLE)
    return server.rss()


async def active_loop(
    tester: wsload.Tester, offset: float, start: float, window: float, out: dict[str, Any]
) -> None:
    """One reply a second, the n-th at start + offset + n seconds (late if the last one
    is still out)."""
    beat = 0
    while (due := start + offset + beat) < start + window:
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        beat += 1
        try:
            out["latencies"].append(await tester.reply("yes" if beat % 2 else "no"))
        except wsload.Refused as exc:
            out["errors"][str(exc)[:80]] += 1
        except (ConnectionClosed, TimeoutError) as exc:
            out["errors"][type(exc).__name__] += 1
            return


async def measure(
    server: Server, fixture: wsload.Fixture, connections: int, active: int, window: float
) -> dict[str, Any]:
    base, flows, cookies = server.url, fixture.flow_sids, fixture.cookies

    def panel(i: int) -> Any:
        return wsload.open_read_panel(base, flows[i % len(flows)], cookies[i % len(cookies)])

    def echo(_: int) -> Any:
        return wsload.open_echo(base)

    warm = [r.socket for r in await wsload.open_many(WARM_UP, panel)]
    for socket in warm + await wsload.open_many(WARM_UP, echo):
        await socket.close()
    before = await settled_rss(server)
    opened = time.perf_counter()
    echoes = await wsload.open_many(connections, echo)
    echo_open_s = time.perf_counter() - opened
    with_echoes = await settled_rss(server)
    opened = time.perf_counter()
    readers = await wsload.open_many(connections, panel)
    panels = [reader.socket for reader in readers]
    panel_open_s = time.perf_counter() - opened
    with_panels = await settled_rss(server)
    lost = closed(echoes)
    for socket in echoes:
        await socket.close()

    testers = [
        wsload.Tester(panels[i], wsload.contact(i), reader=readers[i]) for i in range(active)
    ]
    await asyncio.gather(*(t.start() for t in testers))
    out: dict[str, Any] = {"latencies": [], "errors": Counter(), "probe": []}
    probe = await wsload.open_echo(base)
    cpu, loop_cpu = server.cpu(), server.loop_cpu()
    own, start = time.process_time(), time.monotonic()
    await asyncio.gather(
        *(active_loop(t, i / len(testers), start, window, out) for i, t in enumerate(testers)),
        probe_loop(probe, start, window, out["probe"]),
    )
    elapsed, cpu = time.monotonic() - start, server.cpu() - cpu
    loop_cpu = server.loop_cpu() - loop_cpu
    await probe.close()
    own = time.process_time() - own
    lost += closed(panels)
    for socket in panels:
        await socket.close()
    return {
        **out,
        "rss": (before, with_echoes, with_panels),
        "open_s": (echo_open_s, panel_open_s),
        "disconnects": lost,
        "elapsed_s": elapsed,
        "server_cpu_share": cpu / elapsed,
        "server_cpu_ms_per_reply": cpu / max(len(out["latencies"]), 1) * 1000,
        "loop_cpu_ms_per_reply": loop_cpu / max(len(out["latencies"]), 1) * 1000,
        "client_cpu_share": own / elapsed,
    }


async def probe_loop(socket: ClientConnection, start: float, window: float, out: list) -> None:
    """An echo round trip every PROBE_EVERY s during the load: how long a frame waits for
    the server's event loop (and the client's) while the replies run."""
    while time.monotonic() < start + window:
        out.append(await wsload.echo_round_trip(socket, "probe"))
        await asyncio.sleep(PROBE_EVERY)


def closed(sockets: list[ClientConnection]) -> Counter[str]:
    """The connections closed before the benchmark closed them, by close code and reason
    (1006 with no reason: the connection dropped; 1011: a keepalive ping went unanswered)."""
    return Counter(
        f"{socket.close_code} {socket.close_reason or ''}".strip()
        for socket in sockets
        if socket.state is not State.OPEN
    )


def load_average() -> str:
    with open("/proc/loadavg") as averages:
        return " ".join(averages.read().split()[:3])


def run(
    n: int = CONNECTIONS,
    rounds: int = 1,
    *,
    active: int = ACTIVE,
    window: float = WINDOW,
) -> dict[str, Any]:
    """`n` open connections of each kind, `active` of the panels replying for `window` s."""
    del rounds  # one measurement: the load phase is already a window of time
    load_before = load_average()
    fd_limit = wsload.raise_fd_limit(2 * n + 500)
    vacuum()
    fixture = wsload.make_fixture(TEAM, flows=FLOWS, users=USERS)
    try:
        with Server(workers=1, env=wsload.server_env(), app=wsload.APP) as server:
            got = asyncio.run(measure(server, fixture, n, active, window))
            setup = setup_of(server, n)
            server_log = server.output()
    finally:
        executions = wsload.clean_up(fixture)
    before, with_echoes, with_panels = got["rss"]
    echo_kb = (with_echoes - before) / n / 1024
    panel_kb = (with_panels - with_echoes) / n / 1024
    memory_ratio = round(panel_kb / echo_kb, 2) if echo_kb > 0 else float("nan")
    reply = summary(got["latencies"])
    probe = summary(got["probe"])
    errors = sum(got["errors"].values())
    return {
        "ratio": memory_ratio,
        "target": f"reply p99 <= {TARGET_P99_MS:g} ms; memory per panel <= "
        f"{TARGET_MEMORY_RATIO:g}x per echo; no unexpected disconnect",
        "reply": reply,
        "echo_probe_under_load": probe,
        "load_average": {"before": load_before, "after": load_average()},
        "memory": {
            "rss_mb": [round(value / 2**20, 1) for value in got["rss"]],
            "echo_kb_per_connection": round(echo_kb, 1),
            "panel_kb_per_connection": round(panel_kb, 1),
        },
        "open_s": {"echo": round(got["open_s"][0], 1), "panel": round(got["open_s"][1], 1)},
        "disconnects": sum(got["disconnects"].values()),
        "disconnect_kinds": dict(got["disconnects"]),
        "errors": errors,
        "error_kinds": dict(got["errors"]),
        # The replies are due over `window` s; a server that falls behind takes longer.
        "load_s": round(got["elapsed_s"], 1),
        "replies_per_s": round(reply["round_trips"] / got["elapsed_s"], 1),
        "server_cpu_share": round(got["server_cpu_share"], 2),
        "server_cpu_ms_per_reply": round(got["server_cpu_ms_per_reply"], 2),
        # Of which the event loop's (the main thread's); the rest is the database threads'.
        "loop_cpu_ms_per_reply": round(got["loop_cpu_ms_per_reply"], 2),
        "client_cpu_share": round(got["client_cpu_share"], 2),
        "executions_created": executions,
        "server_log": server_log[-1000:],
        "setup": {**setup, "active": active, "window_s": window, "fd_limit": fd_limit},
        "ok": errors == 0
        and not got["disconnects"]
        and reply["p99_ms"] <= TARGET_P99_MS
        and memory_ratio <= TARGET_MEMORY_RATIO,
    }
