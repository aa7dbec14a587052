"""An execution's Steps and Context through the Studio REST API v2, driven by the official
`twilio` SDK against a live server: the context as the execution goes on, the steps to its
end, one step and its context; replies arrive in-process as an inbound webhook would."""

from __future__ import annotations

from editor import services
from editor.models import Status
from editor.sids import is_sid

from . import test_api_flows
from .execution_api_support import (
    CONTACT,
    flow_fixture,  # noqa: F401 (the `flow` fixture)
    reply,
    start,
    survey_definition,
)

# The live-server SDK fixtures, shared with the Flows tests.
connect = test_api_flows.connect
sdk = test_api_flows.sdk


def path_of(steps) -> list[tuple[str, str, str]]:
    return [(s.transitioned_from, s.name, s.transitioned_to) for s in steps]


def test_the_context_shows_the_data_and_the_rendered_messages(sdk, flow, live_server):
    execution = start(sdk, flow)
    found = sdk.studio.v2.flows(flow.sid).executions(execution.sid).execution_context()

    waiting = found.fetch()
    reply(flow, "yes")
    done = found.fetch()

    assert waiting.context["flow"]["data"] == {"name": "Ann"}
    assert waiting.context["trigger"]["request"]["parameters"] == {"name": "Ann"}
    assert waiting.context["contact"]["channel"]["address"] == CONTACT
    assert waiting.context["widgets"] == {}  # a widget's outputs are written when it ends
    widgets = done.context["widgets"]
    assert widgets["ask"]["outbound"]["Body"] == "Hi Ann, do you like bots?"
    assert widgets["ask"]["inbound"]["Body"] == "yes"
    assert widgets["great"]["outbound"]["Body"] == "Great, Ann!"
    assert (done.account_sid, done.flow_sid, done.execution_sid) == (
        flow.team.account_sid,
        flow.sid,
        execution.sid,
    )
    assert done.url == f"{execution.url}/Context"


def test_steps_follow_the_execution_to_its_end(sdk, flow):
    execution = start(sdk, flow)
    found = sdk.studio.v2.flows(flow.sid).executions(execution.sid)

    waiting = found.steps.list()
    answered = reply(flow, "yes")
    steps = found.steps.list()

    assert path_of(waiting) == [("Trigger", "incomingRequest", "ask")]
    assert answered.execution.sid == execution.sid
    assert found.fetch().status == "ended"
    assert path_of(steps) == [
        ("Trigger", "incomingRequest", "ask"),
        ("ask", "incomingMessage", "split"),
        ("split", "match", "great"),
        ("great", "sent", "Ended"),
    ]
    assert [s.type for s in steps] == [
        "trigger",
        "send-and-wait-for-reply",
        "split-based-on",
        "send-message",
    ]
    assert {(s.flow_sid, s.execution_sid, s.parent_step_sid) for s in steps} == {
        (flow.sid, execution.sid, None)
    }


def test_a_step_and_its_context_can_be_fetched(sdk, flow):
    execution = start(sdk, flow)
    (listed,) = sdk.studio.v2.flows(flow.sid).executions(execution.sid).steps.list()
    found = sdk.studio.v2.flows(flow.sid).executions(execution.sid).steps(listed.sid)

    step = found.fetch()
    context = found.step_context().fetch()

    assert is_sid(step.sid, "FT")
    assert (step.name, step.transitioned_from, step.transitioned_to, step.type) == (
        "incomingRequest",
        "Trigger",
        "ask",
        "trigger",
    )
    assert step.url == f"{execution.url}/Steps/{step.sid}"
    assert step.links == {"step_context": f"{step.url}/Context"}
    assert step.context["flow"]["data"] == {"name": "Ann"}
    assert (context.step_sid, context.execution_sid, context.flow_sid) == (
        step.sid,
        execution.sid,
        flow.sid,
    )
    assert context.context == step.context
    assert context.url == f"{step.url}/Context"


def test_a_trigger_without_incoming_request_ends_at_once(sdk, team, alice):
    unwired = services.create_flow(
        team,
        friendly_name="Unwired",
        definition=survey_definition(request_next=None),
        status=Status.PUBLISHED,
        author=alice,
    )

    execution = start(sdk, unwired)

    steps = sdk.studio.v2.flows(unwired.sid).executions(execution.sid).steps.list()
    assert execution.status == "ended"
    assert [(s.name, s.transitioned_from, s.transitioned_to, s.type) for s in steps] == [
        ("incomingRequest", "Trigger", "Ended", "trigger")
    ]
