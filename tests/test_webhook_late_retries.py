"""Late retries: Twilio delivers a webhook again when it got no timely answer, sometimes
after the contact's next message has started a new execution. The retry of the message
that ended the previous execution must not be taken as the new one's reply
(editor/services/webhooks.py message_seen, services/conversations.py seen). A call's
webhooks name the execution they answer, so their late retries reach no other."""

from __future__ import annotations

import pytest

from editor.models import Execution, ExecutionStep
from editor.samples import load_sample

from .outbox_support import drain
from .test_webhooks_messaging import twilio_fixture  # noqa: F401
from .test_webhooks_voice import callback
from .twilio_support import call, connect, post, published, sms, twiml, verbs, webhook_path

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
FIRST, SECOND, THIRD = ("SM" + n * 32 for n in "123")
CALL, NEXT_CALL = "CA" + "1" * 32, "CA" + "2" * 32


@pytest.fixture
def tutorial(team, twilio):
    return published(team, load_sample("conversations-tutorial"), "Tutorial")


def test_a_late_retry_of_the_sms_that_ended_an_execution_does_not_answer_the_next(tutorial):
    post(webhook_path(tutorial), sms("hi", FIRST))
    post(webhook_path(tutorial), sms("Yes", SECOND))
    drain()
    post(webhook_path(tutorial), sms("hello again", THIRD))
    latest = Execution.objects.filter(flow=tutorial).latest("id")
    assert latest.status == "active" and latest.wait["widget"] == "send_and_reply_1"
    steps = ExecutionStep.objects.filter(execution=latest).count()

    root = twiml(post(webhook_path(tutorial), sms("Yes", SECOND)))

    latest.refresh_from_db()
    assert latest.status == "active" and latest.wait["widget"] == "send_and_reply_1"
    assert ExecutionStep.objects.filter(execution=latest).count() == steps
    assert list(root) == []
    assert Execution.objects.filter(flow=tutorial).count() == 2


def test_a_retry_of_an_sms_some_executions_back_is_still_recognised(tutorial):
    # The contact's recent executions are searched, not only the latest.
    post(webhook_path(tutorial), sms("hi", FIRST))
    post(webhook_path(tutorial), sms("Yes", SECOND))
    drain()
    for n in range(3, 6):  # three more executions, each started and ended
        post(webhook_path(tutorial), sms("hi", f"SM{n:032x}"))
        post(webhook_path(tutorial), sms("No", f"SM{n + 16:032x}"))
        drain()
    post(webhook_path(tutorial), sms("hello again", THIRD))
    latest = Execution.objects.filter(flow=tutorial).latest("id")

    post(webhook_path(tutorial), sms("Yes", SECOND))

    latest.refresh_from_db()
    assert latest.status == "active" and latest.wait["widget"] == "send_and_reply_1"
    assert Execution.objects.filter(flow=tutorial).count() == 5


def test_late_retries_of_an_ended_calls_webhooks_leave_the_callers_next_call_alone(team):
    # Voice webhooks name what they answer: an incoming call and its status callback by
    # their CallSid (the execution it started), a verb's callback by the execution and the
    # wait in its URL. So the retries of a call that is over reach that call's execution.
    connect(team)
    ivr = published(team, load_sample("ivr-phone-tree"), "IVR")
    menu = twiml(post(webhook_path(ivr), call(CALL)))
    twiml(callback(menu, call(CALL, "in-progress", Digits="3")))
    post(webhook_path(ivr), call(CALL, "completed"))
    first = Execution.objects.get(flow=ivr)
    assert first.status == "ended"
    twiml(post(webhook_path(ivr), call(NEXT_CALL)))
    second = Execution.objects.exclude(pk=first.pk).get(flow=ivr)
    waiting, steps = second.wait, ExecutionStep.objects.filter(execution=second).count()

    late = [
        callback(menu, call(CALL, "in-progress", Digits="3")),
        post(webhook_path(ivr), call(CALL)),
        post(webhook_path(ivr), call(CALL, "completed")),
    ]

    assert [verbs(twiml(response)) for response in late] == [[], [], []]
    second.refresh_from_db()
    assert second.status == "active" and second.wait == waiting
    assert ExecutionStep.objects.filter(execution=second).count() == steps
    assert Execution.objects.filter(flow=ivr).count() == 2
