"""The OpenAPI schema documents every API view without a warning, each operation with a
summary and a group (editor/api/operations.py, schema_tags.py)."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from editor.api.operations import OPERATIONS


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
