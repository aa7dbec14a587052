"""Incoming calls at a flow's Webhook URL: the call is answered with TwiML for the widget the
execution waits in, each verb calls back to the execution, retries change nothing, and the
call's end ends the execution as Studio does."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from editor.models import Execution, ExecutionStep
from editor.samples import load_sample

from .engine_support import flow, state
from .twilio_support import (
    CALLER,
    SERVER,
    call,
    connect,
    post,
    published,
    twiml,
    verbs,
    webhook_path,
)

pytestmark = pytest.mark.django_db
CALL = "CA" + "1" * 32


@pytest.fixture
def ivr(team):
    connect(team)
    return published(team, load_sample("ivr-phone-tree"), "IVR")


def callback(root, params):
    """Twilio requesting the URL a verb named (its action, else the Redirect after it)."""
    url = (
        next((e.get("action") for e in root.iter() if e.get("action")), None)
        or root.find("Redirect").text
    )
    assert url.startswith(SERVER + "/v1/Accounts/")
    return post(url.removeprefix(SERVER), params)


def test_an_incoming_call_is_answered_with_the_first_widgets_gather(ivr):
    root = twiml(post(webhook_path(ivr), call(CALL)))
    assert verbs(root) == ["Gather", "Redirect"]
    gather = root.find("Gather")
    execution = Execution.objects.get(flow=ivr)
    assert execution.trigger == "call" and execution.initiated_by == CALL
    assert execution.context["trigger"]["call"]["CallSid"] == CALL
    expected = (
        f"{SERVER}{webhook_path(ivr)}/Executions/{execution.sid}/Callback?wait={execution.wait_id}"
    )
    assert gather.get("action") == expected and root.find("Redirect").text == expected
    say = gather.find("Say")
    assert say.text.startswith("Thanks for calling Owl Dental")
    assert (say.get("voice"), say.get("language")) == ("Polly.Joanna", "en-US")


def test_the_caller_walks_the_ivr_to_voicemail(ivr):
    menu = twiml(post(webhook_path(ivr), call(CALL)))
    prompt = twiml(callback(menu, call(CALL, "in-progress", Digits="3")))
    assert verbs(prompt) == ["Say", "Redirect"]
    assert prompt.find("Say").text.startswith("Please leave your name")
    record = twiml(callback(prompt, call(CALL, "in-progress")))
    assert verbs(record) == ["Record", "Redirect"]
    recording = {
        "RecordingUrl": "https://api.twilio.com/recordings/RE1",
        "RecordingSid": "RE" + "2" * 32,
        "RecordingDuration": "7",
        "Digits": "#",
    }
    goodbye = twiml(callback(record, call(CALL, "in-progress", **recording)))
    assert goodbye.find("Say").text.startswith("Thank you.")
    end = twiml(callback(goodbye, call(CALL, "in-progress")))
    assert verbs(end) == []  # the flow ended: an empty document, and Twilio hangs up
    execution = Execution.objects.get(flow=ivr)
    assert execution.status == "ended" and execution.ended_reason == "FLOW_END"
    widgets = execution.context["widgets"]
    assert widgets["gather_main_menu"]["Digits"] == "3"
    assert widgets["record_voicemail_1"]["RecordingUrl"] == recording["RecordingUrl"]
    assert widgets["say_leave_message"]["voice"] == "Polly.Joanna"


def test_no_input_at_the_gather_is_its_timeout(ivr):
    menu = twiml(post(webhook_path(ivr), call(CALL)))
    # actionOnEmptyResult="true": Twilio calls the action without Digits.
    sorry = twiml(callback(menu, call(CALL, "in-progress")))
    assert sorry.find("Say").text == "Sorry, we didn't get your choice."
    steps = ExecutionStep.objects.filter(execution__flow=ivr).values_list("name", flat=True)
    assert "timeout" in list(steps)


def test_a_retried_incoming_call_starts_one_execution_and_gets_the_same_twiml(ivr):
    first = post(webhook_path(ivr), call(CALL))
    again = post(webhook_path(ivr), call(CALL))
    assert first.content == again.content
    assert Execution.objects.filter(flow=ivr).count() == 1


def test_a_retried_callback_moves_the_execution_on_once(ivr):
    menu = twiml(post(webhook_path(ivr), call(CALL)))
    hours = callback(menu, call(CALL, "in-progress", Digits="1"))
    steps = ExecutionStep.objects.count()
    retried = callback(menu, call(CALL, "in-progress", Digits="1"))
    # The wait it names is gone: nothing moves, and Twilio hears where the call is now.
    assert retried.content == hours.content
    assert ExecutionStep.objects.count() == steps
    assert twiml(retried).find("Say").text.startswith("We are open")


def test_a_callback_naming_an_old_wait_does_not_answer_the_current_one(ivr):
    menu = twiml(post(webhook_path(ivr), call(CALL)))
    callback(menu, call(CALL, "in-progress", Digits="7"))  # invalid choice: a Say, then menu
    execution = Execution.objects.get(flow=ivr)
    assert execution.wait["widget"] == "say_invalid_choice"
    callback(menu, call(CALL, "in-progress", Digits="1"))
    execution.refresh_from_db()
    assert execution.wait["widget"] == "say_invalid_choice"


def test_the_calls_status_callback_ends_the_execution_once(ivr):
    twiml(post(webhook_path(ivr), call(CALL)))
    over = call(CALL, "completed", CallDuration="12")
    assert verbs(twiml(post(webhook_path(ivr), over))) == []
    execution = Execution.objects.get(flow=ivr)
    assert execution.status == "ended" and execution.ended_reason == "CALL_ENDED"
    assert verbs(twiml(post(webhook_path(ivr), over))) == []
    assert Execution.objects.filter(flow=ivr).count() == 1


def test_a_status_callback_for_an_unknown_call_starts_nothing(ivr):
    assert verbs(twiml(post(webhook_path(ivr), call(CALL, "no-answer")))) == []
    assert not Execution.objects.exists()


def test_a_caller_hanging_up_during_a_dial_takes_its_hangup_branch(team):
    connect(team)
    dialing = published(
        team,
        flow(
            state(
                "connect",
                "connect-call-to",
                {"noun": "number", "to": "+15550000100"},
                callCompleted=None,
                hangup="bye",
            ),
            state("bye", "say-play", {"say": "never heard"}, audioComplete=None),
        ),
    )
    dial = twiml(post(webhook_path(dialing), call(CALL)))
    left = call(CALL, "completed", DialCallStatus="completed", DialCallDuration="30")
    assert verbs(twiml(callback(dial, left))) == []
    execution = Execution.objects.get(flow=dialing)
    names = list(execution.steps.values_list("name", "transitioned_from"))
    assert ("hangup", "connect") in names
    # The Say after it needs a call that is over: the execution ends instead of waiting.
    assert execution.status == "ended" and execution.ended_reason == "CALL_ENDED"


def test_a_dialled_call_that_ends_moves_on_by_call_completed(team):
    connect(team)
    dialing = published(
        team,
        flow(
            state(
                "connect",
                "connect-call-to",
                {"noun": "number", "to": "+15550000100"},
                callCompleted=None,
                hangup=None,
            )
        ),
    )
    dial = twiml(post(webhook_path(dialing), call(CALL)))
    done = call(CALL, "in-progress", DialCallStatus="no-answer", DialCallSid="CA" + "9" * 32)
    twiml(callback(dial, done))
    execution = Execution.objects.get(flow=dialing)
    assert execution.context["widgets"]["connect"]["DialCallStatus"] == "no-answer"
    assert execution.steps.last().name == "callCompleted"


def test_a_twiml_redirect_returns_the_call_to_the_flow(team):
    connect(team)
    redirecting = published(
        team,
        flow(
            state(
                "away",
                "add-twiml-redirect",
                {"url": "https://example.com/ivr.xml"},
                **{"return": "back", "timeout": None, "fail": None},
            ),
            state("back", "say-play", {"say": "Welcome back"}, audioComplete=None),
        ),
    )
    away = twiml(post(webhook_path(redirecting), call(CALL)))
    assert verbs(away) == ["Redirect"] and away[0].text == "https://example.com/ivr.xml"
    path = webhook_path(redirecting) + "?FlowEvent=return&choice=2"
    back = twiml(post(path, call(CALL, "in-progress")))
    assert back.find("Say").text == "Welcome back"
    execution = Execution.objects.get(flow=redirecting)
    assert execution.context["widgets"]["away"]["choice"] == "2"
    assert twiml(post(path, call(CALL, "in-progress"))).find("Say") is not None
    assert execution.steps.filter(name="return").count() == 1


def test_an_unsigned_callback_is_refused_and_changes_nothing(ivr):
    menu = twiml(post(webhook_path(ivr), call(CALL)))
    url = menu.find("Gather").get("action").removeprefix(SERVER)
    assert post(url, call(CALL, "in-progress", Digits="1"), signature="").status_code == 403
    assert Execution.objects.get(flow=ivr).wait["widget"] == "gather_main_menu"


def test_callbacks_reach_only_their_own_flows_executions(ivr, team):
    other = published(team, load_sample("ivr-phone-tree"), "Other IVR")
    menu = twiml(post(webhook_path(ivr), call(CALL)))
    url = menu.find("Gather").get("action").removeprefix(SERVER)
    misrouted = url.replace(ivr.sid, other.sid)
    assert post(misrouted, call(CALL, "in-progress", Digits="1")).status_code == 404


def test_callback_urls_start_with_the_public_base_url(ivr, settings):
    settings.TWILIO_WEBHOOK_BASE_URL = "https://studio.example.com"
    path = webhook_path(ivr)
    menu = twiml(post(path, call(CALL), signed_url="https://studio.example.com" + path))
    assert menu.find("Gather").get("action").startswith("https://studio.example.com/v1/")


def test_a_second_call_from_a_caller_with_an_active_one_is_refused_without_the_flag(team):
    connect(team)
    definition = load_sample("ivr-phone-tree")
    definition["flags"] = {"allow_concurrent_calls": False}
    strict = published(team, definition)
    twiml(post(webhook_path(strict), call(CALL)))
    response = post(webhook_path(strict), call("CA" + "2" * 32))
    assert response.status_code == 409  # the caller hears Twilio's application error
    assert Execution.objects.filter(flow=strict, contact_channel_address=CALLER).count() == 1


def test_a_retried_status_callback_ends_the_call_once(team):
    connect(team)
    texting = published(
        team,
        flow(
            state(
                "voicemail",
                "record-voicemail",
                {"timeout": 5},
                recordingComplete=None,
                noAudio=None,
                hangup="text_back",
            ),
            state(
                "text_back",
                "send-and-wait-for-reply",
                {"body": "Sorry!", "from": "{{flow.channel.address}}", "timeout": "3600"},
                incomingMessage=None,
                timeout=None,
                deliveryFailure=None,
            ),
        ),
    )
    twiml(post(webhook_path(texting), call(CALL)))
    over = call(CALL, "completed", CallDuration="3")
    post(webhook_path(texting), over)
    execution = Execution.objects.get(flow=texting)
    assert execution.wait["widget"] == "text_back"
    post(webhook_path(texting), over)
    execution.refresh_from_db()
    assert execution.status == "active" and execution.wait["widget"] == "text_back"


def test_two_deliveries_of_one_call_racing_start_one_execution(ivr, monkeypatch):
    from editor.services import webhooks

    first = post(webhook_path(ivr), call(CALL))
    real, looks = webhooks.started_by, []

    def too_early(flow, sid):
        # The second delivery looks before the first has committed, and finds nothing.
        looks.append(sid)
        return None if len(looks) == 1 else real(flow, sid)

    monkeypatch.setattr(webhooks, "started_by", too_early)
    second = post(webhook_path(ivr), call(CALL))
    assert second.content == first.content
    assert len(looks) == 2  # the insert was refused, and the execution found
    assert Execution.objects.filter(flow=ivr).count() == 1


@pytest.mark.parametrize("wait", ["²", "٣", "9" * 5000])
def test_a_signed_callback_whose_wait_is_no_wait_number_is_a_404(ivr, wait):
    # str.isdigit takes "²" and Arabic-Indic digits, which int() refuses or reads: a 500.
    twiml(post(webhook_path(ivr), call(CALL)))
    execution = Execution.objects.get(flow=ivr)
    path = f"{webhook_path(ivr)}/Executions/{execution.sid}/Callback?wait={quote(wait)}"

    response = post(path, call(CALL, "in-progress", Digits="1"))

    assert response.status_code == 404
    assert response.content.decode() == f"No execution {execution.sid} waiting here"
    assert Execution.objects.get(pk=execution.pk).wait_id == execution.wait_id


@pytest.mark.both_databases
def test_a_signed_callback_with_a_nul_in_a_parameter_is_a_400(ivr):
    twiml(post(webhook_path(ivr), call(CALL)))
    execution = Execution.objects.get(flow=ivr)
    path = f"{webhook_path(ivr)}/Executions/{execution.sid}/Callback?wait={execution.wait_id}"

    response = post(path, call(CALL, "in-progress", Digits="1\x00"))

    assert response.status_code == 400
    assert response.content.decode() == "The parameter Digits holds a NUL character (U+0000)"
    assert Execution.objects.get(pk=execution.pk).wait_id == execution.wait_id
