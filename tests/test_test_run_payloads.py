"""What a test-panel run's trigger carries (editor/services/payloads.py): the keys a real
contact's message would give the flow under `trigger.*`."""

from __future__ import annotations

import json

import pytest

from editor import services
from editor.samples import load_sample
from editor.services import test_runs

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
