"""A worker whose database connections are cut (a failed-over or restarted PostgreSQL, here
`pg_terminate_backend` on the test database's backends, or a proxy in front of it taken
down: tests/database_proxy.py) keeps running and loses nothing: timers keep firing
(editor/management/commands/worker.py). A task whose end could not be
recorded goes back to the queue and runs again, and so does a task that failed on a
database error."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from editor import services
from editor.management.commands import worker as worker_command
from editor.management.commands.worker import RecoveringWorker
from editor.models import Execution, Status, Team

from . import test_durability
from .database_proxy import proxied
from .process_support import database_url
from .slow_server import SlowServer, serving
from .test_durability import Stack, wait_until
from .test_short_transactions import http_flow
from .test_timeouts import CONTACT, FLOW_ADDRESS, path, published_flow, timer_rows

WORKER_OPTIONS = ["--interval=0.5", "--no-startup-delay", "--worker-id=worker-1"]


@pytest.fixture
def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    monkeypatch.setenv("OUTBOUND_ALLOW_LOOPBACK", "true")  # the slow server is on loopback
    stack = Stack(tmp_path)
    try:
        yield stack
    finally:
        stack.kill_all()


def cut_connections() -> int:
    """Terminate every other backend of the test database (the worker's pooled ones), and
    wait until they are gone (PostgreSQL 14's timeout argument)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def until(stack: Stack, check: Callable[[], Any], what: str) -> None:
    """wait_until, failing at once when the worker has exited or its loop has stopped."""
    worker = stack.worker
    assert worker is not None

    def alive_and() -> Any:
        assert worker.popen.poll() is None, f"the worker exited\n{stack.logs_text()}"
        assert "in thread django-main-thread" not in worker.log(), stack.logs_text()
        return check()

    wait_until(alive_and, 30, what, stack)


def timer_fires(stack: Stack, team: Team, name: str, what: str) -> Execution:
    """A new flow whose one-second timer the worker fires: its execution, once ended."""
    flow = published_flow(team, name, "1")
    execution = services.start_execution(
        flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
    ).execution
    until(stack, lambda: Execution.objects.get(pk=execution.pk).status == "ended", what)
    return execution


@pytest.mark.django_db(transaction=True)
def test_a_worker_outlives_its_database_connections(team: Team, stack: Stack) -> None:
    """Cut while a timer's Make HTTP Request waits, and again while the worker polls."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    with serving(SlowServer(0, delays=(60,))) as slow:
        definition = http_flow(slow.url, after_reply=True)
        ask = next(s for s in definition["states"] if s["name"] == "ask")
        ask["properties"]["timeout"] = "1"
        ask["transitions"][1]["next"] = "fetch"
        flow = services.create_flow(
            team, friendly_name="Cut", definition=definition, status=Status.PUBLISHED
        )
        stack.worker = stack.spawn("worker-1", ["worker", "--no-reload", *WORKER_OPTIONS])
        stack.wait_for_worker()
        execution = services.start_execution(
            flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
        ).execution

        # The timeout runs; its Make HTTP Request waits while the connections are cut, so
        # the worker's connection is dead when it commits: it commits on a new one
        # (models/one_trip.py drop_if_gone), and records the task's end.
        until(stack, lambda: slow.calls, "the worker to run the timeout")
        assert cut_connections() >= 1
        slow.release.set()

        [timer] = timer_rows(execution)
        until(
            stack,
            lambda: DBTaskResult.objects.get(pk=timer.pk).status == "SUCCESSFUL",
            "the timer to succeed",
        )
        execution.refresh_from_db()
        assert path(execution) == [
            ("Trigger", "incomingRequest", "ask"),
            ("ask", "timeout", "fetch"),
            ("fetch", "success", "done"),
            ("done", "next", "Ended"),
        ]
        assert execution.status == "ended"
        assert len(slow.calls) == 1  # not run again

    # Cut while the worker only polls the queue: the next timer still fires.
    assert cut_connections() >= 1
    second = timer_fires(stack, team, "Later", "the second timer to fire")
    assert [s.name for s in second.steps.all()].count("timeout") == 1


@pytest.mark.django_db
def test_a_task_that_failed_on_the_database_runs_again(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A timer whose run failed on a database error (SQLite's lock waited out, here) is not
    left FAILED, which would keep its execution waiting until the next worker start."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)  # the test's atomic
    flow = published_flow(team, "Locked", "2")
    execution = services.start_execution(
        flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
    ).execution
    [timer] = timer_rows(execution)
    fire = services.fire_timeout
    failures = iter([OperationalError("database is locked")])

    def locked_once(*args: Any) -> bool:
        for error in failures:
            raise error
        return fire(*args)

    monkeypatch.setattr(services, "fire_timeout", locked_once)
    worker = in_process_worker()

    def run_due() -> DBTaskResult:
        DBTaskResult.objects.filter(pk=timer.pk).update(run_after=timezone.now())
        worker.run()
        return DBTaskResult.objects.get(pk=timer.pk)

    failed = run_due()
    assert failed.status == "READY" and failed.run_after > timezone.now()
    assert run_due().status == "SUCCESSFUL"
    assert [s.name for s in execution.steps.all()].count("timeout") == 1


def in_process_worker() -> RecoveringWorker:
    return RecoveringWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-1",
        excluded_queue_names=[],
    )


@pytest.mark.django_db(transaction=True)  # the worker closes its connections
def test_a_task_whose_end_could_not_be_recorded_runs_again(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection died under the task and db_worker's record of its failure failed too:
    the worker hands the task, still RUNNING under its own id, back to the queue (its
    heartbeat would keep any other worker from doing so) and runs it again."""
    monkeypatch.setattr(worker_command, "RECONNECT", 0)
    flow = published_flow(team, "Lost", "2")
    execution = services.start_execution(
        flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
    ).execution
    [timer] = timer_rows(execution)
    DBTaskResult.objects.filter(pk=timer.pk).update(run_after=timezone.now())
    fire, record = services.fire_timeout, DBTaskResult.set_failed
    lost = iter([OperationalError("the connection is closed")])

    def connection_lost(*args: Any) -> bool:
        for error in lost:
            monkeypatch.setattr(DBTaskResult, "set_failed", recording_fails)
            raise error
        return fire(*args)

    def recording_fails(self: DBTaskResult, exc: BaseException) -> None:
        monkeypatch.setattr(DBTaskResult, "set_failed", record)
        raise OperationalError("the connection is closed")

    monkeypatch.setattr(services, "fire_timeout", connection_lost)
    in_process_worker().run()

    timer.refresh_from_db()
    assert (timer.status, timer.worker_ids) == ("SUCCESSFUL", ["worker-1", "worker-1"])
    assert [s.name for s in execution.steps.all()].count("timeout") == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("reload", ["--no-reload", "--reload"])
def test_a_worker_waits_out_a_database_that_refuses_connections(
    team: Team, stack: Stack, reload: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database restarts: every connection drops and new ones are refused for a few
    seconds. Without the pool (DATABASE_POOL=false), whose wait for a connection hides a
    short outage, the worker's next poll of the queue fails: it waits and polls again.
    With --reload (DEBUG's default) db_worker polls in a thread of the reloader's child,
    where the error used to end the thread and leave the process beating."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL server behind a proxy")
    monkeypatch.setenv("DATABASE_POOL", "false")
    with proxied(database_url()) as proxy:
        monkeypatch.setattr(test_durability, "database_url", lambda: proxy.url)
        stack.worker = stack.spawn("worker-1", ["worker", reload, *WORKER_OPTIONS])
        stack.wait_for_worker()
        proxy.down()
        until(stack, lambda: "lost the database" in stack.worker.log(), "the worker to notice")
        proxy.up.set()

        timer_fires(stack, team, "After", "the timer to fire once the database is back")
