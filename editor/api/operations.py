"""What the API docs (/api/docs/) call each operation: a summary in Twilio's words ("Create
an Execution", "Fetch a Flow Revision") and, where one helps, a description. Keyed by the
operationId each view's `extend_schema` sets; studio_clone/settings.py runs this hook after
schema_tags.py's and keeps docstrings out of the docs (they are written for this code's
readers), so this table is all the docs say about an operation beyond its parameters.
tests/test_api_schema.py checks that every operation has a summary and every entry here an
operation."""

from __future__ import annotations

from typing import Any

# operationId: (summary, description or "").
OPERATIONS: dict[str, tuple[str, str]] = {
    # Studio v2 (editor/api/studio_v2.py, executions.py)
    "ListFlow": ("List Flows", "Newest first."),
    "CreateFlow": (
        "Create a Flow",
        "In the API key's team (a signed-in user's first team as owner or editor).",
    ),
    "FetchFlow": ("Fetch a Flow", ""),
    "UpdateFlow": (
        "Update a Flow",
        "A new Revision with the given Status. Publishing a Flow that requires passing test "
        "cases runs them first, and is refused unless they pass.",
    ),
    "DeleteFlow": ("Delete a Flow", ""),
    "UpdateFlowValidate": (
        "Validate a Flow definition",
        "Checks a definition as Create a Flow would; nothing is saved. Errors answer 81022 "
        "(with the warnings in its details); a valid definition's warnings, if any, come "
        "beside `valid`.",
    ),
    "ListFlowRevision": (
        "List Flow Revisions",
        "Newest first. As in Twilio's list, `definition`, `valid` and `errors` are null: "
        "fetch a Revision for them.",
    ),
    "FetchFlowRevision": (
        "Fetch a Flow Revision",
        "`revision` is a number, `LatestPublished` or `LatestRevision`; any other name is "
        "error 81021.",
    ),
    "FetchTestUser": ("Fetch a Flow's Test Users", ""),
    "UpdateTestUser": ("Update a Flow's Test Users", "Replaces the list."),
    "ListExecution": ("List Executions", "Newest first."),
    "CreateExecution": (
        "Create an Execution",
        "Test users (a `To` among the Flow's test users) run its latest draft, everyone else "
        "its latest published Revision.",
    ),
    "FetchExecution": ("Fetch an Execution", ""),
    "UpdateExecution": ("Update an Execution", "Ends an active Execution."),
    "DeleteExecution": ("Delete an Execution", ""),
    "FetchExecutionContext": ("Fetch an Execution Context", ""),
    "ListExecutionStep": ("List Execution Steps", "In the order they were taken."),
    "FetchExecutionStep": ("Fetch an Execution Step", ""),
    "FetchExecutionStepContext": ("Fetch an Execution Step Context", ""),
    # Canvas editor (editor/api/editor.py, compare.py, lint.py, testcases.py)
    "EditorCatalogue": (
        "Fetch the widget catalogue",
        "Every widget type the canvas offers, with its events and properties.",
    ),
    "EditorFetchDocument": (
        "Fetch a Flow's working copy",
        "The definition the canvas edits, its problems, and the `version` edits are based on.",
    ),
    "EditorApplyEdit": (
        "Apply edits to a Flow's working copy",
        "`ops` based on `base_version`; edits based on a version someone has moved on from "
        "answer 409 with who changed the Flow.",
    ),
    "EditorListRevisions": (
        "List a Flow's revision history",
        "Newest first, without their definitions.",
    ),
    "EditorFetchRevision": ("Fetch a Flow Revision's definition", ""),
    "EditorRestoreRevision": (
        "Restore a Flow Revision",
        "A new draft Revision with that Revision's definition.",
    ),
    "EditorSaveDraft": (
        "Save a Flow's working copy as a draft Revision",
        "A save that would change nothing makes no Revision (`revision_created` says which).",
    ),
    "EditorPublish": (
        "Publish a Flow's working copy",
        "Refused with every error while the working copy has any (warnings never refuse), "
        "and, when the Flow requires passing test cases, unless they pass. `lint` lists the "
        "linter's findings this publish added.",
    ),
    "EditorImport": (
        "Import Studio JSON into a Flow's working copy",
        "Replaces the working copy with pasted or uploaded Studio flow JSON, as a new draft "
        "Revision; `base_version` must be the version the canvas opened.",
    ),
    "EditorUpdateSettings": (
        "Update a Flow's name and test users",
        "Both are checked before either is saved. The description and flags are edits "
        "(`update_flow`).",
    ),
    "EditorDiff": (
        "Compare two versions of a Flow",
        "Both definitions and the difference between them.",
    ),
    "EditorLintDraft": (
        "Lint a Flow's working copy",
        "The linter's findings and rules; `new_since_published` lists which findings the "
        "published Revision lacks (null when nothing is published).",
    ),
    "EditorLintDocument": (
        "Lint an unsaved Flow definition",
        "`definition` as a JSON object, or as pasted Studio JSON text; nothing is written.",
    ),
    "EditorListTestCases": (
        "List a Flow's test cases",
        "With whether publishing requires them to pass.",
    ),
    "EditorCreateTestCase": ("Create a test case", "`source`: the case as YAML or JSON."),
    "EditorFetchTestCase": ("Fetch a test case", ""),
    "EditorUpdateTestCase": ("Update a test case", "`source`: the case as YAML or JSON."),
    "EditorDeleteTestCase": ("Delete a test case", ""),
    "EditorRunTestCases": (
        "Run a Flow's test cases",
        "Every case, or those whose `ids` are given, against the working copy.",
    ),
    "EditorTestPolicy": (
        "Require passing test cases to publish",
        "`require_passing`: true or false.",
    ),
    "EditorSaveRunAsTestCase": (
        "Save an Execution as a test case",
        "A test-panel run, or any Execution of the Flow (`execution_sid`), with an optional "
        "`name`.",
    ),
    "EditorReplayExecution": (
        "Replay an Execution against a Flow's working copy",
        "The Execution's inputs and recorded responses, run against the current draft.",
    ),
    # Health (editor/api/health.py)
    "Health": (
        "Check that the server is up",
        "A constant answer that touches neither the database nor the session.",
    ),
}


def describe_operations(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            # One missing here is left without a summary, for the test to name: the docs
            # stay up.
            summary, description = OPERATIONS.get(operation.get("operationId"), ("", ""))
            if summary:
                operation["summary"] = summary
            if description:
                operation["description"] = description
    return result
