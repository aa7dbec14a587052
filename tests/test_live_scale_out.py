"""Scale-out: two ASGI server processes and a worker process share PostgreSQL and Redis, and
every tab watching an execution follows it whichever process drove it (docs/protocol.md,
"Watching"). Tab A talks to server 1 and tab B to server 2, over real websockets.

The servers run the project's ASGI application under uvicorn, as production does, with one
change: the consumer's database catch-up on timers (editor/consumers/flow.py, TIMER_GRACE) is
pushed an hour out. A timeout that reaches both tabs within seconds can then only have come
from the worker's broadcast through Redis.

It needs PostgreSQL (several processes on one SQLite file is the embedded default's business,
tested in tests/test_durability.py) and Redis: without them it skips, and with CI=true fails.
The processes use the test database and REDIS_URL's server at database REDIS_DB, or
SCALE_OUT_REDIS_URL when it is set.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone
from websockets.sync.client import ClientConnection, connect

from editor import services
from editor.models import Flow, Status
from editor.samples import load_sample
from tests.live_support import check_frame, texts
from tests.test_durability import database_url, free_port

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"
BOOT = 30.0  # seconds a process may take to start on a loaded machine
TIMEOUT = 2  # seconds: the Send & Wait timeout the worker fires
# A Redis database of its own, so that its keys stay out of the suite's (REDIS_URL's). Group
# and channel names hold random SIDs, so runs sharing it cannot cross and nothing is flushed.
REDIS_DB = 14
SERVER = """
import sys, uvicorn
import studio_clone.asgi
from django.conf import settings
from editor.consumers import flow
assert settings.CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis")
flow.TIMER_GRACE = 3600.0  # no catch-up from the database: broadcasts come through Redis
sys.exit(uvicorn.main())
"""


def redis_url() -> str:
    """SCALE_OUT_REDIS_URL, or REDIS_URL's server (127.0.0.1:6379 without it) at REDIS_DB."""
    if os.environ.get("SCALE_OUT_REDIS_URL"):
        return os.environ["SCALE_OUT_REDIS_URL"]
    base = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379")
    return urlunsplit(base._replace(path=f"/{REDIS_DB}", query=""))


def require(ok: bool, what: str) -> None:
    if not ok:
        if IN_CI:
            pytest.fail(f"{what}: in CI the scale-out test must run")
        pytest.skip(what)


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


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

    def __enter__(self) -> Stack:
        return self

    def tab(self, name: str, port: int, flow: Flow, session: str) -> Tab:
        return Tab(name, self.sockets.enter_context(open_socket(port, flow, session)))

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.sockets.close()
        for process in self.processes:
            process.stop()
        if isinstance(exc, Exception):
            logs = "\n".join(f"--- {p.name} ---\n{p.log()[-4000:]}" for p in self.processes)
            raise AssertionError(f"{exc}\n{logs}") from exc


def open_socket(port: int, flow: Flow, session: str) -> ClientConnection:
    """The flow page's websocket as a browser opens it: session cookie, page Origin."""
    return connect(
        f"ws://127.0.0.1:{port}/ws/flows/{flow.sid}/",
        origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        proxy=None,  # loopback, whatever proxy the environment names
        open_timeout=10,
    )


class Tab:
    """One browser tab of a signed-in user on a flow's page, on one server."""

    def __init__(self, name: str, socket: ClientConnection) -> None:
        self.name = name
        self.socket = socket
        self.presence: list[dict[str, Any]] = []
        self.hello = self.receive()
        assert self.hello["type"] == "hello"

    def receive(self, timeout: float = 10, *, presence: bool = False) -> dict[str, Any]:
        """The next frame; presence frames are kept aside in `presence` unless asked for."""
        while True:
            try:
                frame = check_frame(json.loads(self.socket.recv(timeout)))
            except TimeoutError:
                raise AssertionError(f"tab {self.name} got nothing within {timeout} s") from None
            if presence or not frame["type"].startswith("presence."):
                return frame
            self.presence.append(frame)

    def next_of(self, kind: str, timeout: float = 10) -> dict[str, Any]:
        while frame := self.receive(timeout, presence=kind.startswith("presence.")):
            if frame["type"] == kind:
                return frame
        raise AssertionError("unreachable")

    def ask(self, frame: dict[str, Any]) -> dict[str, Any]:
        """Send a frame with a ref and return the answer that carries it."""
        ref = f"r{id(frame)}"
        self.socket.send(json.dumps({**frame, "ref": ref}))
        while (answer := self.receive()).get("ref") != ref:
            pass
        assert answer["type"] != "error", answer
        return answer


def session_of(user: Any) -> str:
    client = Client()
    client.force_login(user)  # commits a session row: the servers read it from the database
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def quick_timeout() -> dict[str, Any]:
    definition = load_sample("conversations-tutorial")
    [wait] = [s for s in definition["states"] if s["name"] == "send_and_reply_1"]
    wait["properties"]["timeout"] = str(TIMEOUT)
    return definition


@pytest.mark.django_db(transaction=True)
def test_tabs_on_two_servers_follow_one_run_and_the_workers_timeout(team, alice, carol, tmp_path):
    require(connection.vendor == "postgresql", "the scale-out test needs PostgreSQL")
    url = redis_url()
    require(redis_answers(url), f"the scale-out test needs Redis at {url}")
    # Committed as it is made (a transactional test): the other processes see all of it. The
    # sample waits an hour for the reply, so that a slow machine cannot time out step 1.
    flow = services.create_flow(
        team, friendly_name="Scale out", definition=load_sample("conversations-tutorial")
    )
    sessions = session_of(alice), session_of(carol)

    with Stack(tmp_path, url) as stack:
        ports = stack.server("server-1"), stack.server("server-2")
        worker = stack.worker()
        for port in ports:
            stack.wait_for_port(port)
        stack.wait_until(lambda: "Starting worker" in worker.log(), "the worker to start")
        a = stack.tab("A", ports[0], flow, sessions[0])
        b = stack.tab("B", ports[1], flow, sessions[1])

        # 0. Each sees the other arrive, and an edit on one server reaches the other.
        b_seen_by_a = a.next_of("presence.updated")
        a_seen_by_b = b.next_of("presence.updated")
        assert b_seen_by_a["connection"] == b.hello["connection"]
        assert a_seen_by_b["connection"] == a.hello["connection"]
        b.socket.send(
            json.dumps({"type": "presence.update", "selection": ["split_1"], "typing": None})
        )
        assert a.next_of("presence.updated")["selection"] == ["split_1"]
        move = {"op": "move_widgets", "offsets": {"split_1": {"x": 40, "y": 480}}}
        acked = a.ask({"type": "doc.edit", "base": a.hello["version"], "ops": [move]})
        changed = b.next_of("doc.changed")
        assert (changed["version"], changed["ops"]) == (acked["version"], [move])
        assert changed["author"]["name"] == "alice"

        # 1. A (server 1) starts a run and replies; B (server 2) watches it live.
        started = a.ask({"type": "run.start", "trigger": "message"})
        sid = started["execution"]["sid"]
        watched = b.ask({"type": "run.watch", "execution": sid})
        replied = a.ask({"type": "run.reply", "execution": sid, "body": "yes"})
        live = b.receive()

        assert watched["type"] == "run.snapshot"
        assert watched["entries"] == started["entries"]
        assert live["type"] == "run.delta" and "ref" not in live
        assert live["entries"] == replied["entries"], "both tabs show the same transcript"
        assert live["execution"] == replied["execution"]
        assert live["entries"][0]["seq"] == watched["execution"]["last_seq"] + 1
        assert "Great! We like you too. Bots and humans, best friends forever." in texts(
            live["entries"]
        )
        assert live["execution"]["status"] == "ended"

        # 2. The tester sets the timeout to TIMEOUT seconds and starts again; nobody replies.
        services.update_flow(flow, status=Status.DRAFT, definition=quick_timeout())
        second = a.ask({"type": "run.start", "trigger": "message"})
        sid = second["execution"]["sid"]
        b.ask({"type": "run.watch", "execution": sid})
        due = datetime.fromisoformat(second["execution"]["wait"]["timeout_at"])
        assert due - timezone.now() <= timedelta(seconds=TIMEOUT)

        fired = [a.receive(timeout=TIMEOUT + 10), b.receive(timeout=TIMEOUT + 10)]
        late = timezone.now() - due

    for delta in fired:
        assert delta["type"] == "run.delta" and "ref" not in delta
        assert delta["execution"]["sid"] == sid and delta["execution"]["status"] == "ended"
        timeout = delta["entries"][0]
        assert (timeout["input"], timeout["source"]) == ("timeout", "worker")
        assert timeout["seq"] == second["execution"]["last_seq"] + 1
    assert fired[0]["entries"] == fired[1]["entries"]
    assert late < timedelta(seconds=5), f"the timeout reached the tabs {late} after it was due"
