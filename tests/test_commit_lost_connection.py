"""An execution's commit after its database connection was cut while the engine ran (a
failed-over PostgreSQL, here `pg_terminate_backend` while a Make HTTP Request waits) goes
through on a new connection (models/one_trip.py `drop_if_gone`), instead of failing after
the engine's work: a webhook's message that fails is one Twilio does not send again."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import connection, connections

from editor import services
from editor.models import Status, Team

from .slow_server import SlowServer, serving
from .test_short_transactions import http_flow
from .test_timeouts import CONTACT, FLOW_ADDRESS, path, reply

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cutting(settings) -> Iterator[SlowServer]:
    """A slow server whose first request has this thread's connection terminated."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    with serving(SlowServer(1.0)) as server:
        yield server


def cut_when_called(server: SlowServer) -> threading.Thread:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()

    def cut() -> None:
        server.arrived.wait(10)
        with connection.cursor() as cursor:  # this thread's own connection
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        connections.close_all()

    thread = threading.Thread(target=cut)
    thread.start()
    return thread


def test_a_start_commits_after_its_connection_was_cut(team: Team, cutting: SlowServer) -> None:
    flow = services.create_flow(
        team, friendly_name="Start", definition=http_flow(cutting.url), status=Status.PUBLISHED
    )
    cutter = cut_when_called(cutting)
    execution = services.start_execution(
        flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
    ).execution
    cutter.join()

    execution.refresh_from_db()
    assert path(execution) == [
        ("Trigger", "incomingRequest", "fetch"),
        ("fetch", "success", "done"),
        ("done", "next", "Ended"),
    ]


def test_a_reply_commits_after_its_connection_was_cut(team: Team, cutting: SlowServer) -> None:
    definition = http_flow(cutting.url, after_reply=True)
    flow = services.create_flow(
        team, friendly_name="Reply", definition=definition, status=Status.PUBLISHED
    )
    execution = services.start_execution(
        flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
    ).execution
    cutter = cut_when_called(cutting)
    assert reply(flow, "go", "SM" + "d" * 32).handled
    cutter.join()

    execution.refresh_from_db()
    assert execution.status == "ended"
    events = [event for _, event, _ in path(execution)]
    assert events == ["incomingRequest", "incomingMessage", "success", "next"]
