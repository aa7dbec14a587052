"""Conversations at the flow's Webhook URL: a signed `onMessageAdded` starts an execution
on incomingConversationMessage or moves on the one waiting in that conversation, and the
flow's replies are posted to the conversation through the Conversations API (a fake of it
on loopback) by the outbox. The tutorial runs end to end without a browser."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from editor.models import Execution, OutboundRequest
from editor.samples import load_sample

from .engine_support import flow, state
from .local_server import QuietHandler, serving
from .outbox_support import WORKSPACE, drain, post, twilio_fixture  # noqa: F401
from .twilio_support import TWILIO_ACCOUNT, published, webhook_path

pytestmark = pytest.mark.django_db
CONVERSATION = "CH" + "a" * 32
CUSTOMER, AGENT = "+15551230001", "agent.ada"
SERVICE = "IS" + "b" * 32


def added(body: str, n: int, author: str = CUSTOMER, **extra: str) -> dict[str, str]:
    """An `onMessageAdded` post-event webhook, as Twilio sends it."""
    return {
        "EventType": "onMessageAdded",
        "AccountSid": TWILIO_ACCOUNT,
        "ChatServiceSid": SERVICE,
        "ConversationSid": CONVERSATION,
        "MessageSid": f"IM{n:032x}",
        "Index": str(n),
        "Author": author,
        "ParticipantSid": f"MB{hash(author) & 0xFFFF:032x}",
        "Body": body,
        "Attributes": "{}",
        "DateCreated": "2026-11-30T14:00:00.000Z",
        "Source": "SMS",
        "RetryCount": "0",
        **extra,
    }


@pytest.fixture
def tutorial(team):
    return published(team, load_sample("conversations-tutorial"), "Tutorial")


def posted(twilio) -> list[tuple[str, str, str]]:
    return [
        (r["path"], r["form"]["Author"], r["form"]["Body"])
        for r in twilio.requests
        if r.get("created") == "conversation_message"
    ]


def replies_path() -> str:
    return f"/v1/Services/{SERVICE}/Conversations/{CONVERSATION}/Messages"


def test_the_tutorial_runs_from_a_signed_webhook_to_the_replies_in_the_conversation(
    tutorial, twilio
):
    assert post(webhook_path(tutorial), added("hi", 1)).status_code == 200
    execution = Execution.objects.get(flow=tutorial)
    assert execution.trigger == "conversation" and execution.origin == "webhook"
    assert execution.flow_channel_address == CONVERSATION
    assert execution.contact_channel_address == CUSTOMER
    trigger = execution.context["trigger"]["conversation"]
    assert trigger["Body"] == "hi" and trigger["ConversationSid"] == CONVERSATION
    assert trigger["From"] == CUSTOMER and trigger["ChannelSid"] == CONVERSATION

    assert drain() == ["sent"]
    question = (replies_path(), CONVERSATION, "Hi, do you like bots?")
    assert posted(twilio) == [question]
    # Twilio tells the webhook of the bot's own message too: it is not a reply.
    mine = added("Hi, do you like bots?", 2, author=CONVERSATION, ParticipantSid="", Source="API")
    assert post(webhook_path(tutorial), mine).status_code == 200
    execution.refresh_from_db()
    assert execution.wait["widget"] == "send_and_reply_1"

    assert post(webhook_path(tutorial), added("yes", 3)).status_code == 200
    execution.refresh_from_db()
    # Send Message waits for the Conversations API's answer, then leaves by `sent`.
    assert execution.wait["widget"] == "send_message_1"
    assert execution.context["widgets"]["send_and_reply_1"]["inbound"]["Body"] == "yes"
    assert execution.context["trigger"]["conversation"]["Body"] == "yes"
    assert drain() == ["sent"]
    execution.refresh_from_db()
    assert execution.status == "ended"
    outbound = execution.context["widgets"]["send_message_1"]["outbound"]
    assert outbound["Sid"] == OutboundRequest.objects.last().twilio_sid
    assert outbound["ConversationSid"] == CONVERSATION and outbound["Author"] == CONVERSATION
    great = "Great! We like you too. Bots and humans, best friends forever."
    great = (replies_path(), CONVERSATION, great)
    assert posted(twilio) == [question, great]
    assert not OutboundRequest.objects.filter(status="pending").exists()


def test_a_retried_webhook_starts_one_execution_and_moves_it_on_once(tutorial, twilio):
    for _ in range(2):
        post(webhook_path(tutorial), added("hi", 1))
    assert Execution.objects.filter(flow=tutorial).count() == 1
    for _ in range(2):
        post(webhook_path(tutorial), added("nope", 2))
    drain()  # the question, then the answer (Send Message waits for Twilio's)
    execution = Execution.objects.get(flow=tutorial)
    assert execution.status == "ended"
    assert execution.steps.filter(name="incomingMessage").count() == 1
    assert OutboundRequest.objects.count() == 2


def test_the_next_message_after_the_end_starts_a_new_execution(tutorial, twilio):
    post(webhook_path(tutorial), added("hi", 1))
    post(webhook_path(tutorial), added("no", 2))
    drain()
    post(webhook_path(tutorial), added("hello again", 3))
    assert Execution.objects.filter(flow=tutorial, status="active").count() == 1
    assert Execution.objects.filter(flow=tutorial).count() == 2


def test_an_unsigned_webhook_runs_nothing(tutorial, twilio):
    assert post(webhook_path(tutorial), added("hi", 1), signature="bad").status_code == 403
    assert not Execution.objects.exists()


def test_other_conversation_events_are_acknowledged_and_ignored(tutorial, twilio):
    event = {**added("hi", 1), "EventType": "onParticipantAdded"}
    assert post(webhook_path(tutorial), event).status_code == 200
    assert not Execution.objects.exists()


def test_without_a_conversation_service_the_reply_goes_to_the_default_one(tutorial, twilio):
    form = added("hi", 1)
    del form["ChatServiceSid"]
    post(webhook_path(tutorial), form)
    drain()
    assert posted(twilio)[0][0] == f"/v1/Conversations/{CONVERSATION}/Messages"


class FunctionHandler(QuietHandler):
    """The team's own function, which would add an agent to the conversation."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.calls.append(self.rfile.read(length).decode())
        body = json.dumps({"participant": "MB" + "c" * 32}).encode()
        self.answer(200, body, "application/json")


@pytest.fixture
def function(settings) -> Iterator[Any]:
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    with serving(FunctionHandler, calls=[]) as server:
        yield server


def support_flow(url: str) -> dict[str, Any]:
    """The seeds' case: "agent" adds a support agent, whose answer moves the run on."""
    keyword = {
        "friendly_name": "agent",
        "arguments": ["{{trigger.conversation.Body}}"],
        "type": "contains",
        "value": "agent",
    }
    split = state(
        "keyword", "split-based-on", {"input": "{{trigger.conversation.Body}}"}, noMatch=None
    )
    split["transitions"].append({"event": "match", "next": "add_agent", "conditions": [keyword]})
    add_agent = state(
        "add_agent",
        "run-function",
        {
            "url": url,
            "parameters": [{"key": "ConversationSid", "value": "{{flow.channel.address}}"}],
        },
        success="wait_agent",
        fail=None,
    )
    wait_agent = state(
        "wait_agent",
        "send-and-wait-for-reply",
        {"body": "An agent is joining.", "from": "Concierge", "timeout": "3600"},
        incomingMessage="thanks",
        timeout=None,
        deliveryFailure=None,
    )
    thanks = state(
        "thanks",
        "send-message",
        {"body": "{{widgets.wait_agent.inbound.Author}} answered.", "from": "Concierge"},
        sent=None,
        failed=None,
    )
    return flow(split, add_agent, wait_agent, thanks)


def test_a_support_agent_added_by_a_function_moves_the_execution_on(team, twilio, function):
    url = f"{function.url}/add-agent"
    support = published(team, support_flow(url), "Support")
    post(webhook_path(support), added("I need an agent", 1))
    assert function.calls == [f"ConversationSid={CONVERSATION}"]
    execution = Execution.objects.get(flow=support)
    assert execution.wait["widget"] == "wait_agent"
    drain()
    # The bot posts as "Concierge"; Twilio's webhook of that message is not a reply.
    echo = added("An agent is joining.", 2, author="Concierge")
    post(webhook_path(support), echo)
    execution.refresh_from_db()
    assert execution.wait["widget"] == "wait_agent"

    post(webhook_path(support), added("Hello, I'm Ada from support", 3, author=AGENT))
    drain()
    execution.refresh_from_db()
    assert execution.status == "ended"
    assert [body for _, _, body in posted(twilio)] == [
        "An agent is joining.",
        "agent.ada answered.",
    ]
    assert {author for _, author, _ in posted(twilio)} == {"Concierge"}
    assert Execution.objects.filter(flow=support).count() == 1


def test_a_command_prints_the_cli_calls_that_wire_a_conversation_or_an_address(tutorial):
    out = io.StringIO()
    call_command(
        "conversations_setup",
        tutorial.sid,
        conversation=CONVERSATION,
        address="+15559870002",
        base_url="https://studio.example.com",
        stdout=out,
    )
    url = f"https://studio.example.com{webhook_path(tutorial)}"
    text = out.getvalue()
    assert "twilio api:conversations:v1:conversations:webhooks:create" in text
    assert f"--conversation-sid {CONVERSATION}" in text
    assert f"--configuration.url {url}" in text
    assert "--configuration.filters onMessageAdded" in text
    assert "twilio api:conversations:v1:configuration:addresses:create" in text
    assert f"--auto-creation.webhook-url {url}" in text
    assert "--address +15559870002" in text


def test_send_to_flex_hands_the_conversation_to_a_flex_interaction(team, twilio):
    flex = state(
        "flex",
        "send-to-flex",
        {"workflow": "WW" + "1" * 32, "channel": "chat", "attributes": '{"topic": "teeth"}'},
        callComplete=None,
        failedToEnqueue=None,
        callFailure=None,
    )
    handed = published(team, flow(flex), "Flex")
    post(webhook_path(handed), added("agent please", 1))
    assert drain() == ["sent"]
    [request] = [r for r in twilio.requests if r.get("created") == "interaction"]
    channel = json.loads(request["form"]["Channel"])
    routing = json.loads(request["form"]["Routing"])["properties"]
    assert channel == {
        "type": "sms",
        "initiated_by": "customer",
        "properties": {"media_channel_sid": CONVERSATION},
    }
    assert routing["workflow_sid"] == "WW" + "1" * 32
    assert routing["workspace_sid"] == WORKSPACE
    assert routing["attributes"] == {"topic": "teeth"}
    # The conversation is Flex's now: the customer's next message starts no new run.
    post(webhook_path(handed), added("hello?", 2))
    assert Execution.objects.filter(flow=handed).count() == 1


def test_send_to_flex_removes_the_flows_webhook_once_flex_has_the_conversation(team, twilio):
    hook = "WH" + "c" * 32
    twilio.webhooks.add(hook)
    flex = state(
        "flex",
        "send-to-flex",
        {"workflow": "WW" + "1" * 32, "channel": "chat"},
        callComplete=None,
        failedToEnqueue=None,
        callFailure=None,
    )
    handed = published(team, flow(flex), "Flex")
    post(webhook_path(handed), added("agent please", 1, WebhookSid=hook, WebhookType="webhook"))
    assert not [r for r in twilio.requests if r["method"] == "DELETE"]
    # The Interaction first; once Flex has it, the flow's webhook goes, through the outbox.
    assert drain() == ["sent"]
    [removal] = OutboundRequest.objects.filter(kind="remove_webhook")
    assert removal.request == {
        "service_sid": SERVICE,
        "conversation_sid": CONVERSATION,
        "webhook_sid": hook,
    }
    assert drain() == ["sent"]
    [deleted] = [r for r in twilio.requests if r["method"] == "DELETE"]
    assert deleted["path"] == f"/v1/Services/{SERVICE}/Conversations/{CONVERSATION}/Webhooks/{hook}"
    assert deleted.get("deleted")
    # Its task again (a worker killed after the Interaction) writes no second removal.
    interaction = OutboundRequest.objects.get(kind="interaction")
    from editor.services import outbox

    assert outbox.send(interaction.pk) == "done"
    assert OutboundRequest.objects.filter(kind="remove_webhook").count() == 1


def test_a_refused_interaction_leaves_the_flows_webhook_in_place(team, twilio):
    twilio.fail(1, status=400, code=20001, kind="interaction")
    flex = state(
        "flex",
        "send-to-flex",
        {"workflow": "WW" + "1" * 32, "channel": "chat"},
        callComplete=None,
        failedToEnqueue=None,
        callFailure=None,
    )
    handed = published(team, flow(flex), "Flex")
    post(webhook_path(handed), added("agent please", 1, WebhookSid="WH" + "c" * 32))
    assert drain() == ["failed"]
    assert not OutboundRequest.objects.filter(kind="remove_webhook").exists()
