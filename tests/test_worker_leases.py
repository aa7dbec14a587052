"""A task whose worker died is handed back to the queue and run by another worker.

The unit tests drive editor/leases.py with an explicit clock. The last test kills a worker
with SIGKILL while it runs a timeout (the execution's Make HTTP Request is still waiting on
a local server) and watches a second, running worker take the timer over within seconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from editor import services
from editor.leases import LEASE, Heartbeat, beat, reclaim_lost_tasks
from editor.models import Execution, Status, Team, WorkerHeartbeat
from editor.tasks import schedule_timeout

from .slow_server import SlowServer, serving
from .test_durability import Stack, wait_until
from .test_short_transactions import http_flow
from .test_timeouts import CONTACT, FLOW_ADDRESS, path, timer_rows


def claimed_task(worker_id: str, ago: timedelta) -> DBTaskResult:
    schedule_timeout("FN" + "0" * 32, 1, timezone.now())
    task = DBTaskResult.objects.get()
    task.claim(worker_id)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - ago)
    return task


def status(task: DBTaskResult) -> str:
    return DBTaskResult.objects.get(pk=task.pk).status


@pytest.mark.django_db
def test_a_task_of_a_silent_worker_goes_back_to_the_queue() -> None:
    task = claimed_task("gone", ago=LEASE * 2)
    beat("gone", timezone.now() - LEASE * 2)

    assert reclaim_lost_tasks() == 1
    assert status(task) == "READY"
    assert DBTaskResult.objects.ready().get().pk == task.pk


@pytest.mark.django_db
def test_a_task_of_a_worker_that_never_beat_goes_back_to_the_queue() -> None:
    task = claimed_task("never-beat", ago=LEASE * 2)

    assert reclaim_lost_tasks() == 1
    assert status(task) == "READY"


@pytest.mark.django_db
def test_a_live_workers_task_stays_with_it_however_long_it_runs() -> None:
    task = claimed_task("busy", ago=timedelta(minutes=5))
    beat("busy")

    assert reclaim_lost_tasks() == 0
    assert status(task) == "RUNNING"


@pytest.mark.django_db
def test_a_task_claimed_moments_ago_waits_for_its_workers_first_beat() -> None:
    task = claimed_task("new", ago=timedelta(seconds=1))

    assert reclaim_lost_tasks() == 0
    assert status(task) == "RUNNING"


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_beats_and_clears_its_row_when_stopped() -> None:
    heartbeat = Heartbeat("worker-x", interval=0.05)
    heartbeat.start()
    deadline = time.monotonic() + 5
    while not WorkerHeartbeat.objects.filter(worker_id="worker-x").exists():
        assert time.monotonic() < deadline, "no heartbeat was written"
        time.sleep(0.02)
    first = WorkerHeartbeat.objects.get(worker_id="worker-x").beat_at
    time.sleep(0.2)
    assert WorkerHeartbeat.objects.get(worker_id="worker-x").beat_at > first

    heartbeat.stop()
    assert not heartbeat.is_alive()
    assert not WorkerHeartbeat.objects.filter(worker_id="worker-x").exists()


@pytest.fixture
def hanging_once() -> Iterator[SlowServer]:
    """The first request hangs (its worker is about to be killed); later ones answer."""
    with serving(SlowServer(0, delays=(60,))) as server:
        yield server


@pytest.fixture
def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    # The workers' Make HTTP Request may reach the local server.
    monkeypatch.setenv("OUTBOUND_ALLOW_LOOPBACK", "true")
    stack = Stack(tmp_path)
    try:
        yield stack
    finally:
        stack.kill_all()


@pytest.mark.both_databases
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_running_a_timer_loses_it_to_a_running_worker(
    team: Team, stack: Stack, hanging_once: SlowServer
) -> None:
    """ask (2 s) -> timeout -> fetch: the worker running the timeout is killed inside the
    HTTP call; the other worker reclaims the task within the lease and finishes the run."""
    execution = timeout_into_hanging_fetch(team, stack, hanging_once, "2", "Killed mid-task")
    [timer] = timer_rows(execution)
    assert (timer.status, timer.worker_ids) == ("RUNNING", ["worker-1"])
    stack.start_worker("worker-2")
    stack.wait_for_worker()
    first = stack.processes[0]
    first.kill()
    killed_at = time.monotonic()

    wait_until(lambda: len(hanging_once.calls) > 1, 60, "worker-2 to take the timer over", stack)
    taken_over_after = hanging_once.calls[1] - killed_at
    wait_until(
        lambda: DBTaskResult.objects.get(pk=timer.pk).status == "SUCCESSFUL",
        30,
        "worker-2 to finish the timer",
        stack,
    )

    # The lease, plus a heartbeat period, plus a poll of the queue; generous for a loaded box.
    assert taken_over_after < LEASE.total_seconds() + 8, taken_over_after
    timer.refresh_from_db()
    assert timer.worker_ids == ["worker-1", "worker-2"]
    execution.refresh_from_db()
    assert path(execution) == [
        ("Trigger", "incomingRequest", "ask"),
        ("ask", "timeout", "fetch"),
        ("fetch", "success", "done"),
        ("done", "next", "Ended"),
    ]
    assert execution.status == "ended"


@pytest.mark.both_databases
@pytest.mark.django_db(transaction=True)
def test_a_worker_restarted_under_the_same_id_runs_the_timer_it_was_killed_in(
    team: Team, stack: Stack, hanging_once: SlowServer
) -> None:
    """A fixed --worker-id (a host name, a unit's name) restarted after a kill: its
    heartbeat would have kept the old process's task RUNNING for ever."""
    execution = timeout_into_hanging_fetch(team, stack, hanging_once, "1", "Same id")
    stack.kill_all()

    stack.start_worker("worker-1")
    [timer] = timer_rows(execution)
    wait_until(
        lambda: DBTaskResult.objects.get(pk=timer.pk).status == "SUCCESSFUL",
        20,
        "the restarted worker to run the timer again",
        stack,
    )
    execution.refresh_from_db()
    assert execution.status == "ended"
    assert [s.name for s in execution.steps.all()].count("timeout") == 1


def timeout_into_hanging_fetch(
    team: Team, stack: Stack, hanging: SlowServer, timeout: str, name: str
) -> Execution:
    """ask (`timeout` s) -> timeout -> fetch, whose HTTP call hangs: an execution started
    with worker-1 running, returned once worker-1 is inside that call."""
    definition = http_flow(hanging.url, after_reply=True)
    ask = next(s for s in definition["states"] if s["name"] == "ask")
    ask["properties"]["timeout"] = timeout
    ask["transitions"][1]["next"] = "fetch"
    flow = services.create_flow(
        team, friendly_name=name, definition=definition, status=Status.PUBLISHED
    )
    stack.start_worker("worker-1")
    stack.wait_for_worker()
    execution = services.start_execution(
        flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
    ).execution
    wait_until(lambda: hanging.calls, 30, "worker-1 to run the timeout", stack)
    return execution
