"""A Dial's action callback after the call's status callback (services/late_callbacks.py):
the Connect Call To has already left by `hangup`, and the late action still records
DialCallStatus and the other Dial variables in the widget's context and its Step's,
without moving, restarting or answering the execution; once only. A Record Voicemail's
late action keeps its recording the same way."""

from __future__ import annotations

import json

import pytest

from editor.engine import runtime
from editor.models import Execution, ExecutionStep, TranscriptEntry

from .engine_support import flow, make_ports, start, state
from .test_webhooks_voice import callback
from .twilio_support import call, connect, post, published, twiml, verbs, webhook_path

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
CALL = "CA" + "1" * 32
DIALLED = "CA" + "9" * 32
NOTIFY = {"body": "Missed you?", "from": "{{flow.channel.address}}", "timeout": "3600"}
DIAL = {"DialCallStatus": "completed", "DialCallSid": DIALLED, "DialCallDuration": "30"}


def dialing(hangup: str | None = None, *more: dict) -> dict:
    return flow(
        state(
            "connect",
            "connect-call-to",
            {"noun": "number", "to": "+15550000100"},
            callCompleted=None,
            hangup=hangup,
        ),
        *more,
    )


@pytest.fixture
def dialled(team):
    connect(team)
    return published(team, dialing(), "Dial")


def status_first(flow_) -> tuple:
    """The call answered with a Dial, then the caller's status callback before its action."""
    dial = twiml(post(webhook_path(flow_), call(CALL)))
    assert verbs(dial) == ["Dial"]
    post(webhook_path(flow_), call(CALL, "completed", CallDuration="41"))
    return dial, Execution.objects.get(flow=flow_)


def step_context(execution: Execution, name: str) -> dict:
    step = ExecutionStep.objects.get(execution=execution, name="hangup", transitioned_from=name)
    return json.loads(step.context)["widgets"][name]


def test_the_late_dial_action_records_the_dial_variables(dialled):
    dial, execution = status_first(dialled)
    assert execution.status == "ended"
    assert "DialCallStatus" not in execution.context["widgets"]["connect"]
    steps, entries = execution.steps.count(), TranscriptEntry.objects.count()

    late = callback(dial, call(CALL, "completed", **DIAL))

    assert verbs(twiml(late)) == [], "the call is over: nothing to run"
    after = Execution.objects.get(pk=execution.pk)
    assert (after.status, after.ended_reason) == (execution.status, execution.ended_reason)
    assert after.steps.count() == steps and TranscriptEntry.objects.count() == entries
    outputs = after.context["widgets"]["connect"]
    assert outputs["DialCallStatus"] == "completed" and outputs["DialCallSid"] == DIALLED
    assert outputs["DialCallDuration"] == "30" and outputs["CallDuration"] == "41"
    assert step_context(after, "connect")["DialCallStatus"] == "completed"
    assert "hung_up" not in after.state


def test_a_retried_late_action_changes_nothing_more(dialled):
    dial, _ = status_first(dialled)
    callback(dial, call(CALL, "completed", **DIAL))
    once = Execution.objects.get(flow=dialled)
    callback(dial, call(CALL, "completed", **{**DIAL, "DialCallStatus": "busy"}))
    again = Execution.objects.get(flow=dialled)
    assert again.version == once.version
    assert again.context["widgets"]["connect"]["DialCallStatus"] == "completed"


def test_a_late_action_does_not_move_an_execution_that_went_on(team):
    """The hangup branch texts the caller and waits for a reply."""
    connect(team)
    definition = dialing(
        "notify",
        state("notify", "send-and-wait-for-reply", NOTIFY, incomingMessage=None, timeout=None),
    )
    flow_ = published(team, definition, "Dial then ask")
    dial, execution = status_first(flow_)
    assert execution.status == "active" and execution.wait["widget"] == "notify"
    before = (execution.status, execution.wait_id, execution.steps.count())

    callback(dial, call(CALL, "completed", **DIAL))

    after = Execution.objects.get(pk=execution.pk)
    assert (after.status, after.wait_id, after.steps.count()) == before
    assert after.context["widgets"]["connect"]["DialCallStatus"] == "completed"


def test_an_action_that_comes_first_is_unchanged(dialled):
    dial = twiml(post(webhook_path(dialled), call(CALL)))
    callback(dial, call(CALL, "completed", **DIAL))
    post(webhook_path(dialled), call(CALL, "completed", CallDuration="41"))
    execution = Execution.objects.get(flow=dialled)
    assert execution.context["widgets"]["connect"]["DialCallStatus"] == "completed"
    assert "hung_up" not in execution.state
    assert [s.name for s in execution.steps.all()][-1] == "hangup"


def test_the_engine_notes_the_wait_a_hangup_left():
    definition = dialing()
    started = start(definition, "call", ports=make_ports())
    wait = started.state["wait"]
    over = runtime.resume(definition, started.state, {"type": "hangup", "params": {}}, make_ports())
    note = over.state["hung_up"]
    assert note == {"wait": wait["id"], "widget": "connect", "type": "connect-call-to", "step": 1}
    assert over.steps[0]["transitioned_from"] == "connect" and over.steps[0]["name"] == "hangup"


def test_a_late_record_action_records_the_voicemail(team):
    """The caller hangs up while leaving a voicemail: the Record's action (RecordingUrl,
    Digits=hangup) may come after the status callback, and the recording is not lost."""
    connect(team)
    definition = flow(
        state(
            "voicemail", "record-voicemail", {}, recordingComplete=None, noAudio=None, hangup=None
        )
    )
    flow_ = published(team, definition, "Voicemail")
    record = twiml(post(webhook_path(flow_), call(CALL)))
    post(webhook_path(flow_), call(CALL, "completed", CallDuration="20"))
    recording = {"RecordingUrl": "https://api.twilio.com/RE1", "RecordingDuration": "12"}

    callback(record, call(CALL, "completed", Digits="hangup", **recording))

    execution = Execution.objects.get(flow=flow_)
    outputs = execution.context["widgets"]["voicemail"]
    assert outputs["RecordingUrl"] == recording["RecordingUrl"] and outputs["Digits"] == "hangup"
    assert step_context(execution, "voicemail")["RecordingDuration"] == "12"
    assert [s.name for s in execution.steps.all()][-1] == "hangup"
