"""Send Message through a team's Twilio connection (engine/widgets/send_message.py and
services/outbox.py), against the fake Twilio: as in Studio it leaves by `sent` only once
the Messages API created the message, with the Message resource Twilio answered in
`outbound`, and by `failed` (Twilio's error code and message) when the request failed. The
wait is durable (a row of the outbox and the execution's wait), so a killed worker neither
loses nor repeats the send; without a connection the send is simulated and immediate."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from editor import services
from editor.models import Execution, OutboundRequest, TranscriptEntry
from editor.services import outbox

from .engine_support import flow, state
from .outbox_support import drain, post, twilio_fixture  # noqa: F401
from .twilio_support import CALLER, NUMBER, published, sms, webhook_path

pytestmark = pytest.mark.both_databases
FIRST = "SM" + "1" * 32


def notice_flow(team: Any) -> Any:
    """Trigger -> notice (Send Message) -> sent: after / failed: sorry."""
    body = {"body": "We open at 9.", "from": NUMBER}
    notice = state("notice", "send-message", body, sent="after", failed="sorry")
    after = state("after", "set-variables", {"variables": [{"key": "done", "value": "yes"}]})
    sorry = state("sorry", "set-variables", {"variables": [{"key": "done", "value": "no"}]})
    return published(team, flow(notice, after, sorry), "Notice")


def started(team: Any) -> Execution:
    notice = notice_flow(team)
    assert post(webhook_path(notice), sms("hi", FIRST)).status_code == 200
    return Execution.objects.get(flow=notice)


@pytest.mark.django_db
def test_send_message_waits_for_twilio_and_leaves_by_sent_with_its_message(team, twilio):
    execution = started(team)
    assert execution.status == "active" and execution.wait["widget"] == "notice"
    assert execution.wait["kind"] == "callback"
    assert twilio.created("message") == []  # nothing leaves inside the request

    assert drain() == ["sent"]
    [row] = OutboundRequest.objects.all()
    [form] = twilio.created("message")
    assert (form["To"], form["From"], form["Body"]) == (CALLER, NUMBER, "We open at 9.")
    assert "WaitId" not in form and "wait_id" not in form  # ours, never Twilio's
    execution.refresh_from_db()
    assert execution.status == "ended"
    assert [s.name for s in execution.steps.order_by("id")][-2:] == ["sent", "next"]
    outbound = execution.context["widgets"]["notice"]["outbound"]
    assert outbound["Sid"] == row.twilio_sid and outbound["Sid"].startswith("SM")
    assert (outbound["To"], outbound["From"], outbound["Body"]) == (CALLER, NUMBER, "We open at 9.")
    assert outbound["Status"] == "queued" and outbound["AccountSid"].startswith("AC")
    assert execution.context["flow"]["variables"]["done"] == "yes"
    # Sent once: the row's task again, or the whole drain again, changes nothing.
    assert outbox.send(row.pk) == "done" and drain() == []
    assert len(twilio.created("message")) == 1
    assert execution.steps.filter(name="sent").count() == 1


@pytest.mark.django_db
def test_a_refused_send_leaves_by_failed_with_twilios_error(team, twilio):
    twilio.fail(1, status=400, code=21211, kind="message")
    execution = started(team)
    assert drain() == ["failed"]  # a 4xx is not retried
    execution.refresh_from_db()
    assert execution.status == "ended"
    assert execution.steps.filter(name="failed").count() == 1
    outbound = execution.context["widgets"]["notice"]["outbound"]
    assert outbound["Status"] == "failed" and outbound["ErrorCode"] == "21211"
    assert "21211" in outbound["ErrorMessage"] and outbound["Sid"] is None
    assert execution.context["flow"]["variables"]["done"] == "no"
    [entry] = TranscriptEntry.objects.filter(kind="outbound")
    assert entry.as_json()["status"] == "failed"


@pytest.mark.django_db
def test_a_send_that_fails_then_succeeds_is_sent_once_after_its_retry(team, twilio):
    from datetime import timedelta

    from django.utils import timezone

    twilio.fail(1)  # 503: worth another try
    execution = started(team)
    now = timezone.now()
    assert drain(now) == ["retry"]
    execution.refresh_from_db()
    assert execution.wait["widget"] == "notice"  # still waiting for Twilio's answer
    assert drain(now + timedelta(seconds=5)) == ["sent"]
    execution.refresh_from_db()
    assert execution.status == "ended" and execution.steps.filter(name="sent").count() == 1


@pytest.mark.django_db
def test_a_worker_killed_after_storing_twilios_answer_tells_the_widget_on_its_next_pass(
    team, twilio, monkeypatch
):
    execution = started(team)
    real = outbox.after_sent

    def killed(row):
        raise SystemExit("killed after the commit, before the widget heard")

    monkeypatch.setattr(outbox, "after_sent", killed)
    [row] = OutboundRequest.objects.all()
    with pytest.raises(SystemExit):
        outbox.send(row.pk)
    execution.refresh_from_db()
    assert execution.wait["widget"] == "notice"
    monkeypatch.setattr(outbox, "after_sent", real)
    assert outbox.send(row.pk) == "done"  # the task handed back: found sent, told now
    execution.refresh_from_db()
    assert execution.status == "ended" and execution.steps.filter(name="sent").count() == 1
    assert len(twilio.created("message")) == 1


@pytest.mark.django_db
def test_without_a_connection_send_message_is_simulated_at_once(team):
    notice = notice_flow(team)
    outcome = services.start_execution(notice, kind="request", contact=CALLER, flow_address=NUMBER)
    execution = outcome.execution
    execution.refresh_from_db()
    assert execution.status == "ended" and not OutboundRequest.objects.exists()
    assert execution.context["widgets"]["notice"]["outbound"]["Sid"].startswith("SM")


@pytest.mark.django_db(transaction=True)
def test_the_answer_runs_the_engine_with_no_transaction_open(team, twilio, monkeypatch):
    seen: list[tuple[str, bool]] = []
    runtime = services.executions.runtime
    real = runtime.resume

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(("resume", connection.in_atomic_block))
        return real(*args, **kwargs)

    started(team)
    monkeypatch.setattr(runtime, "resume", watched)
    assert drain() == ["sent"]
    assert seen == [("resume", False)]


@pytest.mark.django_db
def test_in_a_call_send_message_moves_on_at_once_so_the_call_goes_on(team, twilio):
    from .twilio_support import call, twiml, verbs

    text = state("text", "send-message", {"body": "Your code is 1234", "from": NUMBER}, sent="bye")
    bye = state("bye", "say-play", {"say": "Goodbye"}, audioComplete=None)
    voice = published(team, flow(text, bye), "Voice")
    root = twiml(post(webhook_path(voice), call("CA" + "1" * 32)))
    assert verbs(root) == ["Say", "Redirect"]  # not left waiting for the worker
    execution = Execution.objects.get(flow=voice)
    assert execution.steps.filter(name="sent").count() == 1
    [row] = OutboundRequest.objects.all()
    assert row.kind == "message" and "wait_id" not in row.request


@pytest.mark.django_db
def test_send_and_wait_keeps_twilios_message_as_its_outbound(team, twilio):
    from editor.samples import load_sample

    tutorial = published(team, load_sample("conversations-tutorial"), "Tutorial")
    post(webhook_path(tutorial), sms("hi", FIRST))
    execution = Execution.objects.get(flow=tutorial)
    made_up = execution.wait["data"]["outputs"]["outbound"]["Sid"]
    assert drain() == ["sent"]
    [row] = OutboundRequest.objects.all()
    assert row.twilio_sid != made_up and "ReplyWaitId" not in twilio.created("message")[0]
    execution.refresh_from_db()
    assert execution.wait["widget"] == "send_and_reply_1"  # still waiting for the reply
    assert execution.wait["data"]["outputs"]["outbound"]["Sid"] == row.twilio_sid
    post(webhook_path(tutorial), sms("yes", "SM" + "2" * 32))
    execution.refresh_from_db()
    outbound = execution.context["widgets"]["send_and_reply_1"]["outbound"]
    assert outbound["Sid"] == row.twilio_sid and outbound["Body"] == "Hi, do you like bots?"
    assert execution.context["widgets"]["send_and_reply_1"]["inbound"]["Body"] == "yes"


@pytest.mark.django_db
def test_after_an_answered_outgoing_call_send_message_moves_on_at_once(team, twilio):
    from .outbox_support import PUBLIC
    from .twilio_support import TWILIO_ACCOUNT, twiml, verbs

    dial = state(
        "dial",
        "make-outgoing-call-v2",
        {"from": NUMBER, "to": "{{contact.channel.address}}"},
        answered="text",
        busy="later",
        noAnswer=None,
        failed=None,
    )
    text = state("text", "send-message", {"body": "Code 1234", "from": NUMBER}, sent="bye")
    later = state("later", "send-message", {"body": "Sorry we missed you", "from": NUMBER})
    bye = state("bye", "say-play", {"say": "Goodbye"}, audioComplete=None)
    outgoing = published(team, flow(dial, text, later, bye), "Outgoing")
    post(webhook_path(outgoing), sms("call me", FIRST))
    assert drain() == ["sent"]
    [form] = twilio.created("call")
    answered = {"CallSid": twilio.requests[-1]["sid"], "CallStatus": "in-progress"}
    answered.update(AccountSid=TWILIO_ACCOUNT, From=NUMBER, To=CALLER)
    root = twiml(post(form["Url"].removeprefix(PUBLIC), answered))
    assert "Say" in verbs(root)  # the answered call hears the next widget at once
    execution = Execution.objects.get(flow=outgoing)
    assert execution.steps.filter(transitioned_from="text", name="sent").count() == 1


@pytest.mark.django_db
def test_after_a_busy_outgoing_call_send_message_waits_for_twilio(team, twilio):
    from .outbox_support import PUBLIC
    from .twilio_support import TWILIO_ACCOUNT

    dial = state(
        "dial",
        "make-outgoing-call-v2",
        {"from": NUMBER, "to": "{{contact.channel.address}}"},
        answered=None,
        busy="later",
        noAnswer=None,
        failed=None,
    )
    later = state("later", "send-message", {"body": "Sorry we missed you", "from": NUMBER})
    outgoing = published(team, flow(dial, later), "Outgoing")
    post(webhook_path(outgoing), sms("call me", FIRST))
    assert drain() == ["sent"]
    [form] = twilio.created("call")
    busy = {"CallSid": twilio.requests[-1]["sid"], "CallStatus": "busy"}
    busy.update(AccountSid=TWILIO_ACCOUNT, From=NUMBER, To=CALLER)
    post(form["Url"].removeprefix(PUBLIC), busy)
    execution = Execution.objects.get(flow=outgoing)
    assert execution.wait["widget"] == "later"
    assert drain() == ["sent"]
    execution.refresh_from_db()
    assert execution.status == "ended"
    assert execution.context["widgets"]["later"]["outbound"]["Sid"].startswith("SM")


@pytest.mark.django_db
def test_a_send_message_with_the_longest_name_a_widget_may_have_is_sent(team, twilio):
    """Widget names go up to 100 characters (editor/flowspec/schema.json): so does the
    outbox's note of the widget a request is for."""
    long_name = "notice_" + "x" * 93
    body = {"body": "We open at 9.", "from": NUMBER}
    notice = state(long_name, "send-message", body, sent="after", failed="after")
    after = state("after", "set-variables", {"variables": [{"key": "done", "value": "yes"}]})
    sender = published(team, flow(notice, after), "Long name")
    assert post(webhook_path(sender), sms("hi", FIRST)).status_code == 200
    assert drain() == ["sent"]
    assert OutboundRequest.objects.get().widget == long_name
    assert Execution.objects.get(flow=sender).status == "ended"
