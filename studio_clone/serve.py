"""The production server: uvicorn workers, each accepting on a listening socket of its own.

    .venv/bin/python -m studio_clone.serve --host 127.0.0.1 --port 8000 --workers 2

`uvicorn --workers N` shares one listening socket among its workers, and a worker's event
loop, once woken, accepts every connection waiting on it (asyncio accepts in batches). So
connections that open together (an SDK's connection pool, a proxy's keep-alive upstreams,
a load generator) land mostly on one worker, and keep-alive keeps them there: one core does
the work of two. Under bench B6's 50 clients on two workers the split was 43/7, 34/16 and
41/9 in three runs (bench/RESULTS.md, B6).

Here each worker binds its own socket to the address with SO_REUSEPORT, and the kernel
spreads new connections across the sockets by a hash of their addresses (Linux 3.9 and
later). Before the workers start, the address is bound once without SO_REUSEPORT: that
fails if any other server holds it, so a second instance is refused instead of silently
sharing the port (the kernel would otherwise let the same user's sockets join the group).

The supervisor (this process, when --workers is more than one) starts the workers, starts a
new one when one dies, and on SIGTERM or SIGINT asks each to stop (uvicorn's graceful
shutdown) and kills what is left after the grace period. Workers that keep dying as soon as
they start (the application does not import, say) are not restarted forever: after three in
a row it stops and exits with status 1. With one worker it serves itself.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

APPLICATION = "studio_clone.asgi:application"
RESTART_PAUSE = 1.0  # seconds between a worker's death and its replacement
# The flow websocket reads frames of at most 64 KB (editor/consumers/limits.py) and answers
# a bigger one with `frame_too_large`; uvicorn's own limit, 16 MiB, let every socket of a
# signed-in user hold that much in the worker's memory before the consumer saw it. A frame
# up to 1 MiB still gets the consumer's clear error; a bigger one closes the socket (1009).
WS_MAX_SIZE = 1024 * 1024
BOOT_DEATHS = 3  # workers in a row dying within BOOT_GRACE of their start: give up
BOOT_GRACE = 10.0
EXTRA_GRACE = 5.0  # seconds after the graceful timeout before the workers are killed

log = logging.getLogger("studio_clone.serve")


def options(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m studio_clone.serve", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--backlog", type=int, default=2048)
    parser.add_argument(
        "--proxy-headers",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="trust X-Forwarded-For/-Proto from --forwarded-allow-ips (as uvicorn)",
    )
    parser.add_argument("--forwarded-allow-ips", default=None)
    parser.add_argument("--timeout-graceful-shutdown", type=int, default=30)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--access-log", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--loop", default="auto")
    parser.add_argument("--http", default="auto")
    parser.add_argument("--ws", default="auto")
    parser.add_argument(
        "--ws-per-message-deflate", action=argparse.BooleanOptionalAction, default=True
    )
    parser.add_argument(
        "--ws-max-size",
        type=int,
        default=WS_MAX_SIZE,
        help="bytes of one websocket message a worker reads before closing the socket (1009)",
    )
    parser.add_argument("--app", default=APPLICATION, help=argparse.SUPPRESS)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # a worker
    found = parser.parse_args(argv)
    if found.workers < 1:
        parser.error("--workers must be at least 1")
    return found


def family_of(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listening_socket(host: str, port: int, backlog: int) -> socket.socket:
    """A socket of the address's SO_REUSEPORT group, listening."""
    sock = socket.socket(family_of(host), socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(False)
    return sock


def check_free(host: str, port: int) -> None:
    """Raise OSError (address in use) if another server holds the address, whether or not
    its sockets use SO_REUSEPORT."""
    with socket.socket(family_of(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def config_of(found: argparse.Namespace) -> Any:
    """A worker's uvicorn configuration."""
    import uvicorn

    return uvicorn.Config(
        found.app,
        lifespan="off",  # Django's ASGI handler has no lifespan events
        proxy_headers=found.proxy_headers,
        forwarded_allow_ips=found.forwarded_allow_ips,
        timeout_graceful_shutdown=found.timeout_graceful_shutdown,
        log_level=found.log_level,
        access_log=found.access_log,
        loop=found.loop,
        http=found.http,
        ws=found.ws,
        ws_per_message_deflate=found.ws_per_message_deflate,
        ws_max_size=found.ws_max_size,
    )


def serve_one(found: argparse.Namespace) -> None:
    """One worker: uvicorn on a socket of its own."""
    import uvicorn

    config = config_of(found)
    sock = listening_socket(found.host, found.port, found.backlog)
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    """Keeps `--workers` worker processes running until told to stop."""

    def __init__(self, found: argparse.Namespace, argv: Sequence[str]) -> None:
        self.found = found
        self.command = [sys.executable, "-m", "studio_clone.serve", *argv, "--one"]
        self.workers: list[subprocess.Popen[bytes]] = []
        self.started: dict[int, float] = {}
        self.early_deaths = 0
        self.stopping = False

    def start_worker(self) -> subprocess.Popen[bytes]:
        worker = subprocess.Popen(self.command)
        self.started[worker.pid] = time.monotonic()
        log.info("started worker %s", worker.pid)
        return worker

    def died_booting(self, worker: subprocess.Popen[bytes]) -> bool:
        """Whether this death makes BOOT_DEATHS early deaths in a row."""
        early = time.monotonic() - self.started.pop(worker.pid, 0.0) < BOOT_GRACE
        self.early_deaths = self.early_deaths + 1 if early else 0
        return self.early_deaths >= BOOT_DEATHS

    def stop(self, signum: int, frame: object) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        self.workers = [self.start_worker() for _ in range(self.found.workers)]
        while not self.stopping:
            time.sleep(0.2)
            for n, worker in enumerate(self.workers):
                if worker.poll() is None or self.stopping:
                    continue
                if self.died_booting(worker):
                    log.error(
                        "workers keep exiting as they start (%s); stopping", worker.returncode
                    )
                    self.shut_down()
                    return 1
                log.warning("worker %s exited (%s); restarting", worker.pid, worker.returncode)
                time.sleep(RESTART_PAUSE)
                self.workers[n] = self.start_worker()
        return self.shut_down()

    def shut_down(self) -> int:
        for worker in self.workers:
            with contextlib.suppress(ProcessLookupError):
                worker.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.found.timeout_graceful_shutdown + EXTRA_GRACE
        for worker in self.workers:
            try:
                worker.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("worker %s did not stop in time; killed", worker.pid)
                worker.kill()
                worker.wait()
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    found = options(argv)
    logging.basicConfig(level=found.log_level.upper(), format="%(levelname)s: %(message)s")
    if found.one:
        serve_one(found)
        return 0
    try:
        check_free(found.host, found.port)
    except OSError as exc:
        log.error("cannot listen on %s:%s: %s", found.host, found.port, exc.strerror or exc)
        return 1
    if found.workers == 1:
        serve_one(found)
        return 0
    return Supervisor(found, argv).run()


if __name__ == "__main__":
    sys.exit(main())
