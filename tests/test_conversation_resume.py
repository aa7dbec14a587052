"""Resume Conversation for real: a REST-triggered execution of a connected team fetches an
existing conversation, lists its participants and attaches its webhook (fake Twilio on
loopback); it then goes on in that conversation, as after Start Conversation."""

from __future__ import annotations

import pytest
from django.utils import timezone

from editor import services
from editor.models import Execution, OutboundRequest
from editor.services import outbox

from .engine_support import flow, state, trigger
from .outbox_support import PUBLIC, drain, post, twilio_fixture  # noqa: F401
from .test_conversation_start import CUSTOMER, SERVICE, added, created, killed_after_twilio_made
from .twilio_support import NUMBER, published, webhook_path

pytestmark = pytest.mark.django_db
EXISTING = "CH" + "7" * 32
MEMBER = {"sid": "MB" + "8" * 32, "conversation_sid": EXISTING, "identity": None}
MEMBER["messaging_binding"] = {"address": CUSTOMER, "proxy_address": NUMBER, "type": "sms"}


def follow_up(filters=None) -> dict:
    resume = state(
        "resume",
        "resume-conversation",
        {
            "conversation_service_sid": SERVICE,
            "conversation_sid": "{{flow.data.conversation}}",
            **({"webhook_filters": filters} if filters is not None else {}),
        },
        resumed="ask",
        failed=None,
    )
    ask = state(
        "ask",
        "send-and-wait-for-reply",
        {"body": "Still there?", "from": "{{flow.channel.address}}", "timeout": "3600"},
        incomingMessage=None,
        timeout=None,
        deliveryFailure=None,
    )
    definition = flow(resume, ask)
    definition["states"][0] = trigger(incomingRequest="resume")
    return definition


def run(team, definition=None) -> Execution:
    flow_ = published(team, definition or follow_up(), "Follow-up")
    return services.start_execution(
        flow_,
        kind="request",
        contact=CUSTOMER,
        flow_address=NUMBER,
        parameters={"conversation": EXISTING},
        origin="api",
    ).execution


@pytest.fixture
def existing(twilio):
    twilio.conversations[EXISTING] = {
        "sid": EXISTING,
        "chat_service_sid": SERVICE,
        "friendly_name": "Earlier chat",
        "state": "active",
        "attributes": "{}",
    }
    twilio.participants[EXISTING] = [MEMBER]
    return twilio


def test_the_conversation_is_resumed_and_the_execution_goes_on_in_it(team, existing):
    execution = run(team)
    assert drain() == ["sent"]
    paths = [r["path"] for r in existing.requests if r["method"] == "GET"]
    assert f"/v1/Services/{SERVICE}/Conversations/{EXISTING}" in paths
    assert any(
        p.startswith(f"/v1/Services/{SERVICE}/Conversations/{EXISTING}/Participants") for p in paths
    )
    [hook] = created(existing, "conversation_webhook")
    assert hook["form"]["Configuration.Url"] == PUBLIC + webhook_path(execution.flow)
    assert hook["form"]["Configuration.Filters"] == ["onMessageAdded", "onDeliveryUpdated"]
    assert created(existing, "conversation") == []

    execution.refresh_from_db()
    outputs = execution.context["widgets"]["resume"]
    assert outputs["conversation"]["friendly_name"] == "Earlier chat"
    assert outputs["conversation"]["participants"][0]["sid"] == MEMBER["sid"]
    assert outputs["webhook_sid"] == hook["sid"]
    assert execution.flow_channel_address == EXISTING
    assert execution.wait["widget"] == "ask"
    assert drain() == ["sent"]
    [question] = created(existing, "conversation_message")
    assert question["path"] == f"/v1/Services/{SERVICE}/Conversations/{EXISTING}/Messages"
    post(webhook_path(execution.flow), added(EXISTING, "yes", 1))
    execution.refresh_from_db()
    assert execution.status == "ended"
    assert execution.context["widgets"]["ask"]["inbound"]["Body"] == "yes"


def test_the_widgets_filters_are_kept_with_on_message_added(team, existing):
    run(team, follow_up(["onParticipantAdded"]))
    drain()
    [hook] = created(existing, "conversation_webhook")
    assert hook["form"]["Configuration.Filters"] == ["onMessageAdded", "onParticipantAdded"]


def test_a_conversation_twilio_does_not_know_is_the_failed_event(team, twilio):
    execution = run(team)
    assert drain() == ["failed"]
    execution.refresh_from_db()
    assert execution.steps.filter(transitioned_from="resume", name="failed").exists()
    assert "20404" in execution.context["widgets"]["resume"]["error"]
    assert OutboundRequest.objects.get(kind="resume_conversation").status == "failed"


def test_a_webhook_made_before_the_sender_was_killed_is_not_made_again(team, existing, monkeypatch):
    execution = run(team)
    row = killed_after_twilio_made(monkeypatch, "WH", kind="resume_conversation")
    assert outbox.send(row.pk, timezone.now() + outbox.lease(row)) == "sent"
    [hook] = created(existing, "conversation_webhook")
    execution.refresh_from_db()
    assert execution.wait["widget"] == "ask"
    assert execution.context["flow"]["channel"]["webhook_sid"] == hook["sid"]
