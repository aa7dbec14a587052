"""The canvas's linter: findings for a flow's current draft (GET) or for a document the
canvas has not saved yet (POST `{"definition": {...}}`). Every member of the flow's team may
lint; nothing is written. docs/linter.md describes the rules and the answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from ..flowspec.jsontext import load_json
from ..flowspec.problems import DocumentError
from ..lint import Finding, rules_json
from ..linting import lint_definition, lint_flow, new_since_published
from .editor import KeyedEditorView
from .errors import BAD_PARAMETER, ApiError


def answer(findings: list[Finding], **extra: Any) -> Response:
    return Response({**extra, "findings": [f.as_dict() for f in findings], "rules": rules_json()})


class LintView(KeyedEditorView):
    @extend_schema(operation_id="EditorLintDraft", responses={200: dict})
    def get(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid)
        findings = lint_flow(flow)
        return answer(
            findings,
            version=flow.version,
            new_since_published=new_since_published(flow, findings),
        )

    @extend_schema(operation_id="EditorLintDocument", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid)
        definition = self.body(request).get("definition")
        if isinstance(definition, str):  # pasted Studio JSON, read with the import's limits
            try:
                definition = load_json(definition)
            except DocumentError as exc:
                raise ApiError(
                    400, BAD_PARAMETER, f"definition {exc.problems[0].message}"
                ) from None
        if not isinstance(definition, dict):
            raise ApiError(
                400,
                BAD_PARAMETER,
                'The body must be {"definition": {...}}: the flow definition to lint, as a '
                "JSON object with `states`",
            )
        if not isinstance(definition.get("states"), list):
            raise ApiError(
                400, BAD_PARAMETER, "definition.states must be a list of widgets (Studio JSON)"
            )
        return answer(lint_definition(definition, flow.team))
