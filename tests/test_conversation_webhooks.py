"""Conversations webhooks beyond the tutorial: two conversations running at once each keep
their execution and their replies, events other than onMessageAdded (a pre-event one too)
are answered 200 and start nothing, and the setup command wires a conversation of a
non-default service under that service's path, and Send to Flex names the widget's Task
Channel SID as the Interaction's `task_channel_sid`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from editor.models import Execution
from editor.samples import load_sample

from .engine_support import flow, state
from .outbox_support import drain, post, twilio_fixture  # noqa: F401
from .test_conversations import CONVERSATION, SERVICE, added, posted
from .twilio_support import published, webhook_path

pytestmark = pytest.mark.django_db
OTHER, NEIGHBOUR = "CH" + "e" * 32, "+15550000009"


@pytest.fixture
def tutorial(team):
    return published(team, load_sample("conversations-tutorial"), "Tutorial")


def test_two_conversations_at_once_each_go_on_in_their_own_execution(tutorial, twilio):
    post(webhook_path(tutorial), added("hi", 1))
    post(webhook_path(tutorial), added("hello", 2, author=NEIGHBOUR, ConversationSid=OTHER))
    assert drain() == ["sent", "sent"]
    post(webhook_path(tutorial), added("yes", 3))
    post(webhook_path(tutorial), added("no", 4, author=NEIGHBOUR, ConversationSid=OTHER))
    assert drain() == ["sent", "sent"]
    ours = Execution.objects.get(flow=tutorial, flow_channel_address=CONVERSATION)
    theirs = Execution.objects.get(flow=tutorial, flow_channel_address=OTHER)
    assert (ours.status, theirs.status) == ("ended", "ended")
    assert ours.contact_channel_address != theirs.contact_channel_address
    assert ours.context["widgets"]["send_and_reply_1"]["inbound"]["Body"] == "yes"
    assert theirs.context["widgets"]["send_and_reply_1"]["inbound"]["Body"] == "no"
    replies = {}
    for path, _, body in posted(twilio):
        replies.setdefault(path.split("/Conversations/")[1].split("/")[0], []).append(body)
    assert replies[CONVERSATION][1].startswith("Great!")
    assert replies[OTHER][1].startswith("That's okay.")


@pytest.mark.parametrize(
    "event", ["onConversationAdded", "onParticipantAdded", "onMessageAdd", "onSomethingNew"]
)
def test_other_events_are_answered_200_and_start_nothing(tutorial, twilio, event):
    # A pre-event webhook (onMessageAdd) pointed here by mistake must not block the
    # customer's message: Twilio lets the action happen on a 2xx.
    form = {**added("hi", 1), "EventType": event}
    response = post(webhook_path(tutorial), form)
    assert response.status_code == 200 and response.content == b""
    assert not Execution.objects.exists()


def setup_calls(flow, **options: str) -> str:
    out = io.StringIO()
    call_command(
        "conversations_setup",
        flow.sid,
        base_url="https://studio.example.com",
        stdout=out,
        **options,
    )
    return out.getvalue()


def test_a_conversation_of_another_service_is_wired_under_that_service(tutorial):
    text = setup_calls(tutorial, conversation=CONVERSATION, service=SERVICE)
    assert "twilio api:conversations:v1:services:conversations:webhooks:create" in text
    assert f"--chat-service-sid {SERVICE}" in text
    assert f"--conversation-sid {CONVERSATION}" in text
    # The default service's conversations keep the short command.
    text = setup_calls(tutorial, conversation=CONVERSATION)
    assert "twilio api:conversations:v1:conversations:webhooks:create" in text
    assert "--chat-service-sid" not in text


def handed_to_flex(team, channel: str) -> dict:
    flex = state(
        "flex",
        "send-to-flex",
        {"workflow": "WW" + "1" * 32, "channel": channel},
        callComplete=None,
        failedToEnqueue=None,
        callFailure=None,
    )
    return published(team, flow(flex), f"Flex {channel}")


@pytest.mark.parametrize(
    ("channel", "named"),
    [
        # Studio stores the Task Channel's SID (every exported flow has a TC… there).
        ("TC" + "9" * 32, {"task_channel_sid": "TC" + "9" * 32}),
        ("chat", {"task_channel_unique_name": "chat"}),
        ("", {"task_channel_unique_name": "chat"}),
    ],
)
def test_send_to_flex_names_the_task_channel_as_the_interaction_expects(
    team, twilio, channel, named
):
    post(webhook_path(handed_to_flex(team, channel)), added("agent please", 1))
    assert drain() == ["sent"]
    [request] = [r for r in twilio.requests if r.get("created") == "interaction"]
    routing = json.loads(request["form"]["Routing"])["properties"]
    assert {k: v for k, v in routing.items() if k.startswith("task_channel")} == named


def test_a_late_retry_of_the_reply_that_ended_an_execution_does_not_answer_the_next(
    tutorial, twilio
):
    # Conversations webhooks time out after 5 s: Twilio may deliver a reply again after the
    # contact's next message has started a new execution in the conversation.
    post(webhook_path(tutorial), added("hi", 1))
    drain()
    post(webhook_path(tutorial), added("no", 2))
    drain()
    post(webhook_path(tutorial), added("hello again", 3))
    drain()
    latest = Execution.objects.filter(flow=tutorial).latest("id")
    assert latest.wait["widget"] == "send_and_reply_1"
    post(webhook_path(tutorial), added("no", 2, RetryCount="1"))
    latest.refresh_from_db()
    assert latest.status == "active" and latest.wait["widget"] == "send_and_reply_1"
    assert Execution.objects.filter(flow=tutorial).count() == 2
