"""A server whose pooled database connections are cut (a failed-over or restarted
PostgreSQL, here `pg_terminate_backend`) answers the next requests as if nothing happened:
the pool checks a connection as it lends it (studio_clone/settings.py). Without the check
the first request on each dead connection failed (a 500, a websocket's `internal` error),
and a message webhook that fails is a message Twilio does not send again."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection

from editor.models import Execution, Team

from .process_support import open_socket, session_of
from .test_durability import Api, Stack
from .test_timeouts import published_flow
from .test_worker_lost_database import cut_connections
from .twilio_support import connect, sign, sms, webhook_path

PUBLIC = "https://studio.example.com"


@pytest.fixture
def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    monkeypatch.setenv("TWILIO_WEBHOOK_BASE_URL", PUBLIC)
    stack = Stack(tmp_path)
    try:
        yield stack
    finally:
        stack.kill_all()


def webhook(stack: Stack, path: str, params: dict[str, str]) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{stack.port}{path}",
        data=urllib.parse.urlencode(params).encode(),
        headers={"X-Twilio-Signature": sign(PUBLIC + path, params)},
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # an error raises
        return response.status


@pytest.mark.django_db(transaction=True)
def test_a_server_answers_the_first_requests_after_its_connections_were_cut(
    team: Team, alice: User, stack: Stack
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's; SQLite has no pool")
    connect(team)
    flow = published_flow(team, "Inbound", "3600")  # a message starts and ends an execution
    api = Api(team, stack)
    stack.start_server()
    api.wait_until_up()
    for _ in range(3):  # the pool's connections in use
        assert api.call("GET", "/v2/Flows")["flows"]
    with open_socket(stack.port, flow.sid, session_of(alice)) as socket:
        assert json.loads(socket.recv(timeout=20))["type"] == "hello"

        assert cut_connections() >= 1

        # A test run started on the open websocket, a message webhook, the REST API.
        socket.send(json.dumps({"type": "run.start", "trigger": "message", "body": "hi"}))
        answer = json.loads(socket.recv(timeout=20))
        assert answer["type"] == "run.snapshot", answer
    assert webhook(stack, webhook_path(flow), sms("hi", "SM" + "c" * 32)) == 200
    assert Execution.objects.filter(flow=flow, origin="webhook").count() == 1
    for _ in range(3):
        assert api.call("GET", f"/v2/Flows/{flow.sid}")["sid"] == flow.sid
