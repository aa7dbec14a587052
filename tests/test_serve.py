"""studio_clone/serve.py: the production server's workers, each on a socket of its own.

Real processes on loopback: the workers serve /healthz, which touches no database, so
these run the same on either database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio_clone import serve
from tests.process_support import free_port

ROOT = Path(__file__).resolve().parents[1]
BOOT = 30.0


def start(port: int, *more: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "studio_clone.settings", "DEBUG": "false"}
    env.update(SECRET_KEY="x" * 50, ALLOWED_HOSTS="127.0.0.1", LOG_LEVEL="WARNING")
    command = [sys.executable, "-m", "studio_clone.serve", f"--port={port}", *more]
    return subprocess.Popen(
        [*command, "--no-access-log", "--log-level=warning", "--timeout-graceful-shutdown=2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def wait_for(condition, what: str, timeout: float = BOOT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def server() -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    process = start(port, "--workers=2")
    try:
        wait_for(lambda: answers(port) and len(children(process.pid)) == 2, "two workers")
        yield process, port
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def connection_owners(port: int, pids: list[int]) -> Counter[int]:
    """How many established connections to `port` each process holds (from /proc)."""
    inodes: dict[str, int] = {}
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(path).read_text().splitlines()[1:]:
            fields = line.split()
            local_port, state, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]
            if local_port == port and state == "01":  # ESTABLISHED, server side
                inodes[inode] = 1
    owners: Counter[int] = Counter()
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                owners[pid] += 1
    return owners


def test_connections_opened_together_are_spread_over_the_workers(server):
    process, port = server
    workers = children(process.pid)
    clients = []
    try:
        for _ in range(60):  # all at once, as a pool of keep-alive clients opens them
            clients.append(socket.create_connection(("127.0.0.1", port)))
        for sock in clients:  # a request each, so every connection has been accepted
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        for sock in clients:
            assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        owners = connection_owners(port, workers)
    finally:
        for sock in clients:
            sock.close()

    assert sum(owners.values()) == 60
    # By the kernel's hash each gets about half; fewer than 12 of 60 would be a 1-in-10^6
    # draw. (uvicorn's shared socket gave one worker 43 of 50 in a benchmark run.)
    assert all(owners[pid] >= 12 for pid in workers), owners


def test_a_worker_that_dies_is_replaced(server):
    process, port = server
    victim = children(process.pid)[0]

    os.kill(victim, signal.SIGKILL)

    wait_for(
        lambda: victim not in children(process.pid) and len(children(process.pid)) == 2,
        "a new worker",
    )
    assert answers(port)


def test_sigterm_stops_every_worker_gracefully(server):
    process, port = server
    workers = children(process.pid)

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=30) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)  # all reaped
    assert not answers(port)


def test_a_second_server_on_the_same_address_is_refused(server):
    _, port = server
    second = start(port, "--workers=2")

    output, _ = second.communicate(timeout=BOOT)

    assert second.returncode == 1
    assert b"cannot listen on 127.0.0.1:" in output
    assert answers(port)


def test_workers_that_cannot_start_are_not_restarted_forever():
    port = free_port()
    process = start(port, "--workers=2", "--app=no_such_module:application")

    output, _ = process.communicate(timeout=120)

    assert process.returncode == 1
    assert b"workers keep exiting as they start" in output


def test_one_worker_serves_in_the_process_itself():
    port = free_port()
    process = start(port, "--workers=1")
    try:
        wait_for(lambda: answers(port), "the server")
        assert children(process.pid) == []
    finally:
        process.terminate()
        # uvicorn re-raises the signal once it has shut down, as it does when run alone.
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)


def test_options_are_checked():
    assert serve.options(["--workers=3", "--no-proxy-headers"]).proxy_headers is False
    with pytest.raises(SystemExit):
        serve.options(["--workers=0"])


def test_a_worker_reads_websocket_messages_of_at_most_a_mebibyte():
    """uvicorn's default, 16 MiB, let each signed-in socket make a worker hold that much
    before the flow consumer refused anything over its 64 KB (15 sockets: 440 MB)."""
    from editor.consumers.limits import max_frame_bytes

    config = serve.config_of(serve.options([]))

    assert config.ws_max_size == 1024 * 1024
    assert config.ws_max_size >= 16 * max_frame_bytes()  # a bit over still gets frame_too_large
    assert serve.config_of(serve.options(["--ws-max-size=2000000"])).ws_max_size == 2_000_000
