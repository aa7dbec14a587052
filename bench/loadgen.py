"""A closed-loop HTTP load generator: a fixed number of clients, a fixed number of requests.

Each client holds one keep-alive HTTP/1.1 connection and sends its next request as soon as
the previous answer is in, until the phase's requests are used up. All clients share one
event loop in this process, so a latency here is what a client sees: the server's queueing
and work plus the client's own. The client is a few lines over asyncio streams rather than
an HTTP library because on a 2-core machine the generator shares the CPU with the server:
httpx spent about 2 ms of CPU per request, as much as the server's bare endpoint, which
would have made the generator the bottleneck and flattened every ratio. Each phase reports
the client's CPU time per request, so a reader can check it stays small.

Only what the server under test needs: responses must carry a Content-Length (Django's
CommonMiddleware adds it to every non-streaming response); anything else counts as an error.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

TIMEOUT = 60.0  # seconds; a request slower than this counts as an error


class ProtocolError(Exception):
    """An answer this client cannot frame."""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    expect: int  # the status every answer must have; anything else is an error
    headers: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] | None = None  # sent as a form, as Twilio's SDKs send parameters

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        body = b""
        if self.data is not None:
            body = urlencode(self.data).encode()
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class Connection:
    """One keep-alive connection; reconnects after an error or a `Connection: close`."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, request: bytes) -> int:
        """Send one request and read its whole answer; returns the status code."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, close = None, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection":
                close = value.strip().lower() == b"close"
        if length is None:
            raise ProtocolError("an answer without Content-Length")
        await self.reader.readexactly(length)
        if close:
            await self.close()
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


@dataclass
class Phase:
    """What one phase measured: every request's latency and every error."""

    latencies: list[float] = field(default_factory=list)  # seconds, errors included
    errors: Counter[str] = field(default_factory=Counter)
    wall: float = 0.0
    client_cpu: float = 0.0

    def add(self, other: Phase) -> None:
        self.latencies += other.latencies
        self.errors.update(other.errors)
        self.wall += other.wall
        self.client_cpu += other.client_cpu

    def summary(self) -> dict[str, Any]:
        count = len(self.latencies)
        ordered = sorted(self.latencies)
        return {
            "requests": count,
            "p50_ms": round(percentile(ordered, 50) * 1000, 2),
            "p90_ms": round(percentile(ordered, 90) * 1000, 2),
            "p99_ms": round(percentile(ordered, 99) * 1000, 2),
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "requests_per_s": round(count / self.wall, 1) if self.wall else 0.0,
            "client_cpu_ms_per_request": round(self.client_cpu / count * 1000, 3) if count else 0,
        }


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 for an empty one)."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


async def client_loop(
    connection: Connection,
    host: str,
    make: Callable[[int], Request],
    numbers: Any,
    phase: Phase,
) -> None:
    for number in numbers:  # one iterator shared by every client: each takes the next
        request = make(number)
        wire = request.encode(host)
        start = time.perf_counter()
        try:
            async with asyncio.timeout(TIMEOUT):
                status = await connection.send(wire)
            if status != request.expect:
                phase.errors[f"HTTP {status}"] += 1
        except (
            OSError,
            TimeoutError,
            asyncio.IncompleteReadError,
            ProtocolError,
            ValueError,
        ) as exc:
            # ValueError covers a malformed status line or length and a head over the limit.
            phase.errors[type(exc).__name__] += 1
            await connection.close()
        phase.latencies.append(time.perf_counter() - start)


@dataclass
class Pool:
    host: str  # the Host header: host:port
    connections: list[Connection]


@asynccontextmanager
async def clients(base_url: str, count: int) -> AsyncIterator[Pool]:
    """`count` clients of one keep-alive connection each, kept across phases so that only
    the first phase pays for connecting."""
    url = urlsplit(base_url)
    assert url.hostname and url.port, base_url
    pool = Pool(url.netloc, [Connection(url.hostname, url.port) for _ in range(count)])
    try:
        yield pool
    finally:
        for connection in pool.connections:
            await connection.close()


async def hammer(pool: Pool, make: Callable[[int], Request], total: int) -> Phase:
    """`total` requests from every client of `pool` at once; `make(i)` builds the i-th."""
    phase = Phase()
    numbers = iter(range(total))
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(
        *(client_loop(c, pool.host, make, numbers, phase) for c in pool.connections)
    )
    phase.wall = time.perf_counter() - wall
    phase.client_cpu = time.process_time() - cpu
    return phase
