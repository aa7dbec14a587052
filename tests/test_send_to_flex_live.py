"""Send to Flex outside a call waits for Twilio to create the TaskRouter task (or, in a
conversation, the Flex Interaction), as Send Message waits for its message
(docs/channels.md): `callComplete` with Twilio's SID, `failedToEnqueue` when Twilio refuses,
and a dead call's repeated status callback does not end that wait."""

from __future__ import annotations

import pytest

from editor.models import OutboundRequest

from .engine_support import flow, state
from .outbox_support import PUBLIC, drain, post, twilio_fixture  # noqa: F401
from .test_conversations import added
from .twilio_support import CALLER, NUMBER, TWILIO_ACCOUNT, published, sms, webhook_path

pytestmark = pytest.mark.django_db
FIRST = "SM" + "1" * 32


def flex_flow(team):
    """Send to Flex, and a message to the contact when Flex cannot take the task."""
    flex = state(
        "flex",
        "send-to-flex",
        {"workflow": "WW" + "1" * 32, "channel": "sms", "attributes": '{"name": "Ada"}'},
        callComplete=None,
        failedToEnqueue="busy",
        callFailure=None,
    )
    busy_text = {"body": "All agents are busy.", "from": NUMBER}
    busy = state("busy", "send-message", busy_text, sent=None, failed=None)
    return published(team, flow(flex, busy), "Flex")


def test_send_to_flex_moves_on_once_twilio_created_the_task(team, twilio):
    handed = flex_flow(team)
    post(webhook_path(handed), sms("agent", FIRST))
    execution = OutboundRequest.objects.get().execution
    assert execution.status == "active" and execution.wait["widget"] == "flex"
    assert drain() == ["sent"]
    [task] = [r for r in twilio.requests if r.get("created") == "task"]
    execution.refresh_from_db()
    assert execution.status == "ended" and execution.steps.last().name == "callComplete"
    outputs = execution.context["widgets"]["flex"]
    assert outputs["TaskSid"] == task["sid"] and outputs["Attributes"] == '{"name": "Ada"}'
    assert "WaitId" not in task["form"] and "wait_id" not in task["form"]


@pytest.mark.parametrize("kind", ["task", "interaction"])
def test_a_task_twilio_refuses_leaves_send_to_flex_by_failed_to_enqueue(team, twilio, kind):
    handed = flex_flow(team)
    twilio.fail(1, status=400, code=20001, kind=kind)
    form = sms("agent", FIRST) if kind == "task" else added("agent please", 1)
    post(webhook_path(handed), form)
    assert drain() == ["failed"]
    execution = OutboundRequest.objects.get(kind=kind).execution
    execution.refresh_from_db()
    steps = [s.name for s in execution.steps.order_by("id")]
    assert "failedToEnqueue" in steps and "callComplete" not in steps
    assert execution.context["widgets"]["flex"]["ErrorCode"] == "20001"
    assert execution.wait["widget"] == "busy"  # the contact hears that no agent is free


def test_a_dead_calls_repeated_status_leaves_send_to_flex_waiting_for_its_task(team, twilio):
    dial = state(
        "dial",
        "make-outgoing-call-v2",
        {"from": NUMBER, "to": "{{contact.channel.address}}"},
        answered=None,
        busy="flex",
        noAnswer=None,
        failed=None,
    )
    flex = state(
        "flex",
        "send-to-flex",
        {"workflow": "WW" + "1" * 32, "channel": "sms"},
        callComplete=None,
        failedToEnqueue=None,
        callFailure=None,
    )
    calling = published(team, flow(dial, flex), "Call then Flex")
    post(webhook_path(calling), sms("call me", FIRST))
    assert drain() == ["sent"]
    [form] = twilio.created("call")
    busy = {"CallSid": twilio.requests[-1]["sid"], "CallStatus": "busy"}
    busy.update(AccountSid=TWILIO_ACCOUNT, From=NUMBER, To=CALLER)
    for _ in range(2):  # Twilio repeats the callback; the second finds Send to Flex waiting
        assert post(form["Url"].removeprefix(PUBLIC), busy).status_code == 200
    execution = OutboundRequest.objects.get(kind="call").execution
    execution.refresh_from_db()
    assert execution.status == "active" and execution.wait["widget"] == "flex"
    assert drain() == ["sent"]
    execution.refresh_from_db()
    assert execution.status == "ended" and execution.steps.last().name == "callComplete"
