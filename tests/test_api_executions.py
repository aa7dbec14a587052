"""Executions, Steps and their Context through the Studio REST API v2, driven by the official
`twilio` SDK against a live server; replies arrive in-process as an inbound webhook would."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client as BrowserClient
from twilio.base.exceptions import TwilioException, TwilioRestException

from editor import services
from editor.models import Execution, ExecutionStep, Status
from editor.sids import is_sid, new_sid

from . import test_api_flows

# The live-server SDK fixtures, shared with the Flows tests.
connect = test_api_flows.connect
sdk = test_api_flows.sdk

CONTACT = "+15551230001"
FLOW_ADDRESS = "+15550000000"
FORM = "application/x-www-form-urlencoded"


def survey_definition(*, request_next: str | None = "ask") -> dict:
    """Trigger (REST) -> ask by name and wait -> split on yes -> answer."""

    def send(name: str, body: str) -> dict:
        return {
            "name": name,
            "type": "send-message",
            "transitions": [{"event": "sent"}, {"event": "failed"}],
            "properties": {
                "offset": {"x": 0, "y": 600},
                "from": "{{flow.channel.address}}",
                "to": "{{contact.channel.address}}",
                "body": body,
            },
        }

    yes = {
        "friendly_name": "If value equal_to yes",
        "arguments": ["{{widgets.ask.inbound.Body}}"],
        "type": "equal_to",
        "value": "yes",
    }
    return {
        "description": "Survey",
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "transitions": [
                    {"event": "incomingMessage"},
                    {"event": "incomingCall"},
                    {"event": "incomingConversationMessage"},
                    {"event": "incomingRequest", "next": request_next},
                    {"event": "incomingParent"},
                ],
                "properties": {"offset": {"x": 0, "y": 0}},
            },
            {
                "name": "ask",
                "type": "send-and-wait-for-reply",
                "transitions": [
                    {"event": "incomingMessage", "next": "split"},
                    {"event": "timeout"},
                    {"event": "deliveryFailure"},
                ],
                "properties": {
                    "offset": {"x": 0, "y": 200},
                    "from": "{{flow.channel.address}}",
                    "body": "Hi {{flow.data.name}}, do you like bots?",
                    "timeout": "3600",
                },
            },
            {
                "name": "split",
                "type": "split-based-on",
                "transitions": [
                    {"event": "noMatch", "next": "sorry"},
                    {"event": "match", "next": "great", "conditions": [yes]},
                ],
                "properties": {
                    "offset": {"x": 0, "y": 400},
                    "input": "{{widgets.ask.inbound.Body}}",
                },
            },
            send("great", "Great, {{flow.data.name}}!"),
            send("sorry", "Sorry to hear that."),
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }


@pytest.fixture
def flow(team, alice):
    return services.create_flow(
        team,
        friendly_name="Survey",
        definition=survey_definition(),
        status=Status.PUBLISHED,
        author=alice,
    )


def start(sdk, flow, to: str = CONTACT, **parameters):
    return sdk.studio.v2.flows(flow.sid).executions.create(
        to=to, from_=FLOW_ADDRESS, parameters=parameters or {"name": "Ann"}
    )


def reply(flow, body: str, contact: str = CONTACT) -> services.Outcome:
    """An inbound SMS from the contact, as the messaging webhook would deliver it."""
    payload = {"Body": body, "From": contact, "To": FLOW_ADDRESS, "MessageSid": new_sid("SM")}
    return services.receive_message(
        flow, contact=contact, flow_address=FLOW_ADDRESS, payload=payload
    )


def path_of(steps) -> list[tuple[str, str, str]]:
    return [(s.transitioned_from, s.name, s.transitioned_to) for s in steps]


def test_it_starts_an_execution_in_twilios_shape(sdk, flow, team, live_server):
    created = sdk.studio.v2.flows(flow.sid).executions.create_with_http_info(
        to=CONTACT, from_=FLOW_ADDRESS, parameters={"name": "Ann"}
    )

    execution = created.data
    assert created.status_code == 201
    assert is_sid(execution.sid, "FN")
    assert (execution.account_sid, execution.flow_sid) == (team.account_sid, flow.sid)
    assert execution.contact_channel_address == CONTACT
    assert is_sid(execution.contact_sid, "FC")
    assert (execution.flow_version, execution.status, execution.context) == (1, "active", {})
    assert is_sid(execution.initiated_by, "RQ")
    assert isinstance(execution.date_created, datetime)
    assert execution.url == f"{live_server.url}/v2/Flows/{flow.sid}/Executions/{execution.sid}"
    assert execution.links == {
        "steps": f"{execution.url}/Steps",
        "execution_context": f"{execution.url}/Context",
    }
    stored = Execution.objects.get(sid=execution.sid)
    assert (stored.trigger, stored.flow_channel_address) == ("request", FLOW_ADDRESS)


def test_a_second_execution_for_the_same_contact_is_a_409(sdk, flow):
    first = start(sdk, flow)

    with pytest.raises(TwilioRestException) as conflict:
        start(sdk, flow)

    error = conflict.value
    assert (error.status, error.code) == (409, 20409)
    assert error.details == {"conflicting_execution_sid": first.sid}
    # The SDK puts "Unable to create record: " before the server's message.
    assert error.msg.endswith(
        f": Execution {first.sid} is already active for this contact. "
        "End the active Execution before creating a new one"
    )
    assert Execution.objects.count() == 1
    other = start(sdk, flow, to="+15551230002")
    assert other.status == "active"


def test_executions_are_listed_newest_first_and_filtered_by_status(sdk, flow):
    finished = start(sdk, flow, to="+15551230002")
    reply(flow, "no", contact="+15551230002")
    waiting = start(sdk, flow)
    executions = sdk.studio.v2.flows(flow.sid).executions

    listed = executions.list()
    active = executions.list(status="active")
    ended = executions.list(status="ended")

    assert [e.sid for e in listed] == [waiting.sid, finished.sid]
    assert [e.sid for e in active] == [waiting.sid]
    assert [e.sid for e in ended] == [finished.sid]
    assert ended[0].context["widgets"]["sorry"]["outbound"]["Body"] == "Sorry to hear that."
    fetched = executions(waiting.sid).fetch()
    assert (fetched.sid, fetched.status) == (waiting.sid, "active")
    assert fetched.context["flow"]["data"] == {"name": "Ann"}


def test_the_list_filters_by_creation_date(sdk, flow):
    made = start(sdk, flow)
    executions = sdk.studio.v2.flows(flow.sid).executions
    now = datetime.now(UTC)

    since_yesterday = executions.list(date_created_from=now - timedelta(days=1))
    until_yesterday = executions.list(date_created_to=now - timedelta(days=1))
    from_tomorrow = executions.list(date_created_from=now + timedelta(days=1))

    assert [e.sid for e in since_yesterday] == [made.sid]
    assert until_yesterday == [] and from_tomorrow == []
    # Lists raise the SDK's plain TwilioException, with the response beside the message.
    with pytest.raises(TwilioException) as bad:
        executions.list(date_created_from="last tuesday")
    response = bad.value.args[1]
    assert response.status_code == 400
    assert json.loads(response.text)["code"] == 20001


def test_paging_keeps_the_status_filter(sdk, flow, live_server):
    sids = [start(sdk, flow, to=f"+1555123000{n}").sid for n in range(3)]
    executions = sdk.studio.v2.flows(flow.sid).executions

    first = executions.page(status="active", page_size=2)
    listed = executions.list(status="active", page_size=1)

    assert first.next_page_url.startswith(f"{live_server.url}/v2/Flows/{flow.sid}/Executions?")
    assert "Status=active" in first.next_page_url
    assert [e.sid for e in listed] == sids[::-1]
    assert [e.sid for e in first.next_page()] == [sids[0]]


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


def test_ending_an_execution_twice_is_a_409(sdk, flow):
    execution = start(sdk, flow)
    found = sdk.studio.v2.flows(flow.sid).executions(execution.sid)

    ended = found.update(status="ended")
    with pytest.raises(TwilioRestException) as again:
        found.update(status="ended")

    assert (ended.sid, ended.status) == (execution.sid, "ended")
    assert (again.value.status, again.value.code) == (409, 20409)
    assert again.value.msg.endswith(f": Execution {execution.sid} has already ended")
    assert Execution.objects.get(sid=execution.sid).ended_reason == "API_ENDED"
    assert start(sdk, flow).status == "active"  # the contact is free again


def test_only_status_ended_is_an_update(sdk, flow):
    execution = start(sdk, flow)

    with pytest.raises(TwilioRestException) as refused:
        sdk.studio.v2.flows(flow.sid).executions(execution.sid).update(status="active")

    assert (refused.value.status, refused.value.code) == (400, 20001)
    assert Execution.objects.get(sid=execution.sid).status == "active"


def test_a_deleted_execution_is_gone_with_its_steps(sdk, flow):
    execution = start(sdk, flow)
    found = sdk.studio.v2.flows(flow.sid).executions(execution.sid)

    deleted = found.delete_with_http_info()

    assert (deleted.status_code, deleted.data) == (204, True)
    with pytest.raises(TwilioRestException) as gone:
        found.fetch()
    assert (gone.value.status, gone.value.code) == (404, 20404)
    assert (Execution.objects.count(), ExecutionStep.objects.count()) == (0, 0)


def test_another_teams_key_finds_no_executions(sdk, connect, flow, other_team, dave):
    execution = start(sdk, flow)
    outsider = connect(other_team, dave)
    executions = outsider.studio.v2.flows(flow.sid).executions

    with pytest.raises(TwilioException) as unlisted:
        executions.list()
    assert unlisted.value.args[1].status_code == 404
    for attempt in (
        lambda: executions(execution.sid).fetch(),
        lambda: executions.create(to="+15559990000", from_=FLOW_ADDRESS),
        lambda: executions(execution.sid).update(status="ended"),
        lambda: executions(execution.sid).delete(),
        lambda: executions(execution.sid).execution_context().fetch(),
    ):
        with pytest.raises(TwilioRestException) as hidden:
            attempt()
        assert (hidden.value.status, hidden.value.code) == (404, 20404)
    assert Execution.objects.get().status == "active"


def test_an_execution_of_another_flow_is_not_found_here(sdk, flow, team, alice):
    execution = start(sdk, flow)
    other = services.create_flow(
        team,
        friendly_name="Other",
        definition=survey_definition(),
        status=Status.PUBLISHED,
        author=alice,
    )

    with pytest.raises(TwilioRestException) as hidden:
        sdk.studio.v2.flows(other.sid).executions(execution.sid).fetch()

    assert hidden.value.status == 404


@pytest.mark.parametrize(
    "parameters",
    ['{"name": ', '["Ann"]', '"Ann"', "[" * 100 + "]" * 100],
    ids=["not-json", "array", "string", "too-deep"],
)
def test_parameters_must_be_a_json_object(sdk, flow, parameters):
    with pytest.raises(TwilioRestException) as refused:
        sdk.studio.v2.flows(flow.sid).executions.create(
            to=CONTACT, from_=FLOW_ADDRESS, parameters=parameters
        )

    assert (refused.value.status, refused.value.code) == (400, 20001)
    assert ": Invalid parameter Parameters: " in refused.value.msg
    assert Execution.objects.count() == 0


@pytest.mark.parametrize("missing", ["To", "From"])
def test_to_and_from_are_required(sdk, flow, missing):
    addresses = {"to": CONTACT, "from_": FLOW_ADDRESS}
    addresses["to" if missing == "To" else "from_"] = ""

    with pytest.raises(TwilioRestException) as refused:
        sdk.studio.v2.flows(flow.sid).executions.create(**addresses)

    assert (refused.value.status, refused.value.code) == (400, 20001)
    assert refused.value.msg.endswith(f": Missing required parameter {missing} in the post body")


def test_a_flow_without_a_published_revision_cannot_run(sdk, team, alice):
    draft = services.create_flow(
        team, friendly_name="Draft", definition=survey_definition(), author=alice
    )

    with pytest.raises(TwilioRestException) as refused:
        sdk.studio.v2.flows(draft.sid).executions.create(to=CONTACT, from_=FLOW_ADDRESS)

    assert (refused.value.status, refused.value.code) == (400, 20001)
    assert "no published revision" in refused.value.msg
    assert Execution.objects.count() == 0


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


# The browser's session: viewers read, editors act (the Django test client is enough here).


def form(**fields: str) -> str:
    return urlencode(fields)


@pytest.fixture
def browser_flow(db, team, alice):
    return services.create_flow(
        team,
        friendly_name="Survey",
        definition=survey_definition(),
        status=Status.PUBLISHED,
        author=alice,
    )


def signed_in(user) -> BrowserClient:
    browser = BrowserClient()
    browser.force_login(user)
    return browser


def test_a_viewer_can_read_executions_but_not_start_end_or_delete_them(carol, browser_flow):
    outcome = services.start_execution(
        browser_flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
    )
    sid = outcome.execution.sid
    browser = signed_in(carol)
    url = f"/v2/Flows/{browser_flow.sid}/Executions"
    step = outcome.execution.steps.get()

    assert browser.get(url).json()["executions"][0]["sid"] == sid
    assert browser.get(f"{url}/{sid}/Context").status_code == 200
    assert browser.get(f"{url}/{sid}/Steps/{step.sid}/Context").status_code == 200
    start_fields = form(To="+15551230009", From=FLOW_ADDRESS)
    for response in (
        browser.post(url, start_fields, content_type=FORM),
        browser.post(f"{url}/{sid}", form(Status="ended"), content_type=FORM),
        browser.delete(f"{url}/{sid}"),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == 20403
    assert Execution.objects.get().status == "active"


def test_an_editor_session_can_start_and_end_executions(bob, browser_flow):
    browser = signed_in(bob)
    url = f"/v2/Flows/{browser_flow.sid}/Executions"

    created = browser.post(
        url,
        form(To=CONTACT, From=FLOW_ADDRESS, Parameters=json.dumps({"name": "Bob"})),
        content_type=FORM,
    )
    sid = created.json()["sid"]
    ended = browser.post(f"{url}/{sid}", form(Status="ended"), content_type=FORM)

    assert created.status_code == 201 and created.json()["context"] == {}
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert ended.json()["context"]["flow"]["data"] == {"name": "Bob"}


def test_a_missing_status_on_update_is_a_400(bob, browser_flow):
    outcome = services.start_execution(
        browser_flow, kind="request", contact=CONTACT, flow_address=FLOW_ADDRESS
    )
    browser = signed_in(bob)

    response = browser.post(
        f"/v2/Flows/{browser_flow.sid}/Executions/{outcome.execution.sid}",
        "",
        content_type=FORM,
    )

    assert response.status_code == 400
    assert response.json()["message"] == "Missing required parameter Status in the post body"


def test_an_unknown_status_filter_is_a_400(bob, browser_flow):
    response = signed_in(bob).get(f"/v2/Flows/{browser_flow.sid}/Executions?Status=paused")

    assert response.status_code == 400 and response.json()["code"] == 20001


def test_the_openapi_schema_describes_the_executions_api(client, db):
    schema = client.get("/api/schema/").content.decode()

    for operation in (
        "ListExecution",
        "CreateExecution",
        "FetchExecution",
        "UpdateExecution",
        "DeleteExecution",
        "FetchExecutionContext",
        "ListExecutionStep",
        "FetchExecutionStep",
        "FetchExecutionStepContext",
    ):
        assert f"operationId: {operation}\n" in schema
    assert "/v2/Flows/{flow_sid}/Executions/{execution_sid}/Steps/{sid}" in schema
