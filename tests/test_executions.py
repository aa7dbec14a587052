"""Execution verbs: one active execution per contact, concurrent calls, draft vs published."""

from __future__ import annotations

import copy

import pytest

from editor import services
from editor.models import Execution
from editor.samples import load_sample

pytestmark = pytest.mark.django_db
CALLER, NUMBER = "+15551230000", "+15550000000"


def ivr(team, *, concurrent: bool):
    definition = copy.deepcopy(load_sample("ivr-phone-tree"))
    definition["flags"] = {"allow_concurrent_calls": concurrent}
    return services.create_flow(
        team, friendly_name="IVR", definition=definition, status="published"
    )


def call(flow):
    return services.start_execution(
        flow,
        kind="call",
        contact=CALLER,
        flow_address=NUMBER,
        payload={"CallSid": "CA" + "1" * 32, "From": CALLER, "To": NUMBER},
    )


def test_concurrent_calls_from_one_caller_are_allowed_when_the_flag_says_so(team):
    flow = ivr(team, concurrent=True)
    first, second = call(flow), call(flow)
    assert first.execution.sid != second.execution.sid
    assert Execution.objects.filter(flow=flow, status="active").count() == 2


def test_a_second_call_is_refused_while_the_first_is_active_without_the_flag(team):
    flow = ivr(team, concurrent=False)
    first = call(flow)
    with pytest.raises(services.ExecutionConflict) as caught:
        call(flow)
    assert caught.value.details == {"conflicting_execution_sid": first.execution.sid}
    assert caught.value.status == 409 and caught.value.code == 20409


def test_an_inbound_message_is_the_reply_of_the_waiting_execution(team):
    flow = services.create_flow(
        team,
        friendly_name="Tutorial",
        definition=load_sample("conversations-tutorial"),
        status="published",
    )
    payload = {"From": CALLER, "To": NUMBER, "Body": "hi", "MessageSid": "SM" + "1" * 32}
    started = services.receive_message(flow, contact=CALLER, flow_address=NUMBER, payload=payload)
    reply = dict(payload, Body="yes", MessageSid="SM" + "2" * 32)
    answered = services.receive_message(flow, contact=CALLER, flow_address=NUMBER, payload=reply)
    assert answered.execution.sid == started.execution.sid
    assert answered.execution.status == "ended"
    bodies = [e["body"] for e in answered.effects if e["type"] == "message"]
    assert bodies == ["Great! We like you too. Bots and humans, best friends forever."]
    again = services.receive_message(
        flow, contact=CALLER, flow_address=NUMBER, payload=dict(payload, MessageSid="SM" + "3" * 32)
    )
    assert again.execution.sid != started.execution.sid  # the first one had ended


def test_a_flow_never_published_cannot_run_for_the_public(team):
    flow = services.create_flow(
        team, friendly_name="Draft", definition=load_sample("conversations-tutorial")
    )
    with pytest.raises(services.ExecutionError, match="no published revision"):
        services.start_execution(flow, kind="message", contact=CALLER, flow_address=NUMBER)
    services.set_test_users(flow, [CALLER])
    outcome = services.start_execution(flow, kind="message", contact=CALLER, flow_address=NUMBER)
    assert outcome.execution.test_user and outcome.execution.flow_version == 1
