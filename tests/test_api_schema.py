"""The OpenAPI schema documents every API view without a warning, each operation with a
summary and a group (editor/api/operations.py, schema_tags.py), and every error it can
answer in Twilio's envelope (schema_errors.py)."""

from __future__ import annotations

import io
import json
from typing import Any

import jsonschema
import pytest
from django.core.management import call_command
from django.test import Client

from editor import services
from editor.api.operations import OPERATIONS
from editor.api.paging import PAGE_MAX, PAGE_SIZE_MAX

from .team_support import basic_auth
from .test_api_flows import studio_definition


def generated_schema() -> dict:
    out = io.StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def operations(schema: dict) -> dict[str, dict]:
    """Each operation by "METHOD path"."""
    return {
        f"{method.upper()} {path}": operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
    }


def test_the_openapi_schema_validates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    schema = out.getvalue()
    for path in ("/v2/Flows", "/v2/Flows/{flow_sid}/Executions", "/api/editor/flows/{sid}/edits"):
        assert path in schema


def test_the_docs_group_operations_by_what_they_are():
    schema = generated_schema()
    tags = {
        path: {
            tag
            for operation in item.values()
            if isinstance(operation, dict)
            for tag in operation.get("tags", [])
        }
        for path, item in schema["paths"].items()
    }
    assert tags["/v2/Flows"] == {"Studio v2"}
    assert tags["/api/editor/flows/{sid}/edits"] == {"Canvas editor"}
    assert [tag["name"] for tag in schema["tags"]] == ["Studio v2", "Canvas editor", "Health"]


def test_every_operation_has_a_summary_and_a_group():
    found = operations(generated_schema())
    assert len(found) >= 40
    unsummarised = [name for name, op in found.items() if not op.get("summary", "").strip()]
    assert unsummarised == []
    untagged = [name for name, op in found.items() if not op.get("tags")]
    assert untagged == []


def test_the_summaries_are_twilios_words():
    found = {op["operationId"]: op["summary"] for op in operations(generated_schema()).values()}
    assert found["CreateExecution"] == "Create an Execution"
    assert found["ListFlow"] == "List Flows"
    assert found["FetchFlowRevision"] == "Fetch a Flow Revision"
    assert len(set(found.values())) == len(found)  # no two operations read alike


def test_descriptions_come_from_the_table_alone():
    """Not from docstrings, written for the code's readers: ListFlow's view inherits one
    about reference cycles."""
    found = operations(generated_schema()).values()
    assert {op["operationId"] for op in found} == set(OPERATIONS)
    for op in found:
        assert op.get("description", "") == OPERATIONS[op["operationId"]][1], op["operationId"]


def error_answers(client, team, alice) -> list[tuple[str, str, Any]]:
    """Errors the API really answers, each with the operation it came from."""
    key, secret = services.create_api_key(team, created_by=alice)
    signed = {"Authorization": basic_auth(key.sid, secret)}
    flow = services.create_flow(team, friendly_name="F", definition=studio_definition())
    missing = "FW" + "0" * 32
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(alice)
    session = Client()
    session.force_login(alice)
    return [
        ("GET /v2/Flows", "ListFlow", client.get("/v2/Flows")),
        ("GET /v2/Flows", "ListFlow", client.get("/v2/Flows?PageSize=0", headers=signed)),
        ("GET /v2/Flows/{sid}", "FetchFlow", client.get(f"/v2/Flows/{missing}", headers=signed)),
        (
            "POST /v2/Flows",
            "CreateFlow",
            client.post("/v2/Flows", {}, content_type="application/json", headers=signed),
        ),
        (
            "GET /v2/Flows/{flow_sid}/Executions",
            "ListExecution",
            client.get(f"/v2/Flows/{flow.sid}/Executions?Page=x", headers=signed),
        ),
        (
            "POST /api/editor/flows/{sid}/save",
            "EditorSaveDraft",
            csrf.post(f"/api/editor/flows/{flow.sid}/save", {}, content_type="application/json"),
        ),
        (
            "POST /api/editor/flows/{sid}/import",
            "EditorImport",
            session.post(
                f"/api/editor/flows/{flow.sid}/import",
                {"base_version": flow.version + 1, "definition": "{}"},
                content_type="application/json",
            ),
        ),
        (
            "GET /api/editor/flows/{sid}/revisions/{revision}",
            "EditorFetchRevision",
            client.get(f"/api/editor/flows/{flow.sid}/revisions/9", headers=signed),
        ),
    ]


@pytest.mark.django_db
def test_every_error_answered_is_documented_in_twilios_envelope(client, team, alice):
    """schemathesis found 404s, 401s and 400s no operation documented
    (editor/api/schema_errors.py)."""
    schema = generated_schema()
    found = operations(schema)
    components = {"components": schema["components"]}
    statuses = set()
    for name, operation_id, response in error_answers(client, team, alice):
        operation = found[name]
        assert operation["operationId"] == operation_id
        status = str(response.status_code)
        statuses.add(status)
        assert status in operation["responses"], (name, status, response.content)
        documented = operation["responses"][status]["content"]["application/json"]["schema"]
        jsonschema.validate(response.json(), {**documented, **components})
    assert statuses == {"400", "401", "403", "404", "409", "415"}


def test_the_paging_bounds_are_the_servers():
    parameters = {
        p["name"]: p["schema"]
        for p in operations(generated_schema())["GET /v2/Flows"]["parameters"]
    }
    assert parameters["PageSize"]["minimum"] == 1
    assert parameters["PageSize"]["maximum"] == PAGE_SIZE_MAX
    assert parameters["Page"] == {"type": "integer", "minimum": 0, "maximum": PAGE_MAX}


def test_the_health_check_documents_no_error():
    assert set(operations(generated_schema())["GET /healthz"]["responses"]) == {"200"}


# The resource a path parameter follows, and the SID prefix its URL pattern matches.
SID_OF = {"Flows": "FW", "Executions": "FN", "Steps": "FT"}


def test_every_v2_path_sid_states_its_shape():
    """Each SID in a /v2/ path says which kind it is and has its URL's pattern: the step's
    `sid` was described "FN… or FT… SID" and no SID had a pattern, where the editor API's
    (inferred from the URL) had one."""
    schema = generated_schema()
    checked = 0
    for path, item in schema["paths"].items():
        if not path.startswith("/v2/"):
            continue
        segments = path.strip("/").split("/")
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path" or parameter["name"] == "revision":
                    continue
                index = segments.index("{" + parameter["name"] + "}")
                prefix = SID_OF[segments[index - 1]]
                assert parameter["schema"].get("pattern") == f"^{prefix}[0-9a-fA-F]{{32}}$", (
                    path,
                    parameter,
                )
                assert f"{prefix}…" in parameter["description"], (path, parameter)
                assert {"FW", "FN", "FT"} - {prefix} & set(
                    parameter["description"].replace("…", " ").split()
                ) == set(), (path, parameter)
                checked += 1
    assert checked >= 25
