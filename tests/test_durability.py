"""A restart loses nothing and does nothing twice: the server and the task worker run as
separate OS processes on the test database, are killed with SIGKILL while executions wait,
and are started again.

The subprocesses reach the test database through DATABASE_URL: on PostgreSQL it is the test
database pytest-django made; on SQLite the settings make the test database a file (see
DATABASES["default"]["TEST"]) so that other processes can open it.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from editor import services
from editor.models import Execution, Flow, Status, Team

from .process_support import database_url, free_port
from .test_timeouts import CONTACT, FLOW_ADDRESS, path, published_flow, timer_rows, wait_flow

ROOT = Path(__file__).resolve().parents[1]
POLL = 0.5  # the worker's --interval, as scripts/run starts it
BOOT = 60.0  # seconds a process may take to start on a loaded machine
HASTY = 3  # seconds: long enough to kill everything before it falls due


class Process:
    """One manage.py command in its own session, so that killpg takes all of it."""

    def __init__(self, name: str, args: list[str], logs: Path) -> None:
        self.name = name
        self.log_path = logs / f"{name}.log"
        env = dict(os.environ, DATABASE_URL=database_url(), PYTHONUNBUFFERED="1")
        with self.log_path.open("w") as log:
            self.popen = subprocess.Popen(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as in a crash or an OOM kill."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)


class Stack:
    """The server and the worker, started and killed the way an operator (or a crash) does."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.processes: list[Process] = []
        self.server: Process | None = None
        self.worker: Process | None = None
        self.port = 0
        self.runs = 0

    def start_server(self) -> None:
        # A fresh port on each start: the old one may linger in TIME_WAIT, and xdist workers
        # each pick their own.
        self.runs += 1
        self.port = free_port()
        self.server = self.spawn(
            f"server-{self.runs}", ["runserver", "--noreload", f"127.0.0.1:{self.port}"]
        )

    def start_worker(self, worker_id: str) -> None:
        self.worker = self.spawn(
            worker_id,
            [
                "worker",
                "--no-reload",
                f"--interval={POLL}",
                "--no-startup-delay",
                f"--worker-id={worker_id}",
            ],
        )

    def spawn(self, name: str, args: list[str]) -> Process:
        process = Process(name, args, self.logs)
        self.processes.append(process)
        return process

    def wait_for_worker(self) -> None:
        worker = self.worker
        assert worker is not None
        wait_until(lambda: "Starting worker" in worker.log(), BOOT, "the worker to start", self)

    def kill_all(self) -> None:
        for process in self.processes:
            process.kill()

    def logs_text(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.log()[-3000:]}" for p in self.processes)


def wait_until(check: Callable[[], Any], seconds: float, what: str, stack: Stack) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}\n{stack.logs_text()}")
        time.sleep(0.1)


class Api:
    """Plain HTTP with an API key, as the Twilio SDKs send it."""

    def __init__(self, team: Team, stack: Stack) -> None:
        key, secret = services.create_api_key(team, friendly_name="durability")
        token = base64.b64encode(f"{key.sid}:{secret}".encode()).decode()
        self.auth = f"Basic {token}"
        self.stack = stack

    def call(self, method: str, url: str, form: dict[str, str] | None = None) -> Any:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.stack.port}{url}",
            data=data,
            method=method,
            headers={"Authorization": self.auth},
        )
        with urllib.request.urlopen(request, timeout=20) as response:
            return json.loads(response.read())

    def wait_until_up(self) -> None:
        def answers() -> bool:
            try:
                return "flows" in self.call("GET", "/v2/Flows")
            except (OSError, urllib.error.HTTPError):
                return False

        wait_until(answers, BOOT, "the server to answer", self.stack)

    def execute(self, flow: Flow, contact: str) -> Execution:
        body = self.call(
            "POST", f"/v2/Flows/{flow.sid}/Executions", {"To": contact, "From": FLOW_ADDRESS}
        )
        assert body["status"] == "active", body
        return Execution.objects.get(sid=body["sid"])

    def steps(self, execution: Execution) -> list[tuple[str, str, str]]:
        body = self.call("GET", f"/v2/Flows/{execution.flow.sid}/Executions/{execution.sid}/Steps")
        # Put them in the order they were taken (Twilio lists the newest first).
        positions = dict(execution.steps.values_list("sid", "position"))
        rows = sorted(body["steps"], key=lambda s: positions[s["sid"]])
        return [(s["transitioned_from"], s["name"], s["transitioned_to"]) for s in rows]

    def status(self, execution: Execution) -> str:
        return self.call("GET", f"/v2/Flows/{execution.flow.sid}/Executions/{execution.sid}")[
            "status"
        ]


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    stack = Stack(tmp_path)
    try:
        yield stack
    finally:
        # Before pytest-django flushes the database: nothing may still be writing to it.
        stack.kill_all()


def reply_from(flow: Flow, contact: str, sid: str) -> services.Outcome:
    payload = {"MessageSid": sid, "From": contact, "To": FLOW_ADDRESS, "Body": "yes"}
    return services.receive_message(
        flow, contact=contact, flow_address=FLOW_ADDRESS, payload=payload
    )


def timed_out(execution: Execution) -> bool:
    return execution.steps.filter(name="timeout").exists()


def sleep_until_due(execution: Execution, margin: float = 0.5) -> None:
    assert execution.wake_at is not None
    delay = (execution.wake_at - timezone.now()).total_seconds() + margin
    time.sleep(max(0.0, delay))


@pytest.mark.both_databases
@pytest.mark.django_db(transaction=True)
def test_killed_server_and_worker_lose_nothing_and_do_nothing_twice(
    team: Team, stack: Stack
) -> None:
    patient = published_flow(team, "Patient", "3600")
    hasty = published_flow(team, "Hasty", str(HASTY))
    api = Api(team, stack)
    a_contact, b_contact, c_contact = "+15550000001", "+15550000002", "+15550000003"

    # 1. Both up; A waits an hour for a reply, B waits HASTY seconds. Then both processes die.
    stack.start_server()
    stack.start_worker("worker-1")
    api.wait_until_up()
    stack.wait_for_worker()
    a = api.execute(patient, a_contact)
    b = api.execute(hasty, b_contact)
    stack.kill_all()
    b.refresh_from_db()
    assert not timed_out(b), "B timed out before the kill; raise HASTY on this machine"
    [b_timer] = timer_rows(b)
    assert b_timer.status == "READY" and b_timer.run_after == b.wake_at

    # 2. While everything is down, A's reply arrives (as the webhook view would pass it on)
    # and B's timeout falls due with no worker to fire it.
    message_sid = "SM" + "a" * 32
    assert reply_from(patient, a_contact, message_sid).handled
    sleep_until_due(b)
    b.refresh_from_db()
    assert not timed_out(b)
    assert DBTaskResult.objects.get(pk=b_timer.pk).status == "READY"

    # 3. Restart: the worker finds B's overdue timer and fires it.
    stack.start_server()
    stack.start_worker("worker-2")
    wait_until(lambda: timed_out(b), 30, "B's timeout after the restart", stack)
    # The webhook is retried (Twilio re-sends when it saw no answer): a no-op.
    retry = reply_from(patient, a_contact, message_sid)
    assert not retry.handled
    time.sleep(4 * POLL)  # a few more polls: nothing may fire again

    a.refresh_from_db()
    b.refresh_from_db()
    assert path(a) == [
        ("Trigger", "incomingRequest", "ask"),
        ("ask", "incomingMessage", "ask_again"),
    ]
    assert a.status == "active" and a.wait["widget"] == "ask_again"
    assert path(b) == [
        ("Trigger", "incomingRequest", "ask"),
        ("ask", "timeout", "bye"),
        ("bye", "sent", "Ended"),
    ]
    assert (b.status, b.ended_reason) == ("ended", "FLOW_END")
    [b_timer] = timer_rows(b)
    assert (b_timer.status, b_timer.return_value, b_timer.worker_ids) == (
        "SUCCESSFUL",
        True,
        ["worker-2"],
    )
    # A's hour-long timers are still waiting (the first is now stale and will be a no-op).
    assert [t.status for t in timer_rows(a)] == ["READY", "READY"]
    assert Execution.objects.filter(flow=patient).count() == 1  # the retry started nothing

    # The restarted server serves what was committed while it was down.
    api.wait_until_up()
    assert api.status(a) == "active" and api.status(b) == "ended"
    assert api.steps(a) == path(a)
    assert api.steps(b) == path(b)

    # 4. The worker dies while idle; a timer falls due meanwhile and fires once on restart.
    c = api.execute(hasty, c_contact)
    assert stack.worker is not None
    stack.worker.kill()
    sleep_until_due(c)
    c.refresh_from_db()
    assert not timed_out(c)
    stack.start_worker("worker-3")
    wait_until(lambda: timed_out(c), 30, "C's timeout after the worker restart", stack)
    time.sleep(4 * POLL)
    assert [s.name for s in c.steps.all()].count("timeout") == 1
    [c_timer] = timer_rows(c)
    assert (c_timer.status, c_timer.worker_ids) == ("SUCCESSFUL", ["worker-3"])
    assert api.status(c) == "ended"


@pytest.mark.django_db
def test_a_retried_first_message_is_not_taken_as_the_reply(team: Team) -> None:
    """The webhook of the message that started an execution may be retried; the retry must
    not answer the Send & Wait it started (the trigger's MessageSid is remembered too)."""
    definition = wait_flow("3600")
    definition["states"][0]["transitions"][0]["next"] = "ask"  # incomingMessage -> ask
    flow = services.create_flow(
        team, friendly_name="Inbound", definition=definition, status=Status.PUBLISHED
    )
    sid = "SM" + "b" * 32

    first = reply_from(flow, CONTACT, sid)
    again = reply_from(flow, CONTACT, sid)

    assert first.handled and not again.handled
    assert again.execution.pk == first.execution.pk
    assert path(again.execution) == [("Trigger", "incomingMessage", "ask")]
