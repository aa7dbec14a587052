"""`manage.py run_flow`: a scripted execution of a flow, printed as a transcript."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from editor import services
from editor.models import Execution, Status
from editor.samples import sample_text

from .execution_api_support import survey_definition

pytestmark = pytest.mark.django_db

CONTACT = "+15551230001"
HEADER = re.compile(r"^execution (FN[0-9a-f]{32}) \(flow (FW[0-9a-f]{32}) revision 1, (\w+)\)$")


def sample(team, slug: str):
    return services.import_flow(team, sample_text(slug), publish=True)


def run_flow(flow, *args: str) -> tuple[list[str], str]:
    """The transcript's lines after the header (checked here), and what went to stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command("run_flow", flow.sid, "--from", CONTACT, *args, stdout=out, stderr=err)
    header, *lines = out.getvalue().splitlines()
    found = HEADER.match(header)
    assert found, header
    execution_sid, flow_sid, _ = found.groups()
    assert flow_sid == flow.sid
    assert Execution.objects.filter(sid=execution_sid, flow=flow).exists()
    return lines, err.getvalue()


def test_a_conversation_runs_to_its_end_with_a_reply(team):
    flow = sample(team, "conversations-tutorial")

    lines, err = run_flow(flow, "--reply", "yes")

    assert lines == [
        f"← {CONTACT}: Hi",
        "Trigger --incomingMessage--> send_and_reply_1",
        f"→ {CONTACT}: Hi, do you like bots?",
        "waiting for a reply",
        f"← {CONTACT}: yes",
        "send_and_reply_1 --incomingMessage--> split_1",
        "split_1 --match--> send_message_1",
        f"→ {CONTACT}: Great! We like you too. Bots and humans, best friends forever.",
        "send_message_1 --sent--> Ended",
        "ended: FLOW_END",
    ]
    assert err == ""
    execution = Execution.objects.get()
    assert (execution.status, execution.trigger, execution.ended_reason) == (
        "ended",
        "message",
        "FLOW_END",
    )
    assert execution.flow_channel_address == "+15550000000"
    assert execution.initiated_by.startswith("SM")
    assert execution.steps.count() == 4


def test_a_conversations_message_starts_the_tutorial_as_twilio_delivers_it(team):
    flow = sample(team, "conversations-tutorial")

    lines, err = run_flow(flow, "--trigger", "conversation", "--body", "Hello", "--reply", "no")
    assert err == ""

    assert lines[:2] == [
        f"← {CONTACT}: Hello",
        "Trigger --incomingConversationMessage--> send_and_reply_1",
    ]
    assert "split_1 --match--> send_message_2" in lines and lines[-1] == "ended: FLOW_END"
    execution = Execution.objects.get()
    assert (execution.trigger, execution.origin) == ("conversation", "shell")
    first = execution.steps.get(position=0).context
    assert '"EventType": "onMessageAdded"' in first and '"Source": "SMS"' in first
    message = execution.context["trigger"]["conversation"]
    assert message["Body"] == "no" and message["Index"] == "2", "the reply is the next message"
    inbound = execution.context["widgets"]["send_and_reply_1"]["inbound"]
    assert inbound["ConversationSid"] == message["ConversationSid"] == message["ChannelSid"]
    assert execution.initiated_by.startswith("IM")


def test_without_a_reply_it_stops_and_leaves_the_execution_waiting(team):
    flow = sample(team, "conversations-tutorial")

    lines, _ = run_flow(flow, "--to", "+15550001111", "--body", "hello")

    execution = Execution.objects.get()
    assert lines == [
        f"← {CONTACT}: hello",
        "Trigger --incomingMessage--> send_and_reply_1",
        f"→ {CONTACT}: Hi, do you like bots?",
        "stopped: waiting for a reply",
        f"execution {execution.sid} is still active",
    ]
    assert (execution.status, execution.flow_channel_address) == ("active", "+15550001111")
    assert execution.context["trigger"]["message"]["Body"] == "hello"
    # A person carries on later, as a real reply would.
    services.receive_message(
        flow,
        contact=CONTACT,
        flow_address="+15550001111",
        payload={
            "Body": "no",
            "From": CONTACT,
            "To": "+15550001111",
            "MessageSid": "SM" + "1" * 32,
        },
    )
    execution.refresh_from_db()
    assert (execution.status, execution.steps.last().transitioned_from) == (
        "ended",
        "send_message_2",
    )


def test_a_second_run_for_a_waiting_contact_is_refused(team):
    flow = sample(team, "conversations-tutorial")
    run_flow(flow)
    waiting = Execution.objects.get()

    with pytest.raises(CommandError, match=f"Execution {waiting.sid} is already active"):
        call_command("run_flow", flow.sid, "--from", CONTACT, stdout=io.StringIO())


GATHER_MENU = (
    'gather: say "Thanks for calling Owl Dental. For our opening hours, press 1. '
    'To speak to reception, press 2. To leave a message, press 3." (timeout 5 s)'
)


def test_a_phone_tree_takes_digits_and_plays_through_the_says(team):
    flow = sample(team, "ivr-phone-tree")

    lines, _ = run_flow(flow, "--digits", "9", "--digits", "1")

    assert lines == [
        f"call from {CONTACT} to +15550000000",
        "Trigger --incomingCall--> gather_main_menu",
        GATHER_MENU,
        "waiting for call input",
        "← digits: 9",
        "gather_main_menu --keypress--> split_digits",
        "split_digits --noMatch--> say_invalid_choice",
        'say "Sorry, that is not one of the options."',
        "say_invalid_choice --audioComplete--> gather_main_menu",
        GATHER_MENU,
        "waiting for call input",
        "← digits: 1",
        "gather_main_menu --keypress--> split_digits",
        "split_digits --match--> say_opening_hours",
        'say "We are open Monday to Friday from 8am to 6pm. Goodbye!"',
        "say_opening_hours --audioComplete--> Ended",
        "ended: FLOW_END",
    ]
    execution = Execution.objects.get()
    assert execution.trigger == "call" and execution.initiated_by.startswith("CA")
    assert execution.context["trigger"]["call"]["CallStatus"] == "in-progress"
    assert execution.context["widgets"]["gather_main_menu"]["Digits"] == "1"


def test_digits_and_speech_are_used_in_the_order_given(team):
    flow = sample(team, "ivr-phone-tree")

    lines, err = run_flow(flow, "--speech", "opening hours", "--digits", "1")

    assert lines[3:7] == [
        "waiting for call input",
        "← speech: opening hours",
        "gather_main_menu --speech--> Ended",
        "ended: FLOW_END",
    ]
    assert err == "1 scripted input was not used\n"
    widgets = Execution.objects.get().context["widgets"]
    assert widgets["gather_main_menu"] == {"SpeechResult": "opening hours", "Confidence": "0.9"}


def test_voice_actions_continue_on_their_own(team):
    flow = sample(team, "ivr-phone-tree")

    lines, _ = run_flow(flow, "--digits", "2")

    assert lines[-4:] == [
        "split_digits --match--> connect_reception",
        f"dial: +15555550100 (caller ID {CONTACT})",
        "connect_reception --callCompleted--> Ended",
        "ended: FLOW_END",
    ]


def test_a_call_without_input_stops_at_the_gather(team):
    flow = sample(team, "ivr-phone-tree")

    lines, _ = run_flow(flow)

    execution = Execution.objects.get()
    assert lines[-2:] == [
        "stopped: waiting for call input",
        f"execution {execution.sid} is still active",
    ]
    assert execution.status == "active"


def test_a_request_carries_parameters_into_flow_data(team):
    flow = sample(team, "appointment-reminder")

    lines, _ = run_flow(
        flow,
        "--trigger",
        "request",
        "--param",
        "first_name=Ann",
        "--param",
        "provider=Dr Lee",
        "--param",
        "appointment_time=Monday 9am",
        "--param",
        "office_phone=+15550100",
        "--reply",
        "maybe",
    )

    assert lines == [
        f"request to {CONTACT} from +15550000000, parameters "
        '{"first_name": "Ann", "provider": "Dr Lee", "appointment_time": "Monday 9am", '
        '"office_phone": "+15550100"}',
        "Trigger --incomingRequest--> send_reminder",
        f"→ {CONTACT}: Hi Ann, this is a reminder of your appointment with Dr Lee on "
        "Monday 9am. Reply CONFIRM to keep it or CANCEL to cancel it.",
        "waiting for a reply",
        f"← {CONTACT}: maybe",
        "send_reminder --incomingMessage--> split_answer",
        "split_answer --noMatch--> send_unclear",
        f"→ {CONTACT}: Sorry, we didn't understand. Please call us on +15550100 to confirm "
        "or change your appointment.",
        "send_unclear --sent--> Ended",
        "ended: FLOW_END",
    ]
    execution = Execution.objects.get()
    assert execution.trigger == "request" and execution.initiated_by.startswith("RQ")
    assert execution.context["flow"]["data"]["first_name"] == "Ann"


def test_a_flow_answering_only_requests_runs_as_a_request(team):
    flow = services.create_flow(
        team, friendly_name="Survey", definition=survey_definition(), status=Status.PUBLISHED
    )

    lines, _ = run_flow(flow, "--param", "name=Ann", "--reply", "yes")

    assert lines[1:3] == [
        "Trigger --incomingRequest--> ask",
        f"→ {CONTACT}: Hi Ann, do you like bots?",
    ]
    assert lines[-3:] == [f"→ {CONTACT}: Great, Ann!", "great --sent--> Ended", "ended: FLOW_END"]


def test_an_unwired_trigger_ends_at_once(team):
    flow = sample(team, "conversations-tutorial")

    lines, _ = run_flow(flow, "--trigger", "call")

    assert lines == [
        f"call from {CONTACT} to +15550000000",
        "Trigger --incomingCall--> Ended",
        "ended: FLOW_END",
    ]


def test_an_unknown_flow_is_an_error():
    with pytest.raises(CommandError, match=r"no flow 'FW0+'"):
        call_command("run_flow", "FW" + "0" * 32, "--from", CONTACT)


def test_a_flow_with_nothing_published_is_an_error(team):
    draft = services.create_flow(team, friendly_name="Draft", definition=survey_definition())

    with pytest.raises(CommandError, match="no published revision"):
        call_command("run_flow", draft.sid, "--from", CONTACT)


def test_a_parameter_needs_a_key_and_a_value(team):
    flow = sample(team, "appointment-reminder")

    with pytest.raises(CommandError, match="expected KEY=VALUE"):
        call_command("run_flow", flow.sid, "--from", CONTACT, "--param", "first_name")


def subflow_definition() -> dict:
    """A subflow: its trigger answers only a parent flow's Run Subflow."""
    return {
        "description": "Greeter subflow",
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "transitions": [
                    {"event": "incomingMessage"},
                    {"event": "incomingRequest"},
                    {"event": "incomingParent", "next": "greet"},
                ],
                "properties": {"offset": {"x": 0, "y": 0}},
            },
            {
                "name": "greet",
                "type": "send-message",
                "transitions": [{"event": "sent"}, {"event": "failed"}],
                "properties": {
                    "offset": {"x": 0, "y": 200},
                    "from": "{{flow.channel.address}}",
                    "to": "{{contact.channel.address}}",
                    "body": "Hi {{trigger.parent.parameters.name}} ({{flow.data.name}})",
                },
            },
        ],
    }


def test_a_subflow_runs_as_its_parent_starts_it(team):
    flow = services.create_flow(
        team, friendly_name="Greeter", definition=subflow_definition(), status=Status.PUBLISHED
    )

    lines, _ = run_flow(flow, "--param", "name=Ann")

    assert lines == [
        f'run as a subflow for {CONTACT}, parameters {{"name": "Ann"}}',
        "Trigger --incomingParent--> greet",
        f"→ {CONTACT}: Hi Ann (Ann)",
        "greet --sent--> Ended",
        "ended: FLOW_END",
    ]
    execution = Execution.objects.get()
    assert execution.trigger == "parent"
    assert execution.context["trigger"]["parent"]["parameters"] == {"name": "Ann"}


def test_a_subflow_can_be_asked_for_by_name(team):
    flow = services.create_flow(
        team, friendly_name="Greeter", definition=subflow_definition(), status=Status.PUBLISHED
    )

    lines, _ = run_flow(flow, "--trigger", "parent", "--param", "name=Bo")

    assert lines[1:3] == ["Trigger --incomingParent--> greet", f"→ {CONTACT}: Hi Bo (Bo)"]
