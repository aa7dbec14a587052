"""What Twilio's SDKs send and expect, beyond the basic operations (tests/test_api_flows.py).

The Node SDK's requests are replayed byte for byte as it encodes them (captured from
twilio-node 6: `qs` with RFC 3986 escapes, repeated fields for arrays, `Definition` and
`Parameters` as JSON strings, date filters as `YYYY-MM-DDTHH:mm:ssZ`, the list filter as
lower-case `status`), so the suite needs no Node. The Python SDK runs against a live server.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from editor import services
from editor.models import Execution, Flow
from editor.sids import is_sid

from . import test_api_flows
from .execution_api_support import FORM, survey_definition
from .test_api_flows import studio_definition

connect = test_api_flows.connect
sdk = test_api_flows.sdk


# What encodeURIComponent leaves unescaped besides letters and digits.
UNESCAPED = "-_.!~*'()"


def node_form(*pairs: tuple[str, str]) -> str:
    """A form body as twilio-node writes it (qs.stringify: encodeURIComponent, RFC 3986)."""
    return "&".join(f"{name}={quote(value, safe=UNESCAPED)}" for name, value in pairs)


def node_json(value: object) -> str:
    """JSON.stringify: no spaces, non-ASCII kept as is."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# Python SDK


def test_a_missing_parameter_is_named_in_twilios_words(sdk):
    with pytest.raises(TwilioRestException) as refused:
        sdk.studio.v2.flow_validate.update(
            friendly_name="", status="draft", definition=studio_definition()
        )

    assert (refused.value.status, refused.value.code) == (400, 20001)
    assert refused.value.msg.endswith(": Missing required parameter FriendlyName in the post body")


def test_author_sid_names_who_a_revision_is_by(sdk, team, alice, bob):
    flows = sdk.studio.v2.flows
    created = flows.create(
        friendly_name="Hello",
        status="draft",
        definition=studio_definition(),
        author_sid=services.author_sid(bob),
    )
    updated = flows(created.sid).update(status="published")
    handed = flows(created.sid).update(status="draft", author_sid=services.author_sid(bob))

    assert created.author_sid == services.author_sid(bob)
    # Without AuthorSid, the key's creator, as before.
    assert updated.author_sid == services.author_sid(alice)
    assert handed.author_sid == services.author_sid(bob)
    revisions = flows(created.sid).revisions.list()
    assert [r.author_sid for r in revisions] == [
        services.author_sid(bob),
        services.author_sid(alice),
        services.author_sid(bob),
    ]


def test_author_sid_must_be_an_editor_of_the_team(sdk, team, carol, dave):
    flows = sdk.studio.v2.flows
    flow = flows.create(friendly_name="Hello", status="draft", definition=studio_definition())
    strangers = {
        "viewer": services.author_sid(carol),
        "other-team": services.author_sid(dave),
        "unknown": "US" + "0" * 32,
        "not-a-sid": "alice",
    }

    for sid in strangers.values():
        with pytest.raises(TwilioRestException) as refused:
            flows(flow.sid).update(status="published", author_sid=sid)
        assert (refused.value.status, refused.value.code) == (400, 20001)
        assert "Invalid parameter AuthorSid" in refused.value.msg
        with pytest.raises(TwilioRestException):
            flows.create(
                friendly_name="X", status="draft", definition=studio_definition(), author_sid=sid
            )

    assert flows(flow.sid).fetch().revision == 1
    assert Flow.objects.count() == 1


def test_a_list_limit_over_1000_is_twilios_page_size_too_large(sdk):
    # Both SDKs send a list's `limit` as its PageSize when no page_size is given.
    flows = sdk.studio.v2.flows
    flows.create(friendly_name="Hello", status="draft", definition=studio_definition())

    with pytest.raises(TwilioException, match='"code":20007'):
        flows.list(limit=1001)
    assert len(flows.list(limit=1000)) == 1
    assert len(flows.list(limit=5000, page_size=1000)) == 1


def test_a_revision_that_is_not_a_number_raises_twilios_81021(sdk):
    # Both SDKs put the revision in the path as given; Twilio refuses a name it does not
    # know with 81021 (a 400), and answers 404 only for a number the flow has no revision of.
    flow = sdk.studio.v2.flows.create(
        friendly_name="Hello", status="published", definition=studio_definition()
    )
    revisions = sdk.studio.v2.flows(flow.sid).revisions

    with pytest.raises(TwilioRestException) as refused:
        revisions("Latest").fetch()
    with pytest.raises(TwilioRestException) as missing:
        revisions("7").fetch()

    assert (refused.value.status, refused.value.code) == (400, 81021)
    assert refused.value.msg.endswith(
        ": Flow revision must be an integer or enum(LatestPublished, LatestRevision)"
    )
    assert (missing.value.status, missing.value.code) == (404, 20404)
    assert revisions("LatestPublished").fetch().revision == 1


# Node SDK, as it encodes requests


@pytest.fixture
def node(signed):
    """The test client posting forms exactly as twilio-node does."""

    def post(path: str, body: str):
        return signed.post(path, body, content_type=FORM, HTTP_ACCEPT="application/json")

    signed.node_post = post
    return signed


def test_node_creates_and_updates_a_flow(node, team, bob):
    definition = studio_definition("é + & = % 😀")
    created = node.node_post(
        "/v2/Flows",
        node_form(
            ("FriendlyName", "Node é"),
            ("Status", "draft"),
            ("Definition", node_json(definition)),
            ("CommitMessage", "first"),
            ("AuthorSid", services.author_sid(bob)),
        ),
    )
    assert created.status_code == 201, created.json()
    sid = created.json()["sid"]
    updated = node.node_post(
        f"/v2/Flows/{sid}",
        node_form(("Status", "published"), ("Definition", node_json(definition))),
    )
    validated = node.node_post(
        "/v2/Flows/Validate",
        node_form(
            ("FriendlyName", "v"), ("Status", "draft"), ("Definition", node_json(definition))
        ),
    )

    body = created.json()
    assert (body["friendly_name"], body["commit_message"]) == ("Node é", "first")
    assert body["definition"] == definition
    assert body["author_sid"] == services.author_sid(bob)
    assert updated.status_code == 200
    assert (updated.json()["status"], updated.json()["revision"]) == ("published", 2)
    assert validated.json() == {"valid": True}


def test_node_sets_test_users_as_repeated_fields(node, team):
    flow = services.create_flow(team, friendly_name="T", definition=studio_definition())

    response = node.node_post(
        f"/v2/Flows/{flow.sid}/TestUsers",
        node_form(("TestUsers", "+15551230001"), ("TestUsers", "client:bob")),
    )

    assert response.json()["test_users"] == ["+15551230001", "client:bob"]


def test_node_runs_lists_and_ends_an_execution(node, team, alice):
    flow = services.create_flow(
        team, friendly_name="Survey", definition=survey_definition(), author=alice
    )
    flow = services.update_flow(flow, status="published")
    executions = f"/v2/Flows/{flow.sid}/Executions"
    parameters = {"name": "Ann", "ok": True, "n": [1, "a"]}

    created = node.node_post(
        executions,
        node_form(
            ("To", "+15551110001"), ("From", "+15552220002"), ("Parameters", node_json(parameters))
        ),
    )
    assert created.status_code == 201, created.json()
    execution = Execution.objects.get(sid=created.json()["sid"])
    assert execution.context["flow"]["data"] == parameters
    # Node's date filters: whole seconds in UTC with a Z; the filter in lower case.
    day = execution.date_created.strftime("%Y-%m-%d")
    query = (
        f"status=active&DateCreatedFrom={day}T00%3A00%3A00Z"
        f"&DateCreatedTo=2999-01-01T00%3A00%3A00Z&PageSize=1"
    )
    listed = node.get(f"{executions}?{query}", HTTP_ACCEPT="application/json").json()
    none = node.get(f"{executions}?status=ended&PageSize=1").json()
    ended = node.node_post(f"{executions}/{execution.sid}", node_form(("Status", "ended")))

    assert [e["sid"] for e in listed["executions"]] == [execution.sid]
    assert none["executions"] == []
    assert ended.json()["status"] == "ended"


def test_studio_v1_is_twilios_404_not_a_page(sdk, team):
    flow = services.create_flow(team, friendly_name="T", definition=studio_definition())

    for call in (
        lambda: sdk.studio.v1.flows(flow.sid).fetch(),
        lambda: sdk.studio.v1.flows(flow.sid).executions.create(to="+15551230001", from_="+1555"),
    ):
        with pytest.raises(TwilioRestException) as refused:
            call()
        assert (refused.value.status, refused.value.code) == (404, 20404)
    page = sdk.studio.v1.flows.page  # lists raise the SDK's plain exception, with the body
    with pytest.raises(TwilioException, match='"code":20404'):
        page()


def test_every_answer_names_its_request_and_an_execution_its_starter(sdk, team, alice):
    flow = services.create_flow(
        team, friendly_name="Survey", definition=survey_definition(), author=alice
    )
    services.update_flow(flow, status="published")
    executions = sdk.studio.v2.flows(flow.sid).executions

    started = executions.create_with_http_info(to="+15551110001", from_="+15552220002")
    fetched = executions(started.data.sid).fetch_with_http_info()

    request_sid = started.headers["Twilio-Request-Id"]
    assert started.status_code == 201 and is_sid(request_sid, "RQ")
    assert started.data.initiated_by == request_sid
    assert is_sid(fetched.headers["Twilio-Request-Id"], "RQ")
    assert fetched.headers["Twilio-Request-Id"] != request_sid


def test_refusals_and_v1_carry_a_request_sid(signed):
    # The SDKs' exceptions keep no headers: asked of the answers themselves.
    for path in ("/v2/Flows/FW" + "0" * 32, "/v2/Nothing", "/v1/Flows"):
        assert is_sid(signed.get(path)["Twilio-Request-Id"], "RQ")
    assert "Twilio-Request-Id" not in signed.get("/healthz")
