"""Start Conversation for real: a REST-triggered execution of a team connected to Twilio
creates the conversation, its participants and its webhook through the Conversations API
(a fake of it on loopback), sent by the outbox; the execution then lives in that
conversation: its messages are posted there and its participants' messages, signed
`onMessageAdded` webhooks, are the replies. Failures are the widget's `failed` event."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from editor import services
from editor.models import Execution, OutboundRequest, TranscriptEntry
from editor.services import outbox, outbox_conversations

from .engine_support import flow, state, trigger
from .outbox_support import PUBLIC, drain, post, twilio_fixture  # noqa: F401
from .twilio_support import NUMBER, TWILIO_ACCOUNT, published, webhook_path

pytestmark = pytest.mark.django_db
CUSTOMER = "+15551230001"
SERVICE = "IS" + "e" * 32


def outreach(participants=None) -> dict:
    start = state(
        "start",
        "start-conversation",
        {
            "conversation_service_sid": SERVICE,
            "friendly_name": "Chat with {{flow.data.name}}",
            "attributes": '{"campaign": "recall"}',
            "timers": {"inactive": "PT1H", "closed": "P1D"},
            **({"participants": participants} if participants is not None else {}),
        },
        created="ask",
        failed=None,
    )
    ask = state(
        "ask",
        "send-and-wait-for-reply",
        {
            "body": "Hi {{flow.data.name}}, time for a check-up?",
            "from": "{{flow.channel.address}}",
            "timeout": "3600",
        },
        incomingMessage="thanks",
        timeout=None,
        deliveryFailure=None,
    )
    thanks = state(
        "thanks",
        "send-message",
        {"body": "You said {{widgets.ask.inbound.Body}}", "from": "{{flow.channel.address}}"},
        sent=None,
        failed=None,
    )
    definition = flow(start, ask, thanks)
    definition["states"][0] = trigger(incomingRequest="start")  # REST-triggered only
    return definition


def run(team, definition=None, origin="api") -> Execution:
    recall = published(team, definition or outreach(), "Recall")
    return services.start_execution(
        recall,
        kind="request",
        contact=CUSTOMER,
        flow_address=NUMBER,
        parameters={"name": "Ann"},
        origin=origin,
    ).execution


def created(twilio, kind):
    return [r for r in twilio.requests if r.get("created") == kind]


def added(conversation: str, body: str, n: int) -> dict[str, str]:
    return {
        "EventType": "onMessageAdded",
        "AccountSid": TWILIO_ACCOUNT,
        "ChatServiceSid": SERVICE,
        "ConversationSid": conversation,
        "MessageSid": f"IM{n:032x}",
        "Index": str(n),
        "Author": CUSTOMER,
        "ParticipantSid": "MB" + "1" * 32,
        "Body": body,
        "Attributes": "{}",
        "Source": "SMS",
    }


def test_the_conversation_is_created_and_the_execution_goes_on_in_it(team, twilio):
    execution = run(team)
    execution.refresh_from_db()
    assert execution.wait["widget"] == "start"
    [row] = OutboundRequest.objects.all()
    assert row.kind == "start_conversation" and twilio.requests == []

    assert drain() == ["sent"]
    [conversation] = created(twilio, "conversation")
    assert conversation["path"] == f"/v1/Services/{SERVICE}/Conversations"
    assert conversation["form"] == {
        "FriendlyName": "Chat with Ann",
        "Attributes": '{"campaign": "recall"}',
        "Timers.Inactive": "PT1H",
        "Timers.Closed": "P1D",
        "UniqueName": f"studio-{execution.sid}-start",
    }
    sid = conversation["sid"]
    [participant] = created(twilio, "participant")
    assert participant["path"] == f"/v1/Services/{SERVICE}/Conversations/{sid}/Participants"
    assert participant["form"] == {
        "MessagingBinding.Address": CUSTOMER,
        "MessagingBinding.ProxyAddress": NUMBER,
    }
    [hook] = created(twilio, "conversation_webhook")
    assert hook["form"] == {
        "Target": "webhook",
        "Configuration.Url": PUBLIC + webhook_path(execution.flow),
        "Configuration.Method": "POST",
        "Configuration.Filters": ["onMessageAdded", "onDeliveryUpdated"],
    }

    execution.refresh_from_db()
    assert execution.flow_channel_address == sid
    assert execution.context["flow"]["channel"]["sid"] == sid
    outputs = execution.context["widgets"]["start"]
    assert outputs["conversation"]["sid"] == sid
    assert outputs["conversation"]["friendly_name"] == "Chat with Ann"
    assert outputs["conversation"]["participants"][0]["sid"] == participant["sid"]
    assert outputs["webhook_sid"] == hook["sid"]
    assert execution.wait["widget"] == "ask"

    # Send & Wait posts into the new conversation, and a participant's message answers it.
    assert drain() == ["sent"]
    [question] = created(twilio, "conversation_message")
    assert question["path"] == f"/v1/Services/{SERVICE}/Conversations/{sid}/Messages"
    assert question["form"]["Body"] == "Hi Ann, time for a check-up?"
    assert post(webhook_path(execution.flow), added(sid, "Yes please", 1)).status_code == 200
    execution.refresh_from_db()
    assert execution.context["widgets"]["ask"]["inbound"]["Body"] == "Yes please"
    # Its last Send Message waits for Twilio's answer; then the execution has ended, and
    # its webhook is removed (as Studio).
    assert drain() == ["sent"]
    execution.refresh_from_db()
    assert execution.status == "ended"
    assert drain() == ["sent"]
    assert created(twilio, "conversation_message")[1]["form"]["Body"] == "You said Yes please"
    assert Execution.objects.count() == 1  # the reply started nothing new
    [removed] = [r for r in twilio.requests if r["method"] == "DELETE"]
    assert removed["path"] == f"/v1/Services/{SERVICE}/Conversations/{sid}/Webhooks/{hook['sid']}"
    assert removed.get("deleted")


def test_chat_participants_are_added_by_identity(team, twilio):
    run(team, outreach([{"type": "chat", "identity": "{{flow.data.name}}.app"}]))
    drain()
    [participant] = created(twilio, "participant")
    assert participant["form"] == {"Identity": "Ann.app"}


def test_a_refusal_is_the_widgets_failed_event_with_the_error_on_the_step(team, twilio):
    twilio.fail(1, status=409, code=50416, kind="participant")
    execution = run(team)
    assert drain() == ["failed"]
    execution.refresh_from_db()
    assert execution.status == "ended"
    step = execution.steps.get(transitioned_from="start")
    assert step.name == "failed"
    error = json.loads(step.context)["widgets"]["start"]["error"]
    assert "50416" in error
    row = OutboundRequest.objects.get()
    assert row.status == "failed" and "50416" in row.error
    [entry] = TranscriptEntry.objects.filter(kind="outbound")
    assert entry.as_json()["request"] == "start_conversation"
    assert not created(twilio, "conversation_message")


def test_a_retry_goes_on_from_what_was_created(team, twilio):
    twilio.fail(1, status=503, kind="conversation_webhook")
    execution = run(team)
    assert drain() == ["retry"]
    assert drain(timezone.now() + timedelta(seconds=5)) == ["sent"]
    assert len(created(twilio, "conversation")) == 1
    assert len(created(twilio, "participant")) == 1
    assert len(created(twilio, "conversation_webhook")) == 1
    execution.refresh_from_db()
    assert execution.wait["widget"] == "ask"


def test_a_worker_killed_after_sending_tells_the_execution_on_the_next_try(
    team, twilio, monkeypatch
):
    execution = run(team)
    monkeypatch.setattr(outbox_conversations, "created", lambda row: False)
    assert drain() == ["sent"]
    execution.refresh_from_db()
    assert execution.wait["widget"] == "start"
    monkeypatch.undo()
    row = OutboundRequest.objects.get(kind="start_conversation")
    assert outbox.send(row.pk) == "done"  # the task, handed back to the queue
    execution.refresh_from_db()
    assert execution.wait["widget"] == "ask"
    assert outbox.send(row.pk) == "done"
    assert execution.steps.filter(name="created").count() == 1


def test_without_a_public_url_nothing_is_created_and_the_widget_fails(team, twilio, settings):
    settings.TWILIO_WEBHOOK_BASE_URL = ""
    execution = run(team)
    assert drain() == ["failed"]
    assert created(twilio, "conversation") == []
    execution.refresh_from_db()
    assert execution.steps.filter(transitioned_from="start", name="failed").exists()


def test_without_a_connection_the_conversation_is_simulated(team):
    execution = run(team)
    execution.refresh_from_db()
    assert not OutboundRequest.objects.exists()
    sid = execution.context["widgets"]["start"]["conversation"]["sid"]
    assert sid.startswith("CH") and execution.wait["widget"] == "ask"


def test_the_test_panel_simulates_it_even_when_connected(team, twilio):
    execution = run(team, origin="test")
    execution.refresh_from_db()
    assert not OutboundRequest.objects.exists()
    assert execution.wait["widget"] == "ask"


def test_a_webhook_already_gone_is_not_an_error(team, twilio):
    execution = run(team)
    drain()
    execution.refresh_from_db()
    channel = execution.context["flow"]["channel"]
    assert channel["webhook_sid"].startswith("WH")
    # Someone removed the webhook on Twilio; the execution is ended through the API.
    twilio.requests[:] = [r for r in twilio.requests if r.get("sid") != channel["webhook_sid"]]
    services.end_execution(execution)
    assert drain() == ["sent", "sent"]  # the pending question, and the removal
    removal = OutboundRequest.objects.get(kind="remove_webhook")
    assert removal.status == "sent" and removal.response == {
        "deleted": False,
        "error": "already gone",
    }


def killed_after_twilio_made(monkeypatch, prefix: str, kind="start_conversation"):
    """The sender of the `kind` request, killed once between Twilio's answer creating a
    resource whose SID starts with `prefix` and storing it."""
    real, kills = outbox_conversations.fields_of, iter([True])

    def killed_once(resource):
        if resource.sid.startswith(prefix) and next(kills, False):
            raise SystemExit(f"killed after Twilio created {resource.sid}")
        return real(resource)

    monkeypatch.setattr(outbox_conversations, "fields_of", killed_once)
    row = OutboundRequest.objects.get(kind=kind)
    with pytest.raises(SystemExit):
        outbox.send(row.pk)
    row.refresh_from_db()
    assert row.status == "pending"
    return row


def test_a_worker_killed_between_twilios_answer_and_storing_it_makes_no_second_conversation(
    team, twilio, monkeypatch
):
    execution = run(team)
    row = killed_after_twilio_made(monkeypatch, "CH")
    [made] = created(twilio, "conversation")
    assert not row.response.get("conversation")

    # Its lease runs out and the request is sent again: Twilio refuses a second
    # conversation with the same unique name (409, error 50353), which is fetched instead.
    assert outbox.send(row.pk, timezone.now() + outbox.lease(row)) == "sent"
    assert created(twilio, "conversation") == [made]
    refused = [r for r in twilio.requests if r["path"].endswith("/Conversations")]
    assert len(refused) == 2 and "created" not in refused[1]
    unique_name = made["form"]["UniqueName"]
    assert unique_name == f"studio-{execution.sid}-start"
    assert any(r["method"] == "GET" and r["path"].endswith(unique_name) for r in twilio.requests)
    assert len(created(twilio, "participant")) == 1
    execution.refresh_from_db()
    assert execution.wait["widget"] == "ask"
    assert execution.context["flow"]["channel"]["sid"] == made["sid"]


@pytest.mark.parametrize("prefix", ["MB", "WH"])
def test_a_participant_or_webhook_made_before_the_sender_was_killed_is_not_made_again(
    team, twilio, monkeypatch, prefix
):
    """A second webhook would outlive the execution (only the stored one is removed at its
    end) and bring the conversation's later messages to the flow; a second participant is
    refused by Twilio, which failed the widget. The retry finds what Twilio made."""
    execution = run(team)
    row = killed_after_twilio_made(monkeypatch, prefix)
    assert outbox.send(row.pk, timezone.now() + outbox.lease(row)) == "sent"
    assert len(created(twilio, "participant")) == 1
    [hook] = created(twilio, "conversation_webhook")
    execution.refresh_from_db()
    assert execution.wait["widget"] == "ask"
    assert execution.context["flow"]["channel"]["webhook_sid"] == hook["sid"]
