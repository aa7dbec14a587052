"""Who may reach Executions through the Studio REST API v2 and what it refuses: another
team's key and another flow find nothing, bad parameters, missing addresses and a flow never
published are 400s; in the browser's session viewers read and editors act."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.test import Client as BrowserClient
from twilio.base.exceptions import TwilioException, TwilioRestException

from editor import services
from editor.models import Execution, Status

from . import test_api_flows
from .execution_api_support import (
    CONTACT,
    FLOW_ADDRESS,
    FORM,
    flow_fixture,  # noqa: F401 (the `flow` fixture)
    start,
    survey_definition,
)

# The live-server SDK fixtures, shared with the Flows tests.
connect = test_api_flows.connect
sdk = test_api_flows.sdk


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
