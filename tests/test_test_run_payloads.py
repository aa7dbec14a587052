"""What a test-panel run's trigger carries (editor/services/payloads.py): the keys a real
contact's message would give the flow under `trigger.*`."""

from __future__ import annotations

import json

import pytest

from editor import services
from editor.samples import load_sample
from editor.services import test_runs
from editor.services.execution_errors import ExecutionConflict

from .engine_support import send_message, state

pytestmark = pytest.mark.django_db


def test_a_chat_run_hands_the_webchat_sample_to_flex_with_its_channel_type(team, alice):
    flow = services.create_flow(
        team, friendly_name="Webchat", definition=load_sample("webchat-pre-agent")
    )
    start = test_runs.TestStart(trigger="message", channel="chat", body="Hi", contact="Ann")
    execution = test_runs.start_test_run(flow, start, alice).execution
    attributes = execution.context["trigger"]["message"]["ChannelAttributes"]
    assert attributes == {"from": "Ann", "channel_type": "web", "pre_engagement_data": {}}

    outcome = test_runs.reply(execution, "Billing")
    (task,) = [e for e in outcome.effects if e.get("verb") == "create_task"]
    assert task["attributes"]["channelType"] == "web"
    assert task["attributes"]["name"] == "Ann"
    assert task["attributes"]["channelSid"] == execution.context["trigger"]["message"]["ChannelSid"]
    assert json.dumps(task["attributes"])  # plain JSON, as Flex receives it


def child_definition() -> dict:
    trigger = state(
        "Trigger",
        "trigger",
        {"offset": {"x": 0, "y": 0}},
        incomingMessage=None,
        incomingCall=None,
        incomingConversationMessage=None,
        incomingRequest=None,
        incomingParent="greet",
    )
    greet = send_message("greet", "Hello {{trigger.parent.parameters.name}}/{{flow.data.name}}")
    greet["properties"].update(
        {"from": "{{flow.channel.address}}", "to": "{{contact.channel.address}}"}
    )
    return {"description": "child", "states": [trigger, greet], "initial_state": "Trigger"}


def test_a_subflow_parent_run_hands_its_parameters_over_as_run_subflow_does(team, alice):
    """The panel's "Subflow parent" gives the flow what a Run Subflow widget gives a
    subflow (editor/engine/context.py child_context): `trigger.parent.parameters`; and, for
    the parent's flow.data that a real subflow sees, the same object."""
    flow = services.create_flow(team, friendly_name="Child", definition=child_definition())
    start = test_runs.TestStart(trigger="parent", parameters={"name": "Ann"})
    outcome = test_runs.start_test_run(flow, start, alice)
    context = outcome.execution.context
    assert context["trigger"]["parent"]["parameters"] == {"name": "Ann"}
    assert context["flow"]["data"] == {"name": "Ann"}
    (message,) = [e for e in outcome.effects if e.get("type") == "message"]
    assert message["body"] == "Hello Ann/Ann"
    first = outcome.execution.transcript.order_by("seq").first().as_json()
    assert (first["input"], first["parameters"]) == ("parent", {"name": "Ann"})


def conversation_flow() -> dict:
    """A Conversations-triggered flow that waits for a reply, as real exports of the Flex
    messaging template start (incomingConversationMessage -> Send & Wait For Reply)."""
    trigger = state(
        "Trigger",
        "trigger",
        {"offset": {"x": 0, "y": 0}},
        incomingConversationMessage="ask",
    )
    ask = state(
        "ask",
        "send-and-wait-for-reply",
        {"from": "{{flow.channel.address}}", "body": "Sales or support?", "timeout": "3600"},
        incomingMessage=None,
        timeout=None,
        deliveryFailure=None,
    )
    return {"description": "conversation", "states": [trigger, ask], "initial_state": "Trigger"}


def test_two_testers_each_test_the_conversation_trigger_in_their_own_conversation(team, alice, bob):
    """Both runs wait at once; a run is keyed on its conversation, as a webhook's is."""
    flow = services.create_flow(team, friendly_name="Convo", definition=conversation_flow())
    start = test_runs.TestStart(trigger="conversation", body="Hi")
    first = test_runs.start_test_run(flow, start, alice).execution
    second = test_runs.start_test_run(flow, start, bob).execution

    assert first.status == second.status == "active"
    for execution in (first, second):
        conversation = execution.context["trigger"]["conversation"]["ConversationSid"]
        assert execution.flow_channel_address == conversation
    assert first.flow_channel_address != second.flow_channel_address

    # Starting again restarts the tester's own run in the same conversation.
    again = test_runs.start_test_run(flow, start, alice).execution
    first.refresh_from_db()
    second.refresh_from_db()
    assert again.flow_channel_address == first.flow_channel_address
    assert (first.status, second.status, again.status) == ("ended", "active", "active")


def test_a_conversation_another_contact_runs_in_is_a_conflict_not_a_server_error(team, alice, bob):
    flow = services.create_flow(team, friendly_name="Convo", definition=conversation_flow())
    shared = {"sid": "CH" + "5" * 32}
    first = test_runs.TestStart(trigger="conversation", body="Hi", conversation=shared)
    test_runs.start_test_run(flow, first, alice)

    second = test_runs.TestStart(trigger="conversation", body="Hi", conversation=shared)
    with pytest.raises(ExecutionConflict):
        test_runs.start_test_run(flow, second, bob)
