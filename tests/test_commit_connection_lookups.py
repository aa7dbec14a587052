"""The commit of an execution's start looks Django's connection up a few times, not once
for every attribute it reads (editor/models/one_trip.py, rows.py, editor/tasks.py): each
`connection.x` is a thread-local lookup through `django.db.connections`, a few µs in a
request's thread, and a start's commit made about thirty (bench/RESULTS.md, B6)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.utils.connection import BaseConnectionHandler

from editor import services
from editor.models import Execution
from editor.samples import sample_text
from editor.services import executions

pytestmark = pytest.mark.django_db(transaction=True)
FLOW_ADDRESS = "+15550006000"
# On PostgreSQL one_trip, the execution's row, its steps, its transcript and its timer need
# one each, and the timer's backend one (six; the commit made 31 before); elsewhere Django's
# atomic() looks the connection up itself a dozen times (17; 30 before).
MOST = {"postgresql": 7}
ELSEWHERE = 20


def start(flow, contact: str):
    return services.start_execution(
        flow,
        kind="request",
        contact=contact,
        flow_address=FLOW_ADDRESS,
        parameters=json.loads('{"appointment": "tomorrow at 9"}'),
    )


def test_a_start_commit_looks_the_connection_up_a_few_times(team, monkeypatch):
    flow = services.import_flow(team, sample_text("appointment-reminder"), publish=True)
    start(flow, "+15550000001")  # caches warm (the timer's columns, the SQL texts)
    lookups = []
    looking = BaseConnectionHandler.__getitem__
    commit = executions.commit

    def counted(*args, **kwargs):
        def lookup(handler, alias):
            lookups.append(alias)
            return looking(handler, alias)

        with monkeypatch.context() as patched:
            patched.setattr(BaseConnectionHandler, "__getitem__", lookup)
            return commit(*args, **kwargs)

    monkeypatch.setattr(executions, "commit", counted)
    outcome = start(flow, "+15550000002")

    stored = Execution.objects.get(sid=outcome.execution.sid)
    assert (stored.status, stored.wait_id) == ("active", outcome.execution.wait_id)
    assert stored.steps.count() == 1 and stored.transcript.count() == 3
    assert 0 < len(lookups) <= MOST.get(connection.vendor, ELSEWHERE), len(lookups)
