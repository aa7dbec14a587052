"""Executions through the Studio REST API v2, driven by the official `twilio` SDK against a
live server: started in Twilio's shape, one active per contact, listed newest first and
filtered, paged, ended, deleted, and described in the OpenAPI schema. Steps and Context are
in tests/test_api_execution_steps.py, who may reach them and what is refused in
tests/test_api_execution_access.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from editor.models import Execution, ExecutionStep
from editor.sids import is_sid

from . import test_api_flows
from .execution_api_support import (
    CONTACT,
    FLOW_ADDRESS,
    flow_fixture,  # noqa: F401 (the `flow` fixture)
    reply,
    start,
)

# The live-server SDK fixtures, shared with the Flows tests.
connect = test_api_flows.connect
sdk = test_api_flows.sdk


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
