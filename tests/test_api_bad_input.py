"""Bad input to the Studio API is a 4xx in Twilio's envelope, and nothing is saved."""

from __future__ import annotations

import asyncio
import base64
import copy
import io
import json
from urllib.parse import urlencode

import pytest
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.parsers import FormParser
from rest_framework.request import Request

from editor import services
from editor.api.limits import RequestSizeMiddleware
from editor.models import Flow, FlowRevision

from .test_api_flows import basic_auth, studio_definition

FORM = "application/x-www-form-urlencoded"
MIB = 1024 * 1024
pytestmark = pytest.mark.django_db


class Api:
    """The Django test client, signed with an API key, speaking Twilio's form encoding."""

    def __init__(self, client, key_sid: str, secret: str) -> None:
        self.client = client
        self.headers = {"Authorization": basic_auth(key_sid, secret)}

    def post(self, path: str, body: str | dict, **kwargs):
        if isinstance(body, dict):
            body = urlencode(body, doseq=True)
        kwargs.setdefault("content_type", FORM)
        return self.client.post(path, body, headers=self.headers, **kwargs)

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)


@pytest.fixture
def api(client, team, alice) -> Api:
    key, secret = services.create_api_key(team, created_by=alice)
    return Api(client, key.sid, secret)


@pytest.fixture
def flow(team, alice):
    return services.create_flow(
        team, friendly_name="Hello", definition=studio_definition(), author=alice
    )


def assert_rejected(response, status: int, code: int) -> dict:
    body = response.json()
    assert response.status_code == status, body
    assert (body["code"], body["status"]) == (code, status)
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    return body


def assert_unchanged(flow) -> None:
    """Only the fixture's flow and its first revision exist, as they were made."""
    assert (Flow.objects.count(), FlowRevision.objects.count()) == (1, 1)
    flow.refresh_from_db()
    assert (flow.revision, flow.friendly_name, flow.status) == (1, "Hello", "draft")
    assert flow.definition() == studio_definition()


# Definitions that parse as form fields but are not acceptable flows.


def deeply_nested(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def with_states(count: int) -> str:
    document = studio_definition()
    document["states"] += [
        {"name": f"v{n}", "type": "set-variables", "transitions": [{"event": "next"}]}
        for n in range(count - len(document["states"]))
    ]
    return json.dumps(document)


def with_property(index: int, name: str, value, type_: str | None = None) -> str:
    document = copy.deepcopy(studio_definition())
    state = document["states"][index]
    if type_ == "gather-input-on-call":
        state.update(
            type=type_,
            transitions=[{"event": "keypress"}, {"event": "speech"}, {"event": "timeout"}],
            properties={"say": "Press 1"},
        )
    state["properties"][name] = value
    return json.dumps(document)


BAD_DEFINITIONS = {
    "not-json": ("{states: oops", "#", "is not valid JSON"),
    "null": ("null", "#", "must be a JSON object"),
    "array": ("[]", "#", "must be a JSON object"),
    "nested-65-deep": (deeply_nested(65), "#", "nests deeper than 64 levels"),
    "nested-100000-deep": ("[" * 100_000 + "]" * 100_000, "#", "nests deeper than 64"),
    "2001-states": (with_states(2001), "#/states", "must have at most 2000 items"),
    "timeout-not-integer": (
        with_property(1, "timeout", "abc", "gather-input-on-call"),
        "#/states/1/properties/timeout",
        "string found, integer expected",
    ),
    "shorten-urls-not-boolean": (
        with_property(1, "shorten_urls", "yes"),
        "#/states/1/properties/shorten_urls",
        "string found, boolean expected",
    ),
    "lone-surrogate": (
        json.dumps(studio_definition("\ud800"), ensure_ascii=True),
        "#",
        "surrogate",
    ),
    # Widget names are columns: a NUL would break PostgreSQL, so it must never get that far.
    "nul-in-widget-name": (
        json.dumps(studio_definition()).replace("say_hello", "say\\u0000hello"),
        "#/states/1/name",
        "must start with a letter",
    ),
    # Python refuses to parse integers of more than 4,300 digits (CVE-2020-10735).
    "huge-integer": (
        with_property(1, "offset", "HUGE").replace('"HUGE"', "9" * 5000),
        "#",
        "is not valid JSON",
    ),
}


def test_the_definition_cases_fit_in_a_request():
    assert len(urlencode({"Definition": with_states(2001)})) < MIB


@pytest.mark.parametrize("case", BAD_DEFINITIONS, ids=list(BAD_DEFINITIONS))
def test_a_bad_definition_is_rejected_on_create(api, flow, case):
    text, where, message = BAD_DEFINITIONS[case]

    response = api.post("/v2/Flows", {"FriendlyName": "X", "Status": "draft", "Definition": text})

    errors = assert_rejected(response, 400, 81022)["details"]["errors"]
    assert any(e["property_path"] == where and message in e["message"] for e in errors), errors
    assert_unchanged(flow)


@pytest.mark.parametrize("case", BAD_DEFINITIONS, ids=list(BAD_DEFINITIONS))
def test_a_bad_definition_is_rejected_on_update(api, flow, case):
    text, _, _ = BAD_DEFINITIONS[case]

    response = api.post(f"/v2/Flows/{flow.sid}", {"Status": "draft", "Definition": text})

    assert_rejected(response, 400, 81022)
    assert_unchanged(flow)


@pytest.mark.parametrize("case", ["not-json", "2001-states", "timeout-not-integer"])
def test_a_bad_definition_fails_validation(api, flow, case):
    text, _, _ = BAD_DEFINITIONS[case]

    response = api.post(
        "/v2/Flows/Validate", {"FriendlyName": "X", "Status": "draft", "Definition": text}
    )

    assert_rejected(response, 400, 81022)
    assert_unchanged(flow)


GOOD = {"FriendlyName": "Hello", "Status": "draft", "Definition": json.dumps(studio_definition())}
BAD_CREATE_PARAMETERS = {
    "no-friendly-name": ({"FriendlyName": None}, "Missing required parameter FriendlyName"),
    "blank-friendly-name": ({"FriendlyName": "  "}, "Missing required parameter FriendlyName"),
    "no-status": ({"Status": None}, "Missing required parameter Status"),
    "no-definition": ({"Definition": None}, "Missing required parameter Definition"),
    "unknown-status": ({"Status": "archived"}, "Invalid parameter Status"),
    "long-friendly-name": ({"FriendlyName": "x" * 201}, "Invalid parameter FriendlyName"),
    "nul-in-friendly-name": ({"FriendlyName": "a\x00b"}, "Invalid parameter FriendlyName"),
    "nul-in-commit-message": ({"CommitMessage": "a\x00b"}, "Invalid parameter CommitMessage"),
}


@pytest.mark.parametrize("case", BAD_CREATE_PARAMETERS, ids=list(BAD_CREATE_PARAMETERS))
@pytest.mark.parametrize("path", ["/v2/Flows", "/v2/Flows/Validate"])
def test_a_bad_parameter_is_named(api, flow, case, path):
    change, message = BAD_CREATE_PARAMETERS[case]
    fields = {k: v for k, v in {**GOOD, **change}.items() if v is not None}

    response = api.post(path, fields)

    assert assert_rejected(response, 400, 20001)["message"].startswith(message)
    assert_unchanged(flow)


BAD_UPDATE_PARAMETERS = {
    "no-status": ({}, "Missing required parameter Status"),
    "unknown-status": ({"Status": "live"}, "Invalid parameter Status"),
    # An empty optional field means "not given" in form encoding; only spaces are blank.
    "blank-friendly-name": ({"Status": "draft", "FriendlyName": "  "}, "Invalid parameter"),
    "long-friendly-name": ({"Status": "draft", "FriendlyName": "x" * 201}, "Invalid parameter"),
    "nul-in-friendly-name": ({"Status": "draft", "FriendlyName": "\x00"}, "Invalid parameter"),
}


@pytest.mark.parametrize("case", BAD_UPDATE_PARAMETERS, ids=list(BAD_UPDATE_PARAMETERS))
def test_a_bad_update_parameter_is_named(api, flow, case):
    fields, message = BAD_UPDATE_PARAMETERS[case]

    response = api.post(f"/v2/Flows/{flow.sid}", fields)

    assert assert_rejected(response, 400, 20001)["message"].startswith(message)
    assert_unchanged(flow)


@pytest.mark.parametrize(
    "users",
    [[], ["+1555\x00"], ["x" * 257], ["+1555"] * 1001],
    ids=["none", "nul", "too-long", "too-many-fields"],
)
def test_bad_test_users_are_rejected(api, flow, users):
    response = api.post(f"/v2/Flows/{flow.sid}/TestUsers", {"TestUsers": users})

    assert_rejected(response, 400, 20001)
    flow.refresh_from_db()
    assert flow.test_users == []


@pytest.mark.parametrize("path", ["/v2/Flows", "FLOW"])
def test_a_body_over_one_mebibyte_is_refused_unread(api, flow, path):
    url = f"/v2/Flows/{flow.sid}" if path == "FLOW" else path

    response = api.post(url, {**GOOD, "CommitMessage": "x" * MIB})

    assert_rejected(response, 413, 20413)
    assert_unchanged(flow)


def test_a_malformed_content_length_is_refused(api, flow):
    response = api.post("/v2/Flows", GOOD, CONTENT_LENGTH="many")

    assert_rejected(response, 400, 20001)
    assert_unchanged(flow)


def test_a_chunked_body_over_the_limit_is_refused_after_limit_bytes():
    """Under ASGI a body may come without Content-Length; Django would read it all."""
    chunks = [b"FriendlyName=" + b"x" * (64 * 1024)] * 17
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v2/Flows",
        "raw_path": b"/v2/Flows",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", FORM.encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    status, body = asyncio.run(asgi_request(scope, chunks))

    assert status == 413
    assert json.loads(body)["code"] == 20413


async def asgi_request(scope: dict, chunks: list[bytes]) -> tuple[int, bytes]:
    messages = [{"type": "http.request", "body": c, "more_body": True} for c in chunks]
    messages.append({"type": "http.request", "body": b"", "more_body": False})
    sent: list[dict] = []

    async def receive() -> dict:
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # the client stays connected until the response
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    await ASGIHandler()(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_a_body_without_content_length_is_still_parsed_when_small():
    request = RequestFactory().post("/v2/Flows", "FriendlyName=Hello", content_type=FORM)
    del request.META["CONTENT_LENGTH"]
    seen = {}

    def view(request) -> HttpResponse:
        seen["drf"] = Request(request, parsers=[FormParser()]).data["FriendlyName"]
        return HttpResponse("ok")

    response = RequestSizeMiddleware(view)(request)

    assert response.status_code == 200 and seen == {"drf": "Hello"}
    assert request.body == b"FriendlyName=Hello"


def page_token(value) -> str:
    return "PA" + base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    "params",
    [
        {"PageSize": "0"},
        {"PageSize": "-5"},
        {"PageSize": "ten"},
        {"Page": "-1"},
        {"Page": str(10**12)},
        {"Page": "9" * 5000},
        {"PageToken": "junk"},
        {"PageToken": "PA!!!"},
        {"PageToken": page_token([1])},
        {"PageToken": page_token(["yesterday", "FW1"])},
        {"PageToken": page_token(["2024-01-01T00:00:00+00:00", "FW\x00"])},
        {"PageToken": "PA" + base64.urlsafe_b64encode(b"[" * 10_000).decode()},
    ],
)
def test_bad_paging_is_a_400(api, flow, params):
    assert_rejected(api.get("/v2/Flows", **params), 400, 20001)
    assert_rejected(api.get(f"/v2/Flows/{flow.sid}/Revisions", **params), 400, 20001)


@pytest.mark.parametrize("size", ["1001", "5000", str(2**63)])
def test_a_page_size_over_1000_is_twilios_page_size_too_large(api, flow, size):
    assert_rejected(api.get("/v2/Flows", PageSize=size), 400, 20007)
    assert_rejected(api.get(f"/v2/Flows/{flow.sid}/Revisions", PageSize=size), 400, 20007)
    assert api.get("/v2/Flows", PageSize="1000").status_code == 200


@pytest.mark.both_databases
@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_page_token_whose_time_leaves_the_calendar_in_utc_is_a_400(api, flow, moment):
    # SQLite's backend converts the time to UTC, and year 0 or 10000 overflowed: a 500.
    flows = {"PageToken": page_token([moment, "FW" + "a" * 32])}
    executions = {"PageToken": page_token([moment, "FN" + "a" * 32])}
    assert_rejected(api.get("/v2/Flows", **flows), 400, 20001)
    assert_rejected(api.get(f"/v2/Flows/{flow.sid}/Executions", **executions), 400, 20001)


@pytest.mark.parametrize("revision", ["0", "2", "9" * 12, "0" * 40])
def test_an_unknown_revision_is_a_404(api, flow, revision):
    assert_rejected(api.get(f"/v2/Flows/{flow.sid}/Revisions/{revision}"), 404, 20404)


@pytest.mark.parametrize(
    "revision",
    ["abc", "LatestDraft", "latestpublished", "-1", "1.0", "²", "%00", "%20", "x" * 5000],
)
def test_a_revision_neither_a_number_nor_latest_is_twilios_81021(api, flow, revision):
    body = assert_rejected(api.get(f"/v2/Flows/{flow.sid}/Revisions/{revision}"), 400, 81021)

    assert body["message"] == (
        "Flow revision must be an integer or enum(LatestPublished, LatestRevision)"
    )
    # Another team's or an unknown flow is still not found, whatever the revision.
    missing = "FW" + "0" * 32
    assert_rejected(api.get(f"/v2/Flows/{missing}/Revisions/{revision}"), 404, 20404)


def test_a_json_body_is_an_unsupported_media_type(api, flow):
    response = api.post("/v2/Flows", json.dumps(GOOD), content_type="application/json")

    assert_rejected(response, 415, 20415)
    assert_unchanged(flow)


def test_a_definition_uploaded_as_a_file_is_rejected(api, flow):
    upload = io.BytesIO(GOOD["Definition"].encode())
    upload.name = "flow.json"
    fields = {"FriendlyName": "X", "Status": "draft", "Definition": upload}

    response = api.client.post("/v2/Flows", fields, headers=api.headers)

    assert_rejected(response, 400, 20001)
    assert_unchanged(flow)


def test_a_malformed_multipart_body_is_rejected(api, flow):
    response = api.post("/v2/Flows", "--nope\r\n", content_type="multipart/form-data; boundary=x")

    assert response.status_code == 400
    assert_unchanged(flow)
