"""Running the site as separate OS processes in a test: ASGI servers under uvicorn and the task
worker, on the test database and a Redis channel layer, as production scales out
(tests/test_live_scale_out.py, tests/test_coediting_convergence.py).

The processes reach the test database through DATABASE_URL (`database_url`): on PostgreSQL
it is the test database pytest-django made; on SQLite the settings make the test database a
file (see DATABASES["default"]["TEST"]) so that other processes can open it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client
from websockets.sync.client import ClientConnection, connect

from editor.models import Flow

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"
BOOT = 30.0  # seconds a process may take to start on a loaded machine
# A Redis database of its own, so that its keys stay out of the suite's (REDIS_URL's). Group
# and channel names hold random SIDs, so runs sharing it cannot cross and nothing is flushed.
REDIS_DB = 14
SERVER = """
import sys, uvicorn
import studio_clone.asgi
from django.conf import settings
from editor.consumers import flow
assert settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("RedisChannelLayer")
flow.TIMER_GRACE = 3600.0  # no catch-up from the database: broadcasts come through Redis
sys.exit(uvicorn.main())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database this test process uses right now (the test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        assert Path(name).is_absolute(), f"the SQLite test database must be a file: {name}"
        return f"sqlite:///{name}"
    assert connection.vendor == "postgresql", connection.vendor
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"


def redis_url() -> str:
    """SCALE_OUT_REDIS_URL, or REDIS_URL's server (127.0.0.1:6379 without it) at REDIS_DB."""
    if os.environ.get("SCALE_OUT_REDIS_URL"):
        return os.environ["SCALE_OUT_REDIS_URL"]
    base = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379")
    return urlunsplit(base._replace(path=f"/{REDIS_DB}", query=""))


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def require(ok: bool, what: str) -> None:
    """Skip without what a multi-process test needs; in CI, fail instead."""
    if not ok:
        if IN_CI:
            pytest.fail(f"{what}: in CI this test must run")
        pytest.skip(what)


def require_scale_out(test: str) -> str:
    """PostgreSQL and a Redis that answers (several processes on one SQLite file is the
    embedded default's business, tested in tests/test_durability.py): Redis's URL."""
    require(connection.vendor == "postgresql", f"{test} needs PostgreSQL")
    url = redis_url()
    require(redis_answers(url), f"{test} needs Redis at {url}")
    return url


class Process:
    """One OS process in its own session (so that signals reach all of it), logging to a file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.log_path = logs / f"{name}.log"
        with self.log_path.open("w") as log:
            self.popen = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM, and SIGKILL if it has not gone within a few seconds."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.popen.poll() is not None:
                return
            os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(timeout=5)
            except subprocess.TimeoutExpired:
                continue


class Stack:
    """The processes of a scaled-out site; leaving the block stops them all, and a failure
    inside it carries their logs."""

    def __init__(self, logs: Path, redis: str) -> None:
        self.logs = logs
        self.env = dict(
            os.environ,
            DATABASE_URL=database_url(),
            REDIS_URL=redis,
            ALLOWED_HOSTS="127.0.0.1",
            PYTHONUNBUFFERED="1",
        )
        self.processes: list[Process] = []
        self.sockets = contextlib.ExitStack()

    def server(self, name: str) -> int:
        port = free_port()
        argv = [sys.executable, "-c", SERVER, "studio_clone.asgi:application"]
        argv += ["--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"]
        self.processes.append(Process(name, [*argv, "--log-level", "warning"], self.env, self.logs))
        return port

    def servers(self, count: int) -> list[int]:
        """`count` servers, started together and each accepting connections: their ports."""
        ports = [self.server(f"server-{n}") for n in range(1, count + 1)]
        for port in ports:
            self.wait_for_port(port)
        return ports

    def worker(self) -> Process:
        argv = [sys.executable, "manage.py", "worker", "--no-reload", "--interval=0.1"]
        argv += ["--no-startup-delay", "--worker-id=scale-out"]
        process = Process("worker", argv, self.env, self.logs)
        self.processes.append(process)
        return process

    def wait_until(self, check: Any, what: str, seconds: float = BOOT) -> None:
        deadline = time.monotonic() + seconds
        while not check():
            dead = [p.name for p in self.processes if p.popen.poll() is not None]
            assert not dead, f"{', '.join(dead)} exited while waiting for {what}"
            assert time.monotonic() < deadline, f"gave up waiting for {what}"
            time.sleep(0.05)

    def wait_for_port(self, port: int) -> None:
        def accepts() -> bool:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                return False
            return True

        self.wait_until(accepts, f"a server on port {port}")

    def socket(self, port: int, flow: Flow, session: str) -> ClientConnection:
        """A flow page's websocket on the server at `port`, closed when the block ends."""
        return self.sockets.enter_context(open_socket(port, flow.sid, session))

    def __enter__(self) -> Stack:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.sockets.close()
        for process in self.processes:
            process.stop()
        if isinstance(exc, Exception):
            logs = "\n".join(f"--- {p.name} ---\n{p.log()[-4000:]}" for p in self.processes)
            raise AssertionError(f"{exc}\n{logs}") from exc


def page_address(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def socket_address(port: int, flow_sid: str) -> str:
    return f"ws://127.0.0.1:{port}/ws/flows/{flow_sid}/"


def socket_headers(session: str) -> dict[str, str]:
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}


def open_socket(port: int, flow_sid: str, session: str) -> ClientConnection:
    """The flow page's websocket as a browser opens it: session cookie, page Origin."""
    return connect(
        socket_address(port, flow_sid),
        origin=page_address(port),  # type: ignore[arg-type]
        additional_headers=socket_headers(session),
        proxy=None,  # loopback, whatever proxy the environment names
        open_timeout=10,
    )


def session_of(user: Any) -> str:
    client = Client()
    client.force_login(user)  # commits a session row: the servers read it from the database
    return client.cookies[settings.SESSION_COOKIE_NAME].value
