"""No input is a 5xx: the cases an outside tester found, each through every entry it can
take, on SQLite and PostgreSQL alike. Refused writes leave the flow exactly as it was."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client

from editor import services
from editor.models import Flow

from .test_api_flows import studio_definition
from .write_support import Entries, entries_fixture, hello_flow_fixture, snapshot  # noqa: F401

pytestmark = pytest.mark.django_db

DEFINITION_ENTRIES = [
    "v2-create",
    "v2-update",
    "v2-validate",
    "import-page",
    "import-command",
    "canvas-import",
]


def send(entries: Entries, flow: Flow, entry: str, document: dict) -> None:
    """Send `document` through `entry`: it must be refused with a 400 and change nothing."""
    before = snapshot(flow)
    answer = entries.definition_writers(flow)[entry](json.dumps(document, ensure_ascii=True))
    assert (answer.status, answer.accepted) == (400, False), answer.text
    assert snapshot(flow) == before


# A state's type that is not a string.


@pytest.mark.parametrize("kind", [["send-message"], {"a": 1}, 5, None], ids=repr)
@pytest.mark.parametrize("initial_state", [True, False], ids=["flow", "no-initial-state"])
@pytest.mark.parametrize("entry", DEFINITION_ENTRIES)
def test_a_state_type_that_is_not_text_is_refused(entries, flow, entry, kind, initial_state):
    document = studio_definition()
    document["states"][1]["type"] = kind
    if not initial_state:
        del document["initial_state"]
    send(entries, flow, entry, document)


# Text no database can store.

UNSTORABLE = {"nul": "a\x00b", "lone-surrogate": "a\ud800b"}


def with_text(where: str, text: str) -> dict:
    document = studio_definition()
    if where == "widget-name":
        document["states"][1]["name"] = text
        document["states"][0]["transitions"][0]["next"] = text
    elif where == "widget-type":
        document["states"][1]["type"] = text
    elif where == "property":
        document["states"][1]["properties"]["body"] = text
    elif where == "unknown-key":
        document["states"][1][text] = 1
    elif where == "description":
        document["description"] = text
    return document


@pytest.mark.parametrize("text", UNSTORABLE, ids=list(UNSTORABLE))
@pytest.mark.parametrize(
    "where", ["widget-name", "widget-type", "property", "unknown-key", "description"]
)
@pytest.mark.parametrize("entry", DEFINITION_ENTRIES)
def test_a_definition_with_unstorable_text_is_refused(entries, flow, entry, where, text):
    # The pages and the command are asked to keep problems: only blocking ones refuse.
    send(entries, flow, entry, with_text(where, UNSTORABLE[text]))


CANVAS_TEXT = {
    "friendly_name": ("settings", {"friendly_name": "X"}),
    "test_users": ("settings", {"test_users": ["+15550001111", "X"]}),
    "save-commit_message": ("save", {"commit_message": "X"}),
    "publish-commit_message": ("publish", {"commit_message": "X"}),
    "add_widget-name": (
        "edits",
        {
            "op": "add_widget",
            "state": {"name": "X", "type": "set-variables", "transitions": [{"event": "next"}]},
        },
    ),
    "add_widget-property": (
        "edits",
        {
            "op": "add_widget",
            "state": {
                "name": "more",
                "type": "set-variables",
                "transitions": [{"event": "next"}],
                "properties": {"variables": [{"key": "k", "value": "X"}]},
            },
        },
    ),
    "update_widget-property": (
        "edits",
        {"op": "update_widget", "name": "say_hello", "properties": {"body": "X"}},
    ),
    "update_widget-key": (
        "edits",
        {"op": "update_widget", "name": "say_hello", "properties": {"X": "body"}},
    ),
    "rename_widget": ("edits", {"op": "rename_widget", "name": "say_hello", "new_name": "X"}),
    "update_flow": ("edits", {"op": "update_flow", "description": "X"}),
}


def with_x(value: object, text: str) -> object:
    """`value` with every string "X" replaced by `text`."""
    if value == "X":
        return text
    if isinstance(value, list):
        return [with_x(v, text) for v in value]
    if isinstance(value, dict):
        return {with_x(k, text): with_x(v, text) for k, v in value.items()}
    return value


@pytest.mark.parametrize("text", UNSTORABLE, ids=list(UNSTORABLE))
@pytest.mark.parametrize("write", CANVAS_TEXT)
def test_the_canvas_refuses_unstorable_text(entries, flow, write, text):
    action, payload = CANVAS_TEXT[write]
    payload = with_x(payload, UNSTORABLE[text])
    flow.refresh_from_db()
    body = {"base_version": flow.version, "ops": [payload]} if action == "edits" else payload
    before = snapshot(flow)

    answer = entries.canvas(flow, action, body)

    assert answer.status == 400, answer.text
    error = json.loads(answer.text)
    assert error["code"] == 20001
    assert ("NUL" if text == "nul" else "surrogate") in error["message"]
    assert snapshot(flow) == before


@pytest.mark.parametrize(
    "fields",
    [{"FriendlyName": "a\x00b"}, {"CommitMessage": "a\x00b"}],
    ids=["friendly-name", "commit-message"],
)
@pytest.mark.parametrize("path", ["create", "update"])
def test_the_studio_api_refuses_nul_in_names_and_messages(entries, flow, path, fields):
    before = snapshot(flow)
    base = {"Status": "draft", "Definition": json.dumps(studio_definition())}
    if path == "create":
        answer = entries.v2("/v2/Flows", {"FriendlyName": "X", **base, **fields})
    else:
        answer = entries.v2(f"/v2/Flows/{flow.sid}", {**base, **fields})
    assert answer.status == 400
    assert json.loads(answer.text)["code"] == 20001
    assert snapshot(flow) == before


# Bodies nested 10,000 deep.


def nested(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


@pytest.mark.parametrize("action", ["edits", "import", "settings", "save", "publish"])
@pytest.mark.parametrize(
    "body",
    [
        nested(10_000),
        "[" * 10_000 + "]" * 10_000,
        '{"base_version": 1, "ops": ' + "[" * 10_000 + "]" * 10_000 + "}",
    ],
    ids=["object", "array", "inside-ops"],
)
def test_a_canvas_body_nested_10000_deep_is_a_400(entries, flow, action, body):
    before = snapshot(flow)

    answer = entries.canvas(flow, action, body)

    assert answer.status == 400
    error = json.loads(answer.text)
    assert (error["code"], error["status"]) == (20001, 400)
    assert error["message"] == "The request body nests deeper than 64 levels"
    assert snapshot(flow) == before


@pytest.mark.parametrize("entry", DEFINITION_ENTRIES)
def test_a_definition_nested_10000_deep_is_refused_everywhere(entries, flow, entry):
    before = snapshot(flow)
    answer = entries.definition_writers(flow)[entry](nested(10_000))
    assert (answer.status, answer.accepted) == (400, False)
    assert "nests deeper than 64 levels" in answer.text
    assert snapshot(flow) == before


@pytest.mark.parametrize(
    "ops",
    [[{"op": ["add_widget"]}], [{"op": {"a": 1}}], [{"op": "x" * 10_000}], [[]], ["op"]],
    ids=["list", "object", "long", "list-op", "text-op"],
)
def test_an_operation_of_any_shape_is_refused_by_name(entries, flow, ops):
    before = snapshot(flow)
    answer = entries.canvas_edit(flow, ops)
    assert answer.status == 400
    assert json.loads(answer.text)["message"].startswith("Unknown operation")
    assert len(json.loads(answer.text)["message"]) < 100
    assert snapshot(flow) == before


# The flow's page shows a draft whatever JSON its properties hold.

ODD_VALUES = {
    "set-variables": {"variables": 1.5},
    "make-http-request": {"method": ["GET"], "url": {"a": 1}, "parameters": "x"},
    "run-function": {"url": 7, "parameters": {"key": "k"}},
    "run-subflow": {"flow_sid": None, "parameters": 2},
    "split-based-on": {"input": ["a"]},
    "send-message": {"body": False, "to": 1e300},
    "capture-payments": {"valid_card_types": 3, "timeout": [1]},
}


def odd_draft() -> dict:
    document = studio_definition()
    trigger_next = document["states"][0]["transitions"][0]
    names = []
    for n, (kind, properties) in enumerate(ODD_VALUES.items()):
        names.append(f"odd_{n}")
        document["states"].append(
            {
                "name": f"odd_{n}",
                "type": kind,
                "transitions": [{"event": "next", "next": "say_hello"}],
                "properties": {"offset": {"x": n, "y": 400}, **properties},
            }
        )
    trigger_next["next"] = names[0]
    return document


def test_the_flow_page_shows_a_draft_whatever_its_properties_hold(team, alice):
    draft = services.import_flow(team, json.dumps(odd_draft()), allow_problems=True)
    assert draft.errors  # kept as an invalid draft
    client = Client()
    client.force_login(alice)

    page = client.get(f"/flows/{draft.sid}/")

    assert page.status_code == 200
    nodes = {n.name: n for n in page.context["outline"].nodes}
    assert nodes["odd_0"].summary == ""
    assert client.get(f"/flows/{draft.sid}/export/").status_code == 200
    assert client.get(f"/api/editor/flows/{draft.sid}").status_code == 200


def test_a_condition_type_that_is_not_text_is_shown_as_it_is():
    from editor.outline import describe_conditions

    assert describe_conditions([{"type": ["a"], "value": "x"}]) == "['a'] x"


# Server errors outside the views still answer in the API's shape.


class ExplodingMiddleware:
    """A bug in a middleware: it raises for every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raise RuntimeError("a bug outside every view")


@pytest.fixture
def exploding(settings) -> Client:
    settings.DEBUG = False
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.test_malformed_input.ExplodingMiddleware",
    ]
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", ["/v2/Flows", "/v2/Nope", "/api/editor/catalogue"])
def test_a_server_error_outside_the_views_is_a_twilio_error_under_the_api(exploding, path):
    response = exploding.get(path)

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": 20500,
        "message": "Internal server error",
        "more_info": "https://www.twilio.com/docs/errors/20500",
        "status": 500,
    }


def test_a_server_error_on_a_page_is_still_djangos_page(exploding):
    response = exploding.get("/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_a_bad_host_under_the_api_is_a_twilio_error(settings):
    settings.DEBUG = False
    response = Client().get("/v2/Flows", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.json()["code"] == 20001


def test_text_that_only_looks_like_an_escaped_nul_is_kept(entries, flow):
    # A backslash followed by "u0000" is four ordinary characters, not NUL.
    document = with_text("property", "C:\\u0000\\path")

    answer = entries.v2_create(json.dumps(document))

    assert answer.status == 201, answer.text
    created = Flow.objects.get(sid=json.loads(answer.text)["sid"])
    assert created.definition()["states"][1]["properties"]["body"] == "C:\\u0000\\path"
