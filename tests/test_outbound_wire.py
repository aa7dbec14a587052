"""The form fields of the REST calls the outbox makes, as Twilio's API names them, for the
widget properties that have a wire equivalent (docs/channels.md, "Outbound requests"):
Make Outgoing Call's recording, answering-machine and SIP settings, content templates in
a conversation, and which `from` is a Messaging Service; and the failures as the execution
records them (a 401 says where to mend it, no answer says so in a sentence); and a placed
call handed back by a TwiML Redirect; and the execution's page, which lists its requests
to Twilio with their errors and delivery reports; and a status callback that a sender
posts to the Webhook URL, a delivery report there too."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from editor import services
from editor.models import OutboundRequest
from editor.samples import load_sample

from .engine_support import flow, state
from .outbox_support import PUBLIC, drain, post, twilio_fixture  # noqa: F401
from .test_conversations import added
from .test_send_message_live import notice_flow, started
from .twilio_support import (
    CALLER,
    NUMBER,
    TWILIO_ACCOUNT,
    published,
    sms,
    twiml,
    verbs,
    webhook_path,
)

pytestmark = pytest.mark.django_db
FIRST = "SM" + "1" * 32
TEMPLATE = "HX" + "5" * 32
SERVICE = "MG" + "6" * 32
# The body of the message that started the run, whichever channel it came on.
BODY = "{{trigger.message.Body}}{{trigger.conversation.Body}}"
OTHER = "+15550009999"


def outgoing(team, **properties):
    call = state(
        "dial",
        "make-outgoing-call-v2",
        {"from": NUMBER, "to": "{{contact.channel.address}}", "timeout": 30, **properties},
        answered=None,
        busy=None,
        noAnswer=None,
        failed=None,
    )
    return published(team, flow(call), "Outgoing")


def test_make_outgoing_call_sends_its_recording_detection_and_sip_settings(team, twilio):
    dial = outgoing(
        team,
        record=True,
        recording_channels="dual",
        recording_status_callback="https://hooks.example.com/rec/{{contact.channel.address}}",
        trim="trim-silence",
        detect_answering_machine=True,
        machine_detection="DetectMessageEnd",
        machine_detection_timeout="20",
        machine_detection_speech_threshold=2000,
        sip_auth_username="owl",
        sip_auth_password="s3cret",
    )
    post(webhook_path(dial), sms("call me", FIRST))
    assert drain() == ["sent"]
    [form] = twilio.created("call")
    assert form["Record"] == "true" and form["RecordingChannels"] == "dual"
    assert form["RecordingStatusCallback"] == "https://hooks.example.com/rec/+15551230001"
    assert form["Trim"] == "trim-silence"
    assert form["MachineDetection"] == "DetectMessageEnd"
    assert form["MachineDetectionTimeout"] == "20"
    assert form["MachineDetectionSpeechThreshold"] == "2000"
    assert form["MachineDetectionSpeechEndThreshold"] == "1200"  # Studio's default
    assert form["MachineDetectionSilenceTimeout"] == "5000"
    assert (form["SipAuthUsername"], form["SipAuthPassword"]) == ("owl", "s3cret")


def test_a_call_without_recording_or_detection_sends_none_of_their_settings(team, twilio):
    dial = outgoing(team, recording_channels="dual", machine_detection_timeout="20")
    post(webhook_path(dial), sms("call me", FIRST))
    assert drain() == ["sent"]
    [form] = twilio.created("call")
    sent = {key for key in form if key.startswith(("Record", "Trim", "MachineDetection", "Sip"))}
    assert sent == set()


def template_message(team, sender: str = "Clinic"):
    send = state(
        "remind",
        "send-message",
        {
            "from": sender,
            "message_type": "content_template",
            "content_sid": TEMPLATE,
            "content_variables": [{"key": "1", "value": BODY}],
        },
        sent=None,
        failed=None,
    )
    return published(team, flow(send), "Template")


def test_a_content_template_reply_in_a_conversation_carries_its_sid_and_variables(team, twilio):
    reminder = template_message(team)
    post(webhook_path(reminder), added("Tuesday", 1))
    assert drain() == ["sent"]
    [message] = twilio.created("conversation_message")
    assert message["ContentSid"] == TEMPLATE
    assert message["ContentVariables"] == '{"1": "Tuesday"}'
    assert message["Author"] == "Clinic"


@pytest.mark.parametrize(
    ("sender", "field"),
    [(SERVICE, "MessagingServiceSid"), ("MGM Resorts", "From"), (NUMBER, "From")],
)
def test_only_a_messaging_service_sid_is_sent_as_one(team, twilio, sender, field):
    reminder = template_message(team, sender)
    post(webhook_path(reminder), sms("hi", FIRST))
    assert drain() == ["sent"]
    [message] = twilio.created("message")
    assert message[field] == sender
    other = ({"From", "MessagingServiceSid"} - {field}).pop()
    assert other not in message
    assert message["ContentSid"] == TEMPLATE and message["ContentVariables"] == '{"1": "hi"}'


def test_refused_credentials_say_where_to_enter_them_again(team, twilio):
    twilio.fail(1, status=401, code=20003, kind="message")
    execution = started(team)
    assert drain() == ["failed"]  # retrying with the same credentials cannot help
    execution.refresh_from_db()
    outbound = execution.context["widgets"]["notice"]["outbound"]
    assert outbound["ErrorCode"] == "20003"
    assert "Twilio refused the team's credentials" in outbound["ErrorMessage"]
    assert "team page" in outbound["ErrorMessage"]


def test_twilio_not_answering_is_a_sentence_and_retried(team, twilio, settings):
    settings.TWILIO_HTTP_TIMEOUT = 0.5
    twilio.hang(1)
    started(team)
    assert drain() == ["retry"]
    [row] = OutboundRequest.objects.all()
    assert row.error == "Could not reach Twilio's API: 127.0.0.1 did not answer within 0.5 seconds."


def test_a_call_make_outgoing_call_placed_comes_back_from_a_twiml_redirect(team, twilio):
    away = state(
        "away",
        "add-twiml-redirect",
        {"url": "https://example.com/ivr.xml"},
        **{"return": "back", "timeout": None, "fail": None},
    )
    back = state("back", "say-play", {"say": "Welcome back"}, audioComplete=None)
    dial = state(
        "dial",
        "make-outgoing-call-v2",
        {"from": NUMBER, "to": "{{contact.channel.address}}"},
        answered="away",
        busy=None,
        noAnswer=None,
        failed=None,
    )
    placing = published(team, flow(dial, away, back), "Placing")
    post(webhook_path(placing), sms("call me", FIRST))
    assert drain() == ["sent"]
    [form] = twilio.created("call")
    placed = {"CallSid": twilio.requests[-1]["sid"], "AccountSid": TWILIO_ACCOUNT}
    placed.update(From=NUMBER, To=CALLER, Direction="outbound-api", CallStatus="in-progress")
    answered = twiml(post(form["Url"].removeprefix(PUBLIC), placed))
    assert verbs(answered) == ["Redirect"] and answered[0].text == "https://example.com/ivr.xml"
    # The TwiML there hands the call back to the Webhook URL: the flow goes on in the call.
    returned = twiml(post(webhook_path(placing) + "?FlowEvent=return&choice=2", placed))
    assert returned.find("Say").text == "Welcome back"
    execution = OutboundRequest.objects.get().execution
    execution.refresh_from_db()
    assert execution.context["widgets"]["away"]["choice"] == "2"
    assert execution.steps.filter(name="return").count() == 1


def test_the_execution_page_lists_its_requests_to_twilio_with_errors_and_reports(
    team, twilio, alice
):
    notice = notice_flow(team)
    twilio.fail(1, status=401, code=20003, kind="message")
    post(webhook_path(notice), sms("hi", FIRST))
    assert drain() == ["failed"]
    again = post(webhook_path(notice), sms("hi", "SM" + "2" * 32, From=OTHER))
    assert again.status_code == 200 and drain() == ["sent"]
    # Send Message left by `sent`; Twilio reports later that the message never arrived.
    sent = OutboundRequest.objects.get(status="sent")
    report = {"MessageSid": sent.twilio_sid, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    report.update(AccountSid=TWILIO_ACCOUNT, From=NUMBER, To=OTHER)
    path = f"{webhook_path(notice)}/Executions/{sent.execution.sid}/MessageStatus"
    assert post(path, report).status_code == 204

    client = Client()
    client.force_login(alice)
    refused = OutboundRequest.objects.get(status="failed").execution
    page = client.get(reverse("execution_detail", args=[notice.sid, refused.sid]))
    section = requests_section(page)
    assert "Twilio refused the team's credentials" in section
    page = client.get(reverse("execution_detail", args=[notice.sid, sent.execution.sid]))
    section = requests_section(page)
    assert section.count(sent.twilio_sid) == 2 and "Delivery report" in section
    assert "undelivered" in section and "Twilio error 30003" in section


def requests_section(page) -> str:
    text = html.unescape(page.content.decode())
    return text.split('data-testid="twilio-requests"')[1].split("</section>")[0]


def test_an_execution_that_asked_nothing_of_twilio_shows_no_such_section(team, alice):
    tutorial = published(team, load_sample("conversations-tutorial"), "Tutorial")
    execution = services.start_execution(
        tutorial, kind="message", contact=CALLER, flow_address=NUMBER, origin="test"
    ).execution
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("execution_detail", args=[tutorial.sid, execution.sid]))
    assert page.status_code == 200 and b"twilio-requests" not in page.content


def test_a_status_callback_posted_to_the_webhook_url_is_a_delivery_report(team, twilio):
    """A WhatsApp sender's or a Messaging Service's "status callback URL" set to the flow's
    Webhook URL: Twilio posts there the statuses of the flow's own messages (MessageStatus,
    From = the flow's number). They are delivery reports, not messages that start a run."""
    tutorial = published(team, load_sample("conversations-tutorial"), "Tutorial")
    post(webhook_path(tutorial), sms("hi", FIRST))
    drain()
    row = OutboundRequest.objects.get()
    report = {"MessageSid": row.twilio_sid, "SmsSid": row.twilio_sid, "AccountSid": TWILIO_ACCOUNT}
    report.update(From=NUMBER, To=CALLER, ApiVersion="2010-04-01")
    for status in ("sent", "delivered"):
        answer = post(webhook_path(tutorial), {**report, "MessageStatus": status})
        assert answer.status_code == 204
    unknown = {**report, "MessageSid": "SM" + "9" * 32, "SmsSid": "SM" + "9" * 32}
    assert post(webhook_path(tutorial), {**unknown, "MessageStatus": "failed"}).status_code == 204
    [execution] = tutorial.executions.all()
    assert execution.status == "active"
    failed = {**report, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert post(webhook_path(tutorial), failed).status_code == 204
    execution.refresh_from_db()
    assert execution.status == "ended" and execution.steps.last().name == "deliveryFailure"
    assert tutorial.executions.count() == 1
