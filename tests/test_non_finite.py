"""NaN, Infinity and numbers too large for a double never enter: every entry refuses them
with a 400 that says so, an HTTP response holding one is not JSON to a flow, and nothing
can write one. (Rows stored before this are repaired by a migration: test_repair_non_finite.py.)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from editor import services
from editor.engine.http import HttpResponse
from editor.engine.widgets.httpcall import outputs
from editor.engine.widgets.set_variables import cast
from editor.flowspec import jsontext
from editor.models import Execution, Flow, Status
from editor.models.executions import encode_context

from .engine_support import trigger
from .test_api_flows import studio_definition
from .write_support import Entries, entries_fixture, hello_flow_fixture, snapshot  # noqa: F401

pytestmark = pytest.mark.django_db

NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "2.5E+400"]
PLACEHOLDER = '"__LITERAL__"'


def with_literal(text: str, literal: str) -> str:
    assert PLACEHOLDER in text
    return text.replace(PLACEHOLDER, literal)


def definition_with(literal: str) -> str:
    """The hello flow with `literal` as say_hello's offset.x (where the tester found it)."""
    document = studio_definition()
    document["states"][1]["properties"]["offset"]["x"] = "__LITERAL__"
    return with_literal(json.dumps(document), literal)


# Every entry refuses them.


@pytest.mark.parametrize("literal", NON_FINITE)
@pytest.mark.parametrize(
    "entry",
    ["v2-create", "v2-update", "v2-validate", "import-page", "import-command", "canvas-import"],
)
def test_it_refuses_a_non_finite_number_in_a_definition_at_every_entry(
    entries, flow, entry, literal
):
    before = snapshot(flow)

    answer = entries.definition_writers(flow)[entry](definition_with(literal))

    assert (answer.status, answer.accepted) == (400, False), answer.text
    assert f"contains {literal}: JSON numbers are finite" in answer.text
    if entry.startswith("v2-") or entry == "canvas-import":
        body = json.loads(answer.text)
        assert body["code"] == 81022
        assert body["details"]["errors"][0]["property_path"] == "#"
    assert snapshot(flow) == before


@pytest.mark.parametrize("literal", NON_FINITE)
def test_it_refuses_non_finite_execution_parameters(entries, flow, literal):
    services.publish_flow(flow)
    parameters = with_literal('{"score": "__LITERAL__"}', literal)
    fields = {"To": "+15551230001", "From": "+15550000000", "Parameters": parameters}

    answer = entries.v2(f"/v2/Flows/{flow.sid}/Executions", fields)

    assert answer.status == 400
    body = json.loads(answer.text)
    assert body["code"] == 20001
    assert body["message"] == (
        f"Invalid parameter Parameters: contains {literal}: "
        "JSON numbers are finite (no NaN or Infinity)"
    )
    assert not Execution.objects.exists()


CANVAS_WRITES = {
    "add_widget": (
        "edits",
        {
            "op": "add_widget",
            "state": {
                "name": "more",
                "type": "set-variables",
                "transitions": [{"event": "next"}],
                "properties": {"offset": {"x": "__LITERAL__", "y": 0}},
            },
        },
    ),
    "update_widget": (
        "edits",
        {"op": "update_widget", "name": "say_hello", "properties": {"body": "__LITERAL__"}},
    ),
    "update_widget-offset": (
        "edits",
        {"op": "update_widget", "name": "say_hello", "offset": {"x": "__LITERAL__", "y": 1}},
    ),
    "move_widgets": (
        "edits",
        {"op": "move_widgets", "offsets": {"say_hello": {"x": "__LITERAL__", "y": 0}}},
    ),
    "connect": ("edits", {"op": "connect", "name": "Trigger", "index": "__LITERAL__"}),
    "delete_widgets": ("edits", {"op": "delete_widgets", "names": ["__LITERAL__"]}),
    "rename_widget": (
        "edits",
        {"op": "rename_widget", "name": "say_hello", "new_name": "__LITERAL__"},
    ),
    "update_flow": ("edits", {"op": "update_flow", "description": "__LITERAL__"}),
    "settings": ("settings", {"friendly_name": "__LITERAL__"}),
    "save": ("save", {"commit_message": "__LITERAL__"}),
    "publish": ("publish", {"commit_message": "__LITERAL__"}),
    "import": ("import", {"base_version": "__LITERAL__", "definition": "{}"}),
}


@pytest.mark.parametrize("literal", ["NaN", "-Infinity", "1e999"])
@pytest.mark.parametrize("write", CANVAS_WRITES)
def test_every_canvas_write_refuses_non_finite_numbers(entries, flow, write, literal):
    action, payload = CANVAS_WRITES[write]
    flow.refresh_from_db()
    body = {"base_version": flow.version, "ops": [payload]} if action == "edits" else payload
    before = snapshot(flow)

    answer = entries.canvas(flow, action, with_literal(json.dumps(body), literal))

    assert answer.status == 400, answer.text
    error = json.loads(answer.text)
    assert error["code"] == 20001
    assert error["message"].startswith(f"The request body contains {literal}: ")
    assert snapshot(flow) == before


@pytest.mark.parametrize("text", ["inf", "-Infinity", "1e999", "nan"])
def test_a_canvas_offset_given_as_text_must_be_a_finite_number(entries, flow, text):
    before = snapshot(flow)

    answer = entries.canvas_edit(
        flow, [{"op": "move_widgets", "offsets": {"say_hello": {"x": text, "y": 0}}}]
    )

    assert answer.status == 400
    assert json.loads(answer.text)["message"] == "An offset is {x, y} with finite numbers"
    assert snapshot(flow) == before


def test_finite_numbers_of_every_spelling_still_load():
    text = '{"a": 1.5, "b": -2e10, "c": 1E-400, "d": 0, "e": 12345678901234567890}'
    assert jsontext.load_json(text) == {
        "a": 1.5,
        "b": -2e10,
        "c": 0.0,
        "d": 0,
        "e": 12345678901234567890,
    }


# An HTTP response holding one is not JSON to the flow (docs/studio-semantics.md: only JSON
# objects are parsed; any other body is kept as `body` and leaves `parsed` out).

UNSTORABLE_BODIES = [
    '{"total": NaN}',
    '{"total": Infinity}',
    '{"total": -Infinity}',
    '{"total": 1e999}',
    '{"items": [{"n": 2.5E+400}]}',
    '{"name": "\\ud800"}',
]


@pytest.mark.parametrize("body", UNSTORABLE_BODIES)
def test_an_http_body_with_an_unstorable_value_is_not_parsed(body):
    response = HttpResponse(200, "application/json; charset=utf-8", body, {})

    out = outputs(response)

    assert out == {
        "status_code": 200,
        "content_type": "application/json; charset=utf-8",
        "body": body,
    }


def test_an_http_body_with_finite_numbers_is_parsed():
    response = HttpResponse(200, "application/json", '{"total": 1e300, "n": -0.5}', {})
    assert outputs(response)["parsed"] == {"total": 1e300, "n": -0.5}


class NaNHandler(BaseHTTPRequestHandler):
    """Answers every request with a JSON-looking body that is not JSON."""

    body = b'{"total": NaN, "name": "Ada"}'

    def do_GET(self) -> None:
        self.answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer()

    def answer(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nan_server(settings) -> Iterator[str]:
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), NaNHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/total"
    server.shutdown()
    server.server_close()


def calling_flow(url: str) -> dict:
    """REST trigger -> Make HTTP Request -> Run Function, both to `url`."""
    return {
        "description": "Calls out",
        "states": [
            trigger(incomingRequest="http"),
            {
                "name": "http",
                "type": "make-http-request",
                "transitions": [{"event": "success", "next": "fn"}, {"event": "failed"}],
                "properties": {
                    "offset": {"x": 0, "y": 200},
                    "method": "GET",
                    "content_type": "application/x-www-form-urlencoded;charset=utf-8",
                    "url": url,
                },
            },
            {
                "name": "fn",
                "type": "run-function",
                "transitions": [{"event": "success"}, {"event": "fail"}],
                "properties": {"offset": {"x": 0, "y": 400}, "url": url},
            },
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }


def test_a_response_with_nan_leaves_the_execution_readable_everywhere(
    entries, team, alice, nan_server
):
    flow = services.create_flow(
        team,
        friendly_name="Calls out",
        definition=calling_flow(nan_server),
        status=Status.PUBLISHED,
        author=alice,
    )
    fields = {"To": "+15551230001", "From": "+15550000000"}
    created = entries.v2(f"/v2/Flows/{flow.sid}/Executions", fields)
    assert created.status == 201, created.text
    sid = json.loads(created.text)["sid"]
    base = f"/v2/Flows/{flow.sid}/Executions"

    context = entries.api.get(f"{base}/{sid}/Context", headers=entries.api_headers)
    steps = entries.api.get(f"{base}/{sid}/Steps", headers=entries.api_headers)
    listed = entries.api.get(base, headers=entries.api_headers)

    assert (context.status_code, steps.status_code, listed.status_code) == (200, 200, 200)
    widgets = context.json()["context"]["widgets"]
    for name in ("http", "fn"):
        assert widgets[name]["body"] == NaNHandler.body.decode()
        assert "parsed" not in widgets[name]
    assert [s["transitioned_from"] for s in steps.json()["steps"]] == ["Trigger", "http", "fn"]


# Nothing can write one.


def test_no_json_column_can_be_written_with_a_non_finite_number(flow):
    for value in (float("nan"), float("inf"), float("-inf")):
        with (
            pytest.raises(ValueError, match="Out of range float values are not JSON"),
            transaction.atomic(),
        ):
            Flow.objects.filter(pk=flow.pk).update(head={"description": "x", "n": value})
    with pytest.raises(ValueError, match="Out of range float values are not JSON"):
        encode_context({"flow": {"data": {"n": float("nan")}}})
    with pytest.raises(ValueError, match="Out of range float values are not JSON"):
        jsontext.dumps([float("inf")])
    flow.refresh_from_db()
    assert "n" not in flow.head


def test_a_definition_from_python_with_nan_is_refused_before_it_is_stored(team):
    document = studio_definition()
    document["states"][1]["properties"]["offset"]["y"] = float("nan")

    with pytest.raises(services.FlowRejected) as caught:
        services.create_flow(team, friendly_name="Python", definition=document)

    assert [p.as_dict() for p in caught.value.problems if p.blocking] == [
        {
            "message": "is nan: JSON numbers are finite (no NaN or Infinity)",
            "property_path": "#/states/1/properties/offset/y",
        }
    ]
    assert not Flow.objects.exists()


@pytest.mark.parametrize("text", ["9" * 400 + ".5", "1" * 5000, "-" + "9" * 309 + ".0"])
def test_set_variables_keeps_a_number_too_large_to_store_as_text(text):
    assert cast(text) == text


def test_set_variables_still_parses_json_and_numbers():
    assert cast("12.5") == 12.5
    assert cast('{"a": [1, 2]}', parse_json=True) == {"a": [1, 2]}
    assert cast('{"a": NaN}', parse_json=True) == '{"a": NaN}'
