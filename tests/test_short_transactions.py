"""The engine runs with no transaction open: a slow HTTP call holds no database lock.

An execution waits on a local server that answers after six seconds; meanwhile flows are
created and edited and other executions start, answer and end, each in well under a
second. Its result is committed afterwards, in a short transaction that notices when the
execution was moved on in the meantime. Runs on whichever database the suite uses (SQLite by
default, PostgreSQL in CI) and is marked to run on both (see scripts/test).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, connections

from editor import services
from editor.models import Execution, Flow, Status, Team
from editor.samples import load_sample

from .engine_support import trigger
from .slow_server import SlowServer, serving
from .test_timeouts import CONTACT, FLOW_ADDRESS, path, published_flow, reply

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.both_databases]

SLOW = 6.0  # seconds the local server takes to answer
QUICK = 1.5  # what any other operation may take meanwhile, on a loaded 2-core machine


@pytest.fixture
def slow_server(settings) -> Iterator[SlowServer]:
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    with serving(SlowServer(SLOW)) as server:
        yield server


def http_flow(url: str, *, after_reply: bool = False) -> dict[str, Any]:
    """Trigger -> [ask ->] fetch (the slow server) -> done."""
    states: list[dict[str, Any]] = [
        trigger(incomingRequest="ask" if after_reply else "fetch"),
        {
            "name": "fetch",
            "type": "make-http-request",
            "transitions": [{"event": "success", "next": "done"}, {"event": "failed"}],
            "properties": {
                "offset": {"x": 0, "y": 400},
                "method": "GET",
                "content_type": "application/json;charset=utf-8",
                "url": url,
            },
        },
        {
            "name": "done",
            "type": "set-variables",
            "transitions": [{"event": "next"}],
            "properties": {
                "offset": {"x": 0, "y": 600},
                "variables": [{"key": "answer", "value": "{{widgets.fetch.parsed.answer}}"}],
            },
        },
    ]
    if after_reply:
        states.insert(
            1,
            {
                "name": "ask",
                "type": "send-and-wait-for-reply",
                "transitions": [
                    {"event": "incomingMessage", "next": "fetch"},
                    {"event": "timeout"},
                    {"event": "deliveryFailure"},
                ],
                "properties": {
                    "offset": {"x": 0, "y": 200},
                    "from": "{{flow.channel.address}}",
                    "body": "Ready?",
                    "timeout": "3600",
                },
            },
        )
    return {
        "description": "Slow",
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
        "states": states,
    }


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run `work` on its own connection, as a second request would; keep its result."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except Exception as exc:  # the test asserts on it
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def timed(work: Callable[[], Any]) -> float:
    started = time.monotonic()
    work()
    return time.monotonic() - started


def test_a_slow_http_call_blocks_no_other_write(team: Team, slow_server: SlowServer) -> None:
    url = slow_server.url
    slow = services.create_flow(
        team, friendly_name="Slow", definition=http_flow(url), status=Status.PUBLISHED
    )
    waiting = published_flow(team, "Waiting", "3600")

    started = time.monotonic()
    thread, outcome = in_thread(
        lambda: services.start_execution(
            slow, kind="request", contact="+15550001111", flow_address=FLOW_ADDRESS
        )
    )
    assert slow_server.arrived.wait(10), "the slow request never arrived"

    def create_and_edit() -> None:
        flow = services.create_flow(
            team, friendly_name="Meanwhile", definition=load_sample("sms-chatbot")
        )
        services.apply_edit(
            flow,
            base_version=flow.version,
            ops=[{"op": "move_widgets", "offsets": {"Trigger": {"x": 40, "y": 40}}}],
            user=None,
        )

    def start_reply_and_end() -> None:
        execution = services.start_execution(
            waiting, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
        ).execution
        assert reply(waiting, "yes", "SM" + "1" * 32).handled
        services.end_execution(execution)

    durations = {
        "create and edit a flow": timed(create_and_edit),
        "start, answer and end an execution": timed(start_reply_and_end),
        "list executions": timed(lambda: list(Execution.objects.all())),
    }
    still_in_flight = thread.is_alive()
    thread.join(SLOW + 10)

    assert still_in_flight, "the slow call finished before the other writes were timed"
    assert all(seconds < QUICK for seconds in durations.values()), durations
    assert "error" not in outcome, outcome
    execution = outcome["value"].execution
    execution.refresh_from_db()
    assert time.monotonic() - started >= SLOW - 0.5
    assert path(execution) == [
        ("Trigger", "incomingRequest", "fetch"),
        ("fetch", "success", "done"),
        ("done", "next", "Ended"),
    ]
    assert execution.context["flow"]["variables"] == {"answer": 42}


def test_an_execution_ended_while_its_engine_ran_stays_ended(
    team: Team, slow_server: SlowServer
) -> None:
    """The reply's engine run started from a state that no longer holds: its result is
    dropped, and the reply is answered as one sent to an ended execution."""
    url = slow_server.url
    flow = services.create_flow(
        team,
        friendly_name="Slow after a reply",
        definition=http_flow(url, after_reply=True),
        status=Status.PUBLISHED,
    )
    execution = services.start_execution(
        flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
    ).execution
    slow_server.delay = 2.0

    thread, outcome = in_thread(lambda: reply(flow, "go", "SM" + "2" * 32))
    assert slow_server.arrived.wait(10)
    services.end_execution(execution)
    thread.join(10)

    assert isinstance(outcome.get("error"), services.ExecutionEnded), outcome
    execution.refresh_from_db()
    assert (execution.status, execution.ended_reason) == ("ended", "API_ENDED")
    assert path(execution) == [("Trigger", "incomingRequest", "ask")]


def test_an_event_that_loses_a_race_runs_again_on_the_state_that_won(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two replies at once: the second one's first commit finds the version moved, so it
    is delivered again to what the execution waits on now."""
    flow = published_flow(team, "Twice", "3600")
    execution = services.start_execution(
        flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
    ).execution
    real_resume = services.executions.runtime.resume
    raced = []

    def resume_after_a_rival(*args: Any, **kwargs: Any) -> Any:
        result = real_resume(*args, **kwargs)
        if not raced:
            # A rival reply commits while this one's engine is still running.
            raced.append(True)
            thread, outcome = in_thread(lambda: reply(flow, "first", "SM" + "3" * 32))
            thread.join(10)
            assert outcome["value"].handled
        return result

    monkeypatch.setattr(services.executions.runtime, "resume", resume_after_a_rival)
    second = reply(flow, "second", "SM" + "4" * 32)

    assert second.handled
    execution.refresh_from_db()
    assert path(execution) == [
        ("Trigger", "incomingRequest", "ask"),
        ("ask", "incomingMessage", "ask_again"),
        ("ask_again", "incomingMessage", "thanks"),
        ("thanks", "sent", "Ended"),
    ]
    contexts = [c.replace(" ", "") for c in execution.steps.values_list("context", flat=True)]
    assert '"Body":"first"' in contexts[1] and '"Body":"second"' not in contexts[1]
    assert '"Body":"second"' in contexts[2]
    assert execution.version == 2  # inserted at 0, then one commit per reply


def test_the_engine_runs_with_no_transaction_open(team: Team, monkeypatch) -> None:
    seen: list[tuple[str, bool]] = []
    runtime = services.executions.runtime

    def watched(name: str) -> Callable[..., Any]:
        real = getattr(runtime, name)

        def run(*args: Any, **kwargs: Any) -> Any:
            seen.append((name, connection.in_atomic_block))
            return real(*args, **kwargs)

        return run

    for name in ("start", "resume"):
        monkeypatch.setattr(runtime, name, watched(name))
    flow: Flow = published_flow(team, "Plain", "3600")
    services.start_execution(flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS)
    assert reply(flow, "yes", "SM" + "5" * 32).handled

    assert seen == [("start", False), ("resume", False)]
