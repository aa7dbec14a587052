"""Studio REST API v2, driven by the official `twilio` SDK against a live server."""

from __future__ import annotations

import base64
import json
from datetime import datetime

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from editor import services
from editor.models import Flow, FlowRevision

from .real_exports import (
    LIQUID_PATH,
    TRIM_WARNING,
    legacy_webhook_and_flex,
    liquid_in_function_parameter,
    older_trim_on_outgoing_call,
)


def studio_definition(body: str = "Hello") -> dict:
    """Trigger -> Send Message: the smallest useful flow."""
    return {
        "description": "Say hello",
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "transitions": [
                    {"event": "incomingMessage", "next": "say_hello"},
                    {"event": "incomingCall"},
                    {"event": "incomingConversationMessage"},
                    {"event": "incomingRequest"},
                    {"event": "incomingParent"},
                ],
                "properties": {"offset": {"x": 0, "y": 0}},
            },
            {
                "name": "say_hello",
                "type": "send-message",
                "transitions": [{"event": "sent"}, {"event": "failed"}],
                "properties": {
                    "offset": {"x": 0, "y": 200},
                    "from": "{{flow.channel.address}}",
                    "to": "{{contact.channel.address}}",
                    "body": body,
                },
            },
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }


def basic_auth(sid: str, secret: str) -> str:
    """An Authorization header value, as the SDKs send it."""
    return "Basic " + base64.b64encode(f"{sid}:{secret}".encode()).decode()


@pytest.fixture
def connect(live_server, transactional_db):
    """SDK clients on the live server, signed with a fresh key of the given team."""
    made: list[Client] = []

    def connect(team, user, secret: str | None = None) -> Client:
        key, real_secret = services.create_api_key(team, created_by=user)
        sdk = Client(key.sid, secret or real_secret, team.account_sid)
        sdk.studio.base_url = live_server.url
        made.append(sdk)
        return sdk

    yield connect
    # Closing the pooled keep-alive connections lets the server's threads end with it.
    for sdk in made:
        sdk.http_client.session.close()


@pytest.fixture
def sdk(connect, team, alice) -> Client:
    return connect(team, alice)


def create_flow(sdk: Client, name: str = "Hello", body: str = "Hello"):
    return sdk.studio.v2.flows.create(
        friendly_name=name, status="draft", definition=studio_definition(body)
    )


def test_it_creates_a_flow_in_twilios_shape(sdk, live_server, team, alice):
    flow = create_flow(sdk)

    assert flow.sid.startswith("FW") and len(flow.sid) == 34
    assert flow.account_sid == team.account_sid
    assert flow.author_sid == services.author_sid(alice)
    assert flow.friendly_name == "Hello"
    assert flow.definition == studio_definition()
    assert (flow.status, flow.revision, flow.commit_message) == ("draft", 1, None)
    assert (flow.valid, flow.errors, flow.warnings) == (True, [], [])
    assert isinstance(flow.date_created, datetime) and isinstance(flow.date_updated, datetime)
    assert flow.url == f"{live_server.url}/v2/Flows/{flow.sid}"
    assert flow.webhook_url == f"{live_server.url}/v1/Accounts/{team.account_sid}/Flows/{flow.sid}"
    assert flow.links == {
        "test_users": f"{flow.url}/TestUsers",
        "revisions": f"{flow.url}/Revisions",
        "executions": f"{flow.url}/Executions",
    }


def test_each_update_appends_a_revision(sdk):
    flow = create_flow(sdk)
    with pytest.raises(TwilioRestException) as unpublished:
        sdk.studio.v2.flows(flow.sid).revisions("LatestPublished").fetch()
    assert unpublished.value.status == 404

    edited = sdk.studio.v2.flows(flow.sid).update(
        status="draft", definition=studio_definition("Bye"), commit_message="Say bye"
    )
    published = sdk.studio.v2.flows(flow.sid).update(
        status="published", commit_message="Go live", friendly_name="Goodbye"
    )

    assert (edited.revision, edited.commit_message) == (2, "Say bye")
    assert (published.revision, published.status, published.friendly_name) == (
        3,
        "published",
        "Goodbye",
    )
    fetched = sdk.studio.v2.flows(flow.sid).fetch()
    assert fetched.definition == studio_definition("Bye")
    revisions = sdk.studio.v2.flows(flow.sid).revisions.list()
    assert [r.revision for r in revisions] == [3, 2, 1]
    # Twilio's list leaves out what a fetch has: the definition and the validation results.
    assert all((r.definition, r.valid, r.errors) == (None, None, None) for r in revisions)
    first = sdk.studio.v2.flows(flow.sid).revisions("1").fetch()
    assert (first.definition, first.status) == (studio_definition(), "draft")
    assert (first.valid, first.errors) == (True, [])
    latest = sdk.studio.v2.flows(flow.sid).revisions("LatestRevision").fetch()
    live = sdk.studio.v2.flows(flow.sid).revisions("LatestPublished").fetch()
    assert (latest.revision, live.revision, live.commit_message) == (3, 3, "Go live")


def test_validate_reports_every_problem_and_saves_nothing(sdk):
    broken = studio_definition()
    broken["states"][0]["transitions"][0]["next"] = "nowhere"
    broken["states"][1]["properties"]["shorten_urls"] = "yes"

    with pytest.raises(TwilioRestException) as rejected:
        sdk.studio.v2.flow_validate.update(
            friendly_name="Broken", status="draft", definition=broken
        )

    error = rejected.value
    assert (error.status, error.code) == (400, 81022)
    assert error.details["errors"] == [
        {"message": "must match a widget name", "property_path": "#/states/0/transitions/0/next"},
        {
            "message": "string found, boolean expected",
            "property_path": "#/states/1/properties/shorten_urls",
        },
    ]
    assert error.details["warnings"] == []
    assert Flow.objects.count() == 0
    valid = sdk.studio.v2.flow_validate.update(
        friendly_name="Fine", status="published", definition=studio_definition()
    )
    assert valid.valid is True
    assert Flow.objects.count() == 0


def test_create_with_an_invalid_definition_saves_nothing(sdk):
    broken = studio_definition()
    broken["initial_state"] = "Nowhere"

    with pytest.raises(TwilioRestException) as rejected:
        sdk.studio.v2.flows.create(friendly_name="Broken", status="draft", definition=broken)

    assert (rejected.value.status, rejected.value.code) == (400, 81022)
    assert rejected.value.details["errors"][0]["property_path"] == "#/initial_state"
    assert (Flow.objects.count(), FlowRevision.objects.count()) == (0, 0)


def test_test_users_are_replaced_as_a_whole(sdk):
    flow = create_flow(sdk)
    test_users = sdk.studio.v2.flows(flow.sid).test_users()
    assert test_users.fetch().test_users == []

    updated = test_users.update(test_users=["+15551230001", "+15551230002"])
    replaced = test_users.update(test_users=["+15551230003"])

    assert updated.test_users == ["+15551230001", "+15551230002"]
    assert replaced.sid == flow.sid
    assert test_users.fetch().test_users == ["+15551230003"]


def test_paging_follows_next_page_url(sdk, live_server):
    sids = [create_flow(sdk, name=f"Flow {n}").sid for n in range(3)]

    first = sdk.studio.v2.flows.page(page_size=1)
    listed = sdk.studio.v2.flows.list(page_size=1)

    assert first.next_page_url.startswith(f"{live_server.url}/v2/Flows?")
    assert [f.sid for f in listed] == sids[::-1]
    assert all(f.definition is None and f.valid is None for f in listed)
    second = first.next_page()
    assert [f.sid for f in second] == [sids[1]]


def test_paging_does_not_skip_rows_deleted_on_the_way(sdk):
    sids = {create_flow(sdk, name=f"Flow {n}").sid for n in range(3)}

    seen = set()
    for flow in sdk.studio.v2.flows.stream(page_size=1):
        seen.add(flow.sid)
        flow.delete()

    assert seen == sids
    assert Flow.objects.count() == 0


def test_a_deleted_flow_is_gone(sdk):
    flow = create_flow(sdk)

    assert sdk.studio.v2.flows(flow.sid).delete() is True

    with pytest.raises(TwilioRestException) as gone:
        sdk.studio.v2.flows(flow.sid).fetch()
    assert (gone.value.status, gone.value.code) == (404, 20404)
    assert FlowRevision.objects.count() == 0


def test_another_teams_key_finds_nothing(sdk, connect, other_team, dave):
    flow = create_flow(sdk)
    outsider = connect(other_team, dave)

    with pytest.raises(TwilioRestException) as hidden:
        outsider.studio.v2.flows(flow.sid).fetch()
    with pytest.raises(TwilioRestException) as undeletable:
        outsider.studio.v2.flows(flow.sid).delete()

    assert (hidden.value.status, hidden.value.code) == (404, 20404)
    assert undeletable.value.status == 404
    assert outsider.studio.v2.flows.list() == []
    assert Flow.objects.filter(sid=flow.sid).exists()


def test_a_wrong_secret_is_refused(connect, team, alice):
    sdk = connect(team, alice, secret="not-the-secret")

    with pytest.raises(TwilioRestException) as refused:
        sdk.studio.v2.flows.create(
            friendly_name="Hello", status="draft", definition=studio_definition()
        )

    assert (refused.value.status, refused.value.code) == (401, 20003)
    assert Flow.objects.count() == 0


@pytest.mark.django_db
def test_the_openapi_schema_describes_the_flows_api(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"/v2/Flows" in schema.content and b"/v2/Flows/{sid}/Revisions" in schema.content
    assert docs.status_code == 200 and b"<html" in docs.content.lower()


# Real exports Twilio stored: they import, with what needs a look as warnings.


def test_a_value_only_older_studio_wrote_imports_with_a_warning_in_the_flow_resource(sdk):
    definition = older_trim_on_outgoing_call()

    flow = sdk.studio.v2.flows.create(
        friendly_name="Callback", status="published", definition=definition
    )

    assert (flow.valid, flow.errors, flow.warnings) == (True, [], [TRIM_WARNING])
    assert flow.status == "published"
    fetched = sdk.studio.v2.flows(flow.sid).fetch()
    assert fetched.definition == definition  # kept exactly as written
    assert fetched.warnings == [TRIM_WARNING]
    listed = sdk.studio.v2.flows.list()
    assert [f.warnings for f in listed] == [None]  # lists leave results out, as Twilio's do


def test_a_legacy_export_with_webhook_and_send_to_flex_imports_through_the_api(sdk):
    flow = sdk.studio.v2.flows.create(
        friendly_name="Legacy", status="draft", definition=legacy_webhook_and_flex()
    )

    assert (flow.valid, flow.errors) == (True, [])
    types = {s["name"]: s["type"] for s in flow.definition["states"]}
    assert types["lookup"] == "make-http-request"
    assert types["to_agent"] == "send-to-flex"
    assert flow.definition["initial_state"] == "Trigger"


def test_liquid_studio_does_not_check_does_not_refuse_a_flow(sdk):
    flow = sdk.studio.v2.flows.create(
        friendly_name="Liquid", status="draft", definition=liquid_in_function_parameter()
    )

    assert (flow.valid, flow.errors) == (True, [])
    assert [w["property_path"] for w in flow.warnings] == [LIQUID_PATH]


def test_an_invalid_flow_reports_its_warnings_beside_the_errors(sdk):
    definition = older_trim_on_outgoing_call()
    definition["states"][1]["transitions"][0]["next"] = "nowhere"

    with pytest.raises(TwilioRestException) as rejected:
        sdk.studio.v2.flow_validate.update(
            friendly_name="Broken", status="draft", definition=definition
        )

    assert rejected.value.details["errors"] == [
        {"message": "must match a widget name", "property_path": "#/states/1/transitions/0/next"}
    ]
    assert rejected.value.details["warnings"] == [TRIM_WARNING]
    fine = sdk.studio.v2.flow_validate.update(
        friendly_name="Fine", status="draft", definition=older_trim_on_outgoing_call()
    )
    assert fine.valid is True


@pytest.fixture
def post_form(client, team, alice):
    """POST Twilio's form encoding with the Django test client, signed with an API key."""
    key, secret = services.create_api_key(team, created_by=alice)

    def post(path: str, **params):
        fields = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
        return client.post(path, fields, headers={"Authorization": basic_auth(key.sid, secret)})

    return post


@pytest.mark.django_db
def test_validate_answers_a_valid_flows_warnings_beside_valid(post_form):
    fine = post_form(
        "/v2/Flows/Validate", FriendlyName="x", Status="draft", Definition=studio_definition()
    )
    warned = post_form(
        "/v2/Flows/Validate",
        FriendlyName="x",
        Status="draft",
        Definition=older_trim_on_outgoing_call(),
    )

    assert (fine.status_code, fine.json()) == (200, {"valid": True})
    assert (warned.status_code, warned.json()) == (200, {"valid": True, "warnings": [TRIM_WARNING]})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [
        (lambda s: s[1].update(transitions=5), "#/states/1/transitions", "State `lookup`"),
        (lambda s: s[1].pop("name"), "#/states/1/name", "has no name"),
        (
            lambda s: s[1]["transitions"][0].update(next=["x"]),
            "#/states/1/transitions/0/next",
            "sid",
        ),
        (lambda s: s[1].update(type=["Webhook"]), "#/states/1/type", "type is a list"),
        (lambda s: s[1].update(type={"a": 1}), "#/states/1/type", "type is an object"),
    ],
)
def test_malformed_legacy_exports_are_a_clean_81022(post_form, change, path, fragment):
    legacy = legacy_webhook_and_flex()
    change(legacy["states"])

    response = post_form("/v2/Flows", FriendlyName="x", Status="draft", Definition=legacy)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 81022
    (error,) = [e for e in body["details"]["errors"] if e["property_path"] == path]
    assert fragment in error["message"]
    assert not Flow.objects.exists()


@pytest.mark.django_db
def test_a_second_trigger_and_a_negative_timeout_are_refused_naming_the_widgets(post_form):
    definition = studio_definition()
    definition["states"].append({"name": "Trigger2", "type": "trigger", "transitions": []})
    definition["states"].append(
        {
            "name": "ask",
            "type": "send-and-wait-for-reply",
            "transitions": [{"event": "incomingMessage"}],
            "properties": {"from": "{{flow.channel.address}}", "body": "?", "timeout": "-5"},
        }
    )

    response = post_form("/v2/Flows", FriendlyName="x", Status="draft", Definition=definition)

    assert response.status_code == 400
    errors = {e["property_path"]: e["message"] for e in response.json()["details"]["errors"]}
    assert "Trigger2" in errors["#/states/2/type"]
    assert errors["#/states/3/properties/timeout"] == (
        'timeout of widget ask must be a whole number of seconds, 0 or more, not "-5"'
    )
