"""Timeouts are task rows written with the wait, fired once, and no-ops once the run moves on.

In-process and fast: the task function is called directly, or the real `db_worker` loop is
run once in batch mode. tests/test_durability.py does the same across killed processes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from editor import services
from editor.models import Execution, ExecutionStep, Flow, Status, Team
from editor.tasks import fire_timeout_task, schedule_timeout

pytestmark = pytest.mark.django_db

CONTACT = "+15551230001"
FLOW_ADDRESS = "+15559870002"


def say(name: str, body: str, offset: int) -> dict[str, Any]:
    return {
        "name": name,
        "type": "send-message",
        "transitions": [{"event": "sent"}, {"event": "failed"}],
        "properties": {
            "offset": {"x": 0, "y": offset},
            "from": "{{flow.channel.address}}",
            "to": "{{contact.channel.address}}",
            "body": body,
        },
    }


def ask(name: str, timeout: str, *, reply: str, timed_out: str, offset: int) -> dict[str, Any]:
    return {
        "name": name,
        "type": "send-and-wait-for-reply",
        "transitions": [
            {"event": "incomingMessage", "next": reply},
            {"event": "timeout", "next": timed_out},
            {"event": "deliveryFailure"},
        ],
        "properties": {
            "offset": {"x": 0, "y": offset},
            "from": "{{flow.channel.address}}",
            "body": f"Question from {name}",
            "timeout": timeout,
        },
    }


def wait_flow(timeout: str, *, second_timeout: str = "3600") -> dict[str, Any]:
    """REST or message trigger -> ask (timeout) -> reply: ask_again | timeout: bye -> end.

    Inbound messages that start an execution end it at once (the Trigger's incomingMessage
    goes nowhere), so a reply that arrives after the flow ended shows up as a new one-step
    execution. `ask_again` keeps an answered execution waiting, on a second timer.
    """
    return {
        "description": "Durable waits",
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "transitions": [
                    {"event": "incomingMessage"},
                    {"event": "incomingCall"},
                    {"event": "incomingConversationMessage"},
                    {"event": "incomingRequest", "next": "ask"},
                    {"event": "incomingParent"},
                ],
                "properties": {"offset": {"x": 0, "y": 0}},
            },
            ask("ask", timeout, reply="ask_again", timed_out="bye", offset=200),
            ask("ask_again", second_timeout, reply="thanks", timed_out="bye", offset=400),
            say("thanks", "Thanks!", 600),
            say("bye", "Bye, then.", 800),
        ],
    }


def published_flow(team: Team, name: str, timeout: str, **kwargs: str) -> Flow:
    return services.create_flow(
        team, friendly_name=name, definition=wait_flow(timeout, **kwargs), status=Status.PUBLISHED
    )


def timer_rows(execution: Execution) -> list[DBTaskResult]:
    return [
        row
        for row in DBTaskResult.objects.filter(task_path=fire_timeout_task.module_path)
        if row.args_kwargs["args"][0] == execution.sid
    ]


def path(execution: Execution) -> list[tuple[str, str, str]]:
    return [
        (s.transitioned_from, s.name, s.transitioned_to)
        for s in execution.steps.order_by("position")
    ]


def start(flow: Flow) -> Execution:
    return services.start_execution(
        flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
    ).execution


def reply(flow: Flow, body: str, sid: str) -> services.Outcome:
    payload = {"MessageSid": sid, "From": CONTACT, "To": FLOW_ADDRESS, "Body": body}
    return services.receive_message(
        flow, contact=CONTACT, flow_address=FLOW_ADDRESS, payload=payload
    )


def test_a_wait_writes_exactly_one_timer_row_due_at_its_timeout(team):
    flow = published_flow(team, "Hasty", "2")
    before = timezone.now()
    execution = start(flow)
    after = timezone.now()

    [row] = timer_rows(execution)
    execution.refresh_from_db()
    assert row.status == "READY"
    assert row.args_kwargs == {"args": [execution.sid, execution.wait_id], "kwargs": {}}
    assert before + timedelta(seconds=2) <= row.run_after <= after + timedelta(seconds=2)
    # The column the API shows and the task's due time are the same instant.
    assert row.run_after == execution.wake_at


def test_a_rolled_back_start_leaves_no_timer(team, monkeypatch):
    flow = published_flow(team, "Hasty", "2")

    class Abort(Exception):
        pass

    def fail(*args, **kwargs):
        assert DBTaskResult.objects.count() == 0  # the timer comes after the steps
        assert Execution.objects.count() == 1
        raise Abort

    monkeypatch.setattr(ExecutionStep.objects, "append", fail)
    with pytest.raises(Abort):
        start(flow)
    # The timer is a row in the same transaction as the execution: both or neither.
    assert Execution.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_a_verb_called_inside_a_callers_transaction_is_refused(team):
    """A caller's transaction would hold its locks for as long as the engine runs."""
    flow = published_flow(team, "Hasty", "2")

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        start(flow)


def test_firing_takes_the_timeout_transition_and_a_second_firing_is_a_no_op(team):
    flow = published_flow(team, "Hasty", "2")
    execution = start(flow)

    assert fire_timeout_task.call(execution.sid, execution.wait_id) is True
    execution.refresh_from_db()
    assert path(execution) == [
        ("Trigger", "incomingRequest", "ask"),
        ("ask", "timeout", "bye"),
        ("bye", "sent", "Ended"),
    ]
    assert (execution.status, execution.ended_reason) == ("ended", "FLOW_END")
    assert execution.wait_id is None and execution.wake_at is None

    # A duplicate delivery of the same task (a worker retried it) changes nothing.
    assert fire_timeout_task.call(execution.sid, 1) is False
    assert services.fire_timeout(execution.sid, 1) is False
    assert execution.steps.count() == 3


def test_the_worker_runs_a_due_timer_once(team, monkeypatch):
    # Between polls the worker drops connections that are not in autocommit; the test's
    # wrapping transaction is such a connection, so keep it.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    flow = published_flow(team, "Hasty", "2")
    execution = start(flow)
    # Make it due instead of sleeping; the worker's own loop then claims it.
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    worker = {"batch": True, "interval": 0, "startup_delay": False, "reload": False}

    call_command("db_worker", verbosity=0, **worker)
    call_command("db_worker", verbosity=0, **worker)  # nothing left: a no-op

    [row] = timer_rows(execution)
    assert (row.status, row.return_value, len(row.worker_ids)) == ("SUCCESSFUL", True, 1)
    assert [s.name for s in execution.steps.all()].count("timeout") == 1


def test_an_old_timer_is_a_no_op_after_a_reply_moved_the_execution_on(team):
    flow = published_flow(team, "Patient", "2", second_timeout="5")
    execution = start(flow)
    first_wait = execution.wait_id

    assert reply(flow, "yes", "SM" + "1" * 32).handled
    execution.refresh_from_db()
    # Still active, now waiting at ask_again on a new wait with its own timer: only the
    # wait id tells the two timers apart (mailroom's "the sprint changed" check).
    assert execution.status == "active" and execution.wait_id != first_wait
    assert len(timer_rows(execution)) == 2
    steps = path(execution)

    assert services.fire_timeout(execution.sid, first_wait) is False
    execution.refresh_from_db()
    assert path(execution) == steps
    assert execution.wait["widget"] == "ask_again"

    assert services.fire_timeout(execution.sid, execution.wait_id) is True
    execution.refresh_from_db()
    assert path(execution)[-2:] == [("ask_again", "timeout", "bye"), ("bye", "sent", "Ended")]


def test_a_reply_after_the_timeout_ended_the_flow_starts_a_new_execution(team):
    """Studio's rule: an inbound message with no active execution for the contact starts
    one on the flow's incomingMessage path. The timed-out execution is untouched."""
    flow = published_flow(team, "Hasty", "2")
    execution = start(flow)
    services.fire_timeout(execution.sid, execution.wait_id)

    late = reply(flow, "too late?", "SM" + "2" * 32).execution

    assert late.pk != execution.pk
    assert (late.trigger, late.initiated_by) == ("message", "SM" + "2" * 32)
    assert path(late) == [("Trigger", "incomingMessage", "Ended")]
    assert late.status == "ended"
    execution.refresh_from_db()
    assert execution.steps.count() == 3


def test_a_reply_after_a_timeout_that_waits_again_is_taken_by_the_new_wait(team):
    flow = services.create_flow(
        team,
        friendly_name="Retry",
        definition=retry_flow(),
        status=Status.PUBLISHED,
    )
    execution = start(flow)
    assert services.fire_timeout(execution.sid, execution.wait_id)

    outcome = reply(flow, "here now", "SM" + "3" * 32)

    assert outcome.execution.pk == execution.pk
    assert path(outcome.execution)[-3:] == [
        ("ask", "timeout", "ask_again"),
        ("ask_again", "incomingMessage", "thanks"),
        ("thanks", "sent", "Ended"),
    ]


def retry_flow() -> dict[str, Any]:
    definition = wait_flow("2")
    ask_state = definition["states"][1]
    ask_state["transitions"][1]["next"] = "ask_again"  # timeout: ask once more
    return definition


def test_ending_or_deleting_the_execution_makes_a_later_firing_a_no_op(team):
    flow = published_flow(team, "Hasty", "2")
    ended = start(flow)
    services.end_execution(ended)
    ended.refresh_from_db()
    assert (ended.status, ended.ended_reason) == ("ended", "API_ENDED")

    assert services.fire_timeout(ended.sid, 1) is False
    assert ended.steps.count() == 1

    deleted = start(flow)
    services.delete_execution(deleted)
    assert fire_timeout_task.call(deleted.sid, 1) is False


def test_a_lost_timer_is_fired_once_by_the_overdue_sweep(team):
    """A worker killed while running a timer leaves its task marked running; the sweep that
    every worker runs on start fires it from the execution row instead."""
    execution = start(published_flow(team, "Lost timer", "2"))
    DBTaskResult.objects.all().delete()  # the task is gone for good
    later = timezone.now() + timedelta(minutes=5)
    assert services.fire_overdue(later) == 1
    assert services.fire_overdue(later) == 0
    assert [name for _, name, _ in path(execution)].count("timeout") == 1


def test_the_sweep_ends_executions_past_studios_lifetime(team):
    execution = start(published_flow(team, "Forgotten", "3600"))
    Execution.objects.filter(pk=execution.pk).update(
        date_created=timezone.now() - timedelta(days=31), wake_at=None
    )
    state = dict(execution.state, started_at=(timezone.now() - timedelta(days=31)).isoformat())
    Execution.objects.filter(pk=execution.pk).update(state=state)
    assert services.fire_overdue() == 1
    execution.refresh_from_db()
    assert (execution.status, execution.ended_reason) == ("ended", "LIFETIME")


def test_a_timer_row_is_the_row_the_task_backend_would_have_enqueued():
    # schedule_timeout writes the row with a plain INSERT (editor/tasks.py); the worker
    # must find exactly what `enqueue` would have stored, whatever the database.
    when = timezone.now() + timedelta(minutes=5)
    schedule_timeout("FN" + "1" * 32, 7, when)
    fire_timeout_task.using(run_after=when).enqueue("FN" + "1" * 32, 7)

    ours, theirs = DBTaskResult.objects.order_by("enqueued_at")
    fields = [f.attname for f in DBTaskResult._meta.concrete_fields]
    differ = {f for f in fields if getattr(ours, f) != getattr(theirs, f)}
    assert differ == {"id", "enqueued_at"}
    assert ours.enqueued_at <= theirs.enqueued_at
    assert ours.args_kwargs == {"args": ["FN" + "1" * 32, 7], "kwargs": {}}
    assert ours.task_result.status == theirs.task_result.status == "READY"
    assert DBTaskResult.objects.ready().count() == 0  # not due yet, for either
