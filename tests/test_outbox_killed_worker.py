"""A worker killed (SIGKILL) while Twilio has not yet answered its request neither loses the
message nor sends it twice: the task goes back to the queue (editor/leases.py), the row's
own claim runs out (services/outbox.py), and the other worker sends it once. A sender whose
database connection is cut while Twilio creates its message (a failed-over PostgreSQL, here
`pg_terminate_backend`) records it as sent on a new connection (`record_sent`) instead of
leaving the row to be sent a second time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from editor.models import OutboundRequest, Team
from editor.samples import load_sample

from .outbox_support import PUBLIC, post
from .test_durability import Stack, wait_until
from .test_worker_lost_database import cut_connections
from .twilio_support import (
    AUTH_TOKEN,
    TWILIO_ACCOUNT,
    FakeTwilio,
    connect,
    fake_twilio,
    published,
    sms,
    webhook_path,
)


@pytest.fixture
def twilio(settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTwilio]:
    with fake_twilio({TWILIO_ACCOUNT: AUTH_TOKEN}) as server:
        settings.TWILIO_WEBHOOK_BASE_URL = PUBLIC
        monkeypatch.setenv("TWILIO_API_BASE", server.base)
        monkeypatch.setenv("TWILIO_WEBHOOK_BASE_URL", PUBLIC)
        # A short request timeout makes the row's claim short (timeout + margin).
        monkeypatch.setenv("TWILIO_HTTP_TIMEOUT", "5")
        yield server


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    stack = Stack(tmp_path)
    try:
        yield stack
    finally:
        stack.kill_all()


@pytest.mark.both_databases
@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_before_twilio_answered_loses_nothing_and_repeats_nothing(
    team: Team, twilio: FakeTwilio, stack: Stack
) -> None:
    connect(team)
    tutorial = published(team, load_sample("conversations-tutorial"), "Tutorial")
    for name in ("worker-1", "worker-2"):
        stack.start_worker(name)
        stack.wait_for_worker()
    twilio.hang(1)
    post(webhook_path(tutorial), sms("hi", "SM" + "1" * 32))

    wait_until(twilio.arrived.is_set, 30, "a worker to send the message", stack)
    [task] = DBTaskResult.objects.filter(task_path="editor.tasks.send_outbound_task")
    holder = task.worker_ids[-1]
    next(p for p in stack.processes if p.name == holder).kill()

    row = OutboundRequest.objects.get()
    wait_until(
        lambda: OutboundRequest.objects.get(pk=row.pk).status == "sent",
        60,
        "the other worker to send it",
        stack,
    )
    row.refresh_from_db()
    assert len(twilio.created("message")) == 1
    assert row.attempts == 2 and row.twilio_sid == twilio.requests[-1]["sid"]
    task.refresh_from_db()
    assert task.worker_ids[0] == holder and holder not in task.worker_ids[1:]


@pytest.mark.django_db(transaction=True)
def test_a_message_sent_while_the_database_connection_was_cut_is_sent_once(
    team: Team, twilio: FakeTwilio, stack: Stack
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    connect(team)
    tutorial = published(team, load_sample("conversations-tutorial"), "Tutorial")
    stack.start_worker("worker-1")
    stack.wait_for_worker()
    twilio.hold(1)
    post(webhook_path(tutorial), sms("hi", "SM" + "1" * 32))

    wait_until(twilio.arrived.is_set, 30, "the worker to send the message", stack)
    assert cut_connections() >= 1
    twilio.release.set()

    row = OutboundRequest.objects.get()
    wait_until(
        lambda: OutboundRequest.objects.get(pk=row.pk).status == "sent", 30, "the row", stack
    )
    row.refresh_from_db()  # without record_sent: sent again once the claim ran out, 10 s on
    assert len(twilio.created("message")) == 1
    assert row.attempts == 1 and row.twilio_sid == twilio.requests[-1]["sid"]
    assert "recording it again" in stack.worker.log()
