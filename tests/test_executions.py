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


def test_steps_inside_a_subflow_carry_the_sid_of_the_step_into_run_subflow(team):
    child = services.create_flow(
        team,
        friendly_name="Child",
        status="published",
        definition={
            "description": "Child",
            "states": [
                {
                    "name": "Trigger",
                    "type": "trigger",
                    "transitions": [{"event": "incomingParent", "next": "ask"}],
                    "properties": {},
                },
                {
                    "name": "ask",
                    "type": "send-and-wait-for-reply",
                    "transitions": [{"event": "incomingMessage"}, {"event": "timeout"}],
                    "properties": {"from": "{{flow.channel.address}}", "body": "Colour?"},
                },
            ],
            "initial_state": "Trigger",
            "flags": {"allow_concurrent_calls": True},
        },
    )
    parent = services.create_flow(
        team,
        friendly_name="Parent",
        status="published",
        definition={
            "description": "Parent",
            "states": [
                {
                    "name": "Trigger",
                    "type": "trigger",
                    "transitions": [{"event": "incomingRequest", "next": "run_child"}],
                    "properties": {},
                },
                {
                    "name": "run_child",
                    "type": "run-subflow",
                    "transitions": [{"event": "completed"}, {"event": "failed"}],
                    "properties": {"flow_sid": child.sid, "flow_revision": "LatestPublished"},
                },
            ],
            "initial_state": "Trigger",
            "flags": {"allow_concurrent_calls": True},
        },
    )
    execution = services.start_execution(
        parent, kind="request", contact=CALLER, flow_address=NUMBER
    ).execution
    payload = {"From": CALLER, "To": NUMBER, "Body": "red", "MessageSid": "SM" + "4" * 32}
    services.receive_message(parent, contact=CALLER, flow_address=NUMBER, payload=payload)
    steps = list(execution.steps.order_by("position"))
    into = steps[0]
    assert (into.transitioned_from, into.transitioned_to) == ("Trigger", "run_child")
    assert [(s.flow_sid, s.parent_step_sid) for s in steps] == [
        (parent.sid, ""),
        (child.sid, into.sid),  # child Trigger -> ask, stored at the start
        (child.sid, into.sid),  # ask -> Ended, stored after the reply (another batch)
        (parent.sid, ""),  # run_child completed
    ]
