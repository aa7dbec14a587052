"""Every request an execution makes of Twilio is written with the execution's commit and
sent afterwards by the worker (editor/services/outbox.py), against a fake Twilio on
loopback: Send Message and Send & Wait through the Messages API with a status callback to
us, Make Outgoing Call through the Calls API, Send to Flex through TaskRouter. Failures are
retried with backoff and finally recorded on the execution."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from editor import services
from editor.models import OutboundRequest, TranscriptEntry
from editor.samples import load_sample
from editor.services import outbox, outbox_failures

from .engine_support import flow, state
from .outbox_support import PUBLIC, WORKSPACE, drain, post, twilio_fixture  # noqa: F401
from .twilio_support import CALLER, NUMBER, TWILIO_ACCOUNT, published, sms, webhook_path

pytestmark = pytest.mark.django_db
FIRST, SECOND = "SM" + "1" * 32, "SM" + "2" * 32


@pytest.fixture
def tutorial(team):
    return published(team, load_sample("conversations-tutorial"), "Tutorial")


def sent_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path="editor.tasks.send_outbound_task"))


def test_a_reply_is_written_with_the_commit_and_sent_after_it(tutorial, twilio):
    post(webhook_path(tutorial), sms("hi", FIRST))
    [row] = OutboundRequest.objects.all()
    assert (row.kind, row.widget, row.status, row.attempts) == (
        "message",
        "send_and_reply_1",
        "pending",
        0,
    )
    assert [t.args_kwargs["args"] for t in sent_tasks()] == [[row.pk]]
    assert twilio.created("message") == []  # nothing leaves inside the request

    assert drain() == ["sent"]
    [form] = twilio.created("message")
    execution = row.execution
    assert form["From"] == NUMBER and form["To"] == CALLER
    assert form["Body"] == "Hi, do you like bots?"
    assert form["StatusCallback"] == (
        f"{PUBLIC}{webhook_path(tutorial)}/Executions/{execution.sid}/MessageStatus"
    )
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 1
    assert row.twilio_sid.startswith("SM") and row.response["sid"] == row.twilio_sid
    assert drain() == [] and outbox.send(row.pk) == "done"  # sent once, never again
    assert len(twilio.created("message")) == 1


def test_without_a_connection_nothing_is_written(team, tutorial):
    services.start_execution(
        tutorial, kind="message", contact=CALLER, flow_address=NUMBER, origin="api"
    )
    assert not OutboundRequest.objects.exists() and sent_tasks() == []


def test_test_panel_runs_stay_simulated_even_when_connected(tutorial, twilio):
    services.start_execution(
        tutorial, kind="message", contact=CALLER, flow_address=NUMBER, origin="test"
    )
    assert not OutboundRequest.objects.exists()


def test_failures_are_retried_with_growing_delays(tutorial, twilio):
    post(webhook_path(tutorial), sms("hi", FIRST))
    twilio.fail(2)
    now = timezone.now()
    assert drain(now) == ["retry"]
    row = OutboundRequest.objects.get()
    assert row.attempts == 1 and row.next_attempt_at == now + timedelta(seconds=1)
    assert "503" in row.error
    assert drain(now) == ["later"]  # not due yet: its task is put off, nothing is sent
    assert drain(now + timedelta(seconds=1)) == ["retry"]
    row.refresh_from_db()
    assert row.next_attempt_at == now + timedelta(seconds=1 + 4)
    assert drain(now + timedelta(seconds=5)) == ["sent"]
    assert len(twilio.created("message")) == 1
    posts = [r for r in twilio.requests if r["method"] == "POST"]
    assert len(posts) == 3


def test_a_request_that_keeps_failing_is_recorded_and_the_wait_leaves_by_delivery_failure(
    tutorial, twilio
):
    post(webhook_path(tutorial), sms("hi", FIRST))
    twilio.fail(len(outbox.RETRY_DELAYS) + 1)
    now = timezone.now()
    for delay in (0, *outbox.RETRY_DELAYS):
        now += timedelta(seconds=delay)
        drain(now)
    row = OutboundRequest.objects.get()
    assert row.status == "failed" and row.attempts == len(outbox.RETRY_DELAYS) + 1
    execution = row.execution
    execution.refresh_from_db()
    assert execution.status == "ended"
    assert execution.steps.last().name == "deliveryFailure"
    [entry] = [e.as_json() for e in TranscriptEntry.objects.filter(kind="outbound")]
    assert entry["widget"] == "send_and_reply_1" and entry["status"] == "failed"
    assert "503" in entry["error"]


def test_a_refused_request_is_not_retried(tutorial, twilio):
    post(webhook_path(tutorial), sms("hi", FIRST))
    twilio.fail(1, status=400, code=21211)
    assert drain() == ["failed"]
    assert "21211" in OutboundRequest.objects.get().error
    assert drain() == []


def test_a_claimed_request_waits_for_its_lease(tutorial, twilio):
    post(webhook_path(tutorial), sms("hi", FIRST))
    row = OutboundRequest.objects.get()
    now = timezone.now()
    # Another sender claimed it and has not finished (or died): nobody else sends it yet.
    OutboundRequest.objects.filter(pk=row.pk).update(leased_until=now + outbox.lease())
    assert outbox.send(row.pk, now) == "later"
    assert twilio.created("message") == []
    assert outbox.send(row.pk, now + outbox.lease()) == "sent"


def test_the_worker_sends_what_is_due(tutorial, twilio, monkeypatch):
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    post(webhook_path(tutorial), sms("hi", FIRST))
    worker = {"batch": True, "interval": 0, "startup_delay": False, "reload": False}
    call_command("db_worker", verbosity=0, **worker)
    [task] = sent_tasks()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "sent")
    assert len(twilio.created("message")) == 1


def status_callback(execution, sid: str, status: str):
    path = f"{webhook_path(execution.flow)}/Executions/{execution.sid}/MessageStatus"
    form = {"MessageSid": sid, "MessageStatus": status, "ErrorCode": "30003"}
    form.update(AccountSid=TWILIO_ACCOUNT, From=NUMBER, To=CALLER)
    return post(path, form)


def test_an_undelivered_message_is_the_waiting_widgets_delivery_failure(tutorial, twilio):
    post(webhook_path(tutorial), sms("hi", FIRST))
    drain()
    row = OutboundRequest.objects.get()
    assert status_callback(row.execution, row.twilio_sid, "delivered").status_code == 204
    row.execution.refresh_from_db()
    assert row.execution.status == "active"
    assert status_callback(row.execution, row.twilio_sid, "undelivered").status_code == 204
    execution = row.execution
    execution.refresh_from_db()
    assert execution.status == "ended" and execution.steps.last().name == "deliveryFailure"
    outbound = execution.context["widgets"]["send_and_reply_1"]["outbound"]
    assert (outbound["Status"], outbound["ErrorCode"]) == ("undelivered", "30003")


def test_an_unsigned_status_callback_changes_nothing(tutorial, twilio):
    post(webhook_path(tutorial), sms("hi", FIRST))
    drain()
    row = OutboundRequest.objects.get()
    path = f"{webhook_path(tutorial)}/Executions/{row.execution.sid}/MessageStatus"
    form = {"MessageSid": row.twilio_sid, "MessageStatus": "failed"}
    assert post(path, form, signature="nope").status_code == 403
    row.execution.refresh_from_db()
    assert row.execution.status == "active"


def test_send_message_failures_after_sent_are_noted_once(team, twilio):
    definition = flow(
        state("hello", "send-message", {"body": "Hello!", "from": NUMBER}, sent="later"),
        state(
            "later",
            "send-and-wait-for-reply",
            {"body": "Still there?", "from": NUMBER, "timeout": "3600"},
            incomingMessage=None,
            timeout=None,
            deliveryFailure=None,
        ),
    )
    notify = published(team, definition, "Notify")
    post(webhook_path(notify), sms("hi", FIRST))
    drain()
    hello = OutboundRequest.objects.get(widget="hello")
    for _ in range(2):  # Twilio may repeat a callback
        status_callback(hello.execution, hello.twilio_sid, "failed")
    entries = [e.as_json() for e in TranscriptEntry.objects.filter(kind="outbound")]
    assert [(e["widget"], e["status"], e["sid"]) for e in entries] == [
        ("hello", "failed", hello.twilio_sid)
    ]
    hello.execution.refresh_from_db()
    assert hello.execution.wait["widget"] == "later"  # Studio's `sent` stands
    assert outbox_failures.UNDELIVERED == ("undelivered", "failed")


def outgoing_call_flow(team):
    call = state(
        "dial",
        "make-outgoing-call-v2",
        {"from": NUMBER, "to": "{{contact.channel.address}}", "timeout": 30},
        answered=None,
        busy=None,
        noAnswer=None,
        failed=None,
    )
    return published(team, flow(call), "Outgoing")


def test_make_outgoing_call_places_the_call_with_its_twiml_url_back_to_us(team, twilio):
    outgoing = outgoing_call_flow(team)
    post(webhook_path(outgoing), sms("call me", FIRST))
    assert drain() == ["sent"]
    [form] = twilio.created("call")
    execution = OutboundRequest.objects.get().execution
    callback = f"{PUBLIC}{webhook_path(outgoing)}/Executions/{execution.sid}/Callback?wait="
    assert form["Url"].startswith(callback) and form["StatusCallback"] == form["Url"]
    assert (form["To"], form["From"], form["Timeout"]) == (CALLER, NUMBER, "30")
    # Twilio reports a busy line at that URL: the widget leaves by `busy`.
    path = form["Url"].removeprefix(PUBLIC)
    status = {"CallSid": twilio.requests[-1]["sid"], "CallStatus": "busy"}
    status.update(AccountSid=TWILIO_ACCOUNT, From=NUMBER, To=CALLER)
    assert post(path, status).status_code == 200
    execution.refresh_from_db()
    assert execution.status == "ended" and execution.steps.last().name == "busy"


def test_send_to_flex_on_messaging_creates_the_taskrouter_task(team, twilio):
    flex = state(
        "flex",
        "send-to-flex",
        {"workflow": "WW" + "1" * 32, "channel": "sms", "attributes": '{"name": "Ada"}'},
        callComplete=None,
        failedToEnqueue=None,
        callFailure=None,
    )
    handed = published(team, flow(flex), "Flex")
    post(webhook_path(handed), sms("agent", FIRST))
    assert drain() == ["sent"]
    [task] = [r for r in twilio.requests if r.get("created") == "task"]
    assert task["path"] == f"/v1/Workspaces/{WORKSPACE}/Tasks"
    assert task["form"]["WorkflowSid"] == "WW" + "1" * 32
    assert task["form"]["Attributes"] == '{"name": "Ada"}'
    assert task["form"]["TaskChannel"] == "sms"


def test_a_pending_request_whose_task_was_lost_is_enqueued_again(tutorial, twilio):
    post(webhook_path(tutorial), sms("hi", FIRST))
    DBTaskResult.objects.all().delete()  # say its task raised, or the queue was emptied
    assert outbox.requeue_stuck() == 0  # not overdue yet
    later = timezone.now() + timedelta(minutes=2)
    assert outbox.requeue_stuck(later) == 1
    assert len(sent_tasks()) == 1
    assert drain() == ["sent"]
    assert outbox.requeue_stuck(later) == 0


def test_a_call_twilio_refuses_leaves_make_outgoing_call_by_failed(team, twilio):
    outgoing = outgoing_call_flow(team)
    post(webhook_path(outgoing), sms("call me", FIRST))
    twilio.fail(1, status=400, code=21215)
    assert drain() == ["failed"]
    execution = OutboundRequest.objects.get().execution
    execution.refresh_from_db()
    assert execution.status == "ended" and execution.steps.last().name == "failed"
