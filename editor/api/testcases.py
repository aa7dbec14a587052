"""The canvas's API for a flow's test cases (docs/testcases.md): list, create, read,
update, delete, run; the "require passing tests to publish" setting; a test-panel run saved
as a case; replay of an execution against the draft.

Members read and run cases; editors write them. Others' flows are 404 (editor/access.py).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import Execution, FlowTestCase
from ..services import testcases
from .editor import KeyedEditorView
from .errors import BAD_PARAMETER, ApiError


class TestCaseView(KeyedEditorView):
    def case(self, request: Request, sid: str, case_id: int, *, edit: bool = False) -> Any:
        flow = self.flow(request, sid, edit=edit)
        row = FlowTestCase.objects.select_related("created_by").filter(flow=flow, pk=case_id)
        found = row.first()
        if found is None:
            raise Http404("No such test case")
        return flow, found

    def source(self, request: Request) -> Any:
        data = self.body(request)
        if "source" not in data:
            raise ApiError(400, BAD_PARAMETER, "source (the case as YAML or JSON) is required")
        return data["source"]


class TestCaseListView(TestCaseView):
    @extend_schema(operation_id="EditorListTestCases", responses={200: dict})
    def get(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid)
        rows = FlowTestCase.objects.filter(flow=flow).select_related("created_by")
        return Response(
            {
                "cases": [testcases.case_json(r) for r in rows],
                "require_passing": testcases.requires_passing(flow),
                "can_edit": self.principal(request).can_edit(flow.team),
            }
        )

    @extend_schema(operation_id="EditorCreateTestCase", request=dict, responses={201: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid, edit=True)
        row = testcases.create_case(flow, self.source(request), self.author(request))
        return Response(testcases.case_json(row), status=201)


class TestCaseDetailView(TestCaseView):
    @extend_schema(operation_id="EditorFetchTestCase", responses={200: dict})
    def get(self, request: Request, sid: str, case_id: int) -> Response:
        _, row = self.case(request, sid, case_id)
        return Response(testcases.case_json(row))

    @extend_schema(operation_id="EditorUpdateTestCase", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str, case_id: int) -> Response:
        _, row = self.case(request, sid, case_id, edit=True)
        row = testcases.update_case(row, self.source(request))
        return Response(testcases.case_json(row))

    @extend_schema(operation_id="EditorDeleteTestCase", responses={204: None})
    def delete(self, request: Request, sid: str, case_id: int) -> Response:
        _, row = self.case(request, sid, case_id, edit=True)
        row.delete()
        return Response(status=204)


class TestRunView(TestCaseView):
    @extend_schema(operation_id="EditorRunTestCases", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid)
        ids = self.body(request).get("ids")
        rows = FlowTestCase.objects.filter(flow=flow)
        if ids is not None:
            if not isinstance(ids, list) or not all(type(i) is int for i in ids):
                raise ApiError(400, BAD_PARAMETER, "ids is a list of test case ids")
            rows = rows.filter(pk__in=ids[: testcases.MAX_CASES])
        results = testcases.run_cases(flow, list(rows))
        passed = sum(r["status"] == "pass" for r in results)
        return Response({"results": results, "passed": passed, "failed": len(results) - passed})


class TestPolicyView(TestCaseView):
    @extend_schema(operation_id="EditorTestPolicy", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid, edit=True)
        value = self.body(request).get("require_passing")
        if not isinstance(value, bool):
            raise ApiError(400, BAD_PARAMETER, "require_passing is true or false")
        testcases.set_policy(flow, value, self.author(request))
        return Response({"require_passing": value})


def execution_of(flow: Any, sid: Any) -> Execution:
    if not isinstance(sid, str) or not sid:
        raise ApiError(400, BAD_PARAMETER, "execution_sid is required")
    execution = Execution.objects.select_related("flow__team").filter(flow=flow, sid=sid).first()
    if execution is None:
        raise Http404("No such execution")
    return execution


class SaveRunView(TestCaseView):
    @extend_schema(operation_id="EditorSaveRunAsTestCase", request=dict, responses={201: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid, edit=True)
        data = self.body(request)
        execution = execution_of(flow, data.get("execution_sid"))
        name = data.get("name")
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise ApiError(400, BAD_PARAMETER, "name is text")
        row = testcases.save_run_as_case(execution, self.author(request), name and name.strip())
        return Response(testcases.case_json(row), status=201)


class ReplayView(TestCaseView):
    @extend_schema(operation_id="EditorReplayExecution", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid)
        execution = execution_of(flow, self.body(request).get("execution_sid"))
        return Response(testcases.replay(execution))
