"""The canvas's API: the working copy, versioned edits, revisions, publish, import.

Signed-in users only (session cookie, CSRF on every write); JSON in and out; errors in the
same envelope as the Studio API. Each view parses, checks access, calls one service and
serialises. Session auth alone means an expired session is a 403, never a Basic-auth
prompt in the browser.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..access import Principal, flow_for
from ..flowspec import catalogue
from ..flowspec.jsontext import load_json
from ..flowspec.problems import DocumentError
from ..models import Flow, FlowRevision, Status
from .errors import BAD_PARAMETER, ApiError, flow_invalid


class EditorView(APIView):
    authentication_classes = [SessionAuthentication]
    parser_classes = [JSONParser]

    def principal(self, request: Request) -> Principal:
        return Principal(user=request.user)

    def flow(self, request: Request, sid: str, *, edit: bool = False) -> Flow:
        return flow_for(self.principal(request), sid, edit=edit)

    def handle_exception(self, exc: Exception) -> Response:
        # A refused definition answers 81022 as on /v2/, with each problem's severity, hint
        # and blocking flag so the canvas can say which widget and what to do.
        if isinstance(exc, (services.FlowRejected, DocumentError)):
            exc = flow_invalid(exc.problems, detailed=True)
        return super().handle_exception(exc)

    def body(self, request: Request) -> dict[str, Any]:
        data = request.data
        if not isinstance(data, dict):
            raise ApiError(400, BAD_PARAMETER, "The request body must be a JSON object")
        return data


def revision_json(revision: FlowRevision) -> dict[str, Any]:
    return {
        "revision": revision.revision,
        "status": revision.status,
        "commit_message": revision.commit_message,
        "valid": revision.valid,
        "author": revision.author.get_username() if revision.author else None,
        "date_created": revision.date_created.isoformat(),
    }


def problems_json(flow: Flow) -> list[dict[str, Any]]:
    """Errors, then warnings, each with its `severity` and a plain-words `hint` (rows stored
    before hints existed fall back to the message)."""
    return [
        {**item, "hint": item.get("hint") or item.get("message", ""), "severity": severity}
        for severity, items in (("error", flow.errors), ("warning", flow.warnings))
        for item in items
    ]


def document_json(flow: Flow, principal: Principal) -> dict[str, Any]:
    published = flow.latest_published()
    return {
        "sid": flow.sid,
        "friendly_name": flow.friendly_name,
        "version": flow.version,
        "definition": flow.definition(),
        "problems": problems_json(flow),
        "status": flow.status,
        "revision": flow.revision,
        "published_revision": published.revision if published else None,
        "unpublished_changes": flow.has_unpublished_changes() or published is None,
        "unsaved_changes": flow.has_unsaved_changes(),
        "test_users": flow.test_users,
        "can_edit": principal.can_edit(flow.team),
        "edited_by": flow.edited_by.get_username() if flow.edited_by else None,
        "webhook_url": reverse("flow_detail", args=[flow.sid]),
    }


class CatalogueView(EditorView):
    @extend_schema(operation_id="EditorCatalogue", responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(catalogue.as_json())


class DocumentView(EditorView):
    @extend_schema(operation_id="EditorFetchDocument", responses={200: dict})
    def get(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid)
        return Response(document_json(flow, self.principal(request)))


class EditView(EditorView):
    @extend_schema(operation_id="EditorApplyEdit", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid, edit=True)
        data = self.body(request)
        try:
            edited = services.apply_edit(
                flow, base_version=data.get("base_version"), ops=data.get("ops"), user=request.user
            )
        except services.EditConflict as exc:
            details = {"version": exc.version, "editor": exc.editor}
            raise ApiError(409, 20409, str(exc), details) from None
        except services.EditRefused as exc:
            raise ApiError(400, BAD_PARAMETER, str(exc)) from None
        return Response({"version": edited.version, "problems": edited.problems})


class RevisionListView(EditorView):
    @extend_schema(operation_id="EditorListRevisions", responses={200: dict})
    def get(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid)
        revisions = flow.revisions.select_related("author").order_by("-revision")
        return Response({"revisions": [revision_json(r) for r in revisions]})


class RevisionView(EditorView):
    @extend_schema(operation_id="EditorFetchRevision", responses={200: dict})
    def get(self, request: Request, sid: str, revision: int) -> Response:
        flow = self.flow(request, sid)
        found = flow.revisions.filter(revision=revision).first()
        if found is None:
            raise ApiError(404, 20404, f"Revision {revision} not found")
        return Response({**revision_json(found), "definition": found.definition})


class RestoreView(EditorView):
    @extend_schema(operation_id="EditorRestoreRevision", request=None, responses={200: dict})
    def post(self, request: Request, sid: str, revision: int) -> Response:
        flow = self.flow(request, sid, edit=True)
        found = flow.revisions.filter(revision=revision).first()
        if found is None:
            raise ApiError(404, 20404, f"Revision {revision} not found")
        flow = services.restore_revision(flow, found, author=request.user)
        return Response(document_json(flow, self.principal(request)))


class PublishView(EditorView):
    """Publish the working copy (refused with every error while it has any; warnings never
    stand in the way)."""

    @extend_schema(operation_id="EditorPublish", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid, edit=True)
        message = str(self.body(request).get("commit_message") or "").strip() or None
        flow = services.publish_flow(flow, commit_message=message, author=request.user)
        return Response(document_json(flow, self.principal(request)))


class SaveDraftView(EditorView):
    @extend_schema(operation_id="EditorSaveDraft", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid, edit=True)
        message = str(self.body(request).get("commit_message") or "").strip() or None
        flow = services.save_draft(flow, commit_message=message, author=request.user)
        return Response(document_json(flow, self.principal(request)))


class ImportView(EditorView):
    """Replace the working copy with pasted or uploaded Studio JSON (a new draft revision)."""

    @extend_schema(operation_id="EditorImport", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid, edit=True)
        data = self.body(request)
        if data.get("base_version") != flow.version:
            raise ApiError(409, 20409, "The flow changed since you opened it; reload first")
        try:
            definition = load_json(str(data.get("definition", "")))
        except DocumentError as exc:
            raise services.FlowRejected(exc.problems) from None
        flow = services.update_flow(
            flow,
            status=Status.DRAFT,
            definition=definition,
            commit_message="Imported on the canvas",
            author=request.user,
            allow_problems=bool(data.get("allow_problems")),
        )
        return Response(document_json(flow, self.principal(request)))


class SettingsView(EditorView):
    """Name and test users (the description and flags are `update_flow` edits)."""

    @extend_schema(operation_id="EditorUpdateSettings", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid, edit=True)
        data = self.body(request)
        if "friendly_name" in data:
            name = str(data["friendly_name"]).strip()
            if not name or len(name) > 200:
                raise ApiError(400, BAD_PARAMETER, "A flow name is 1 to 200 characters")
            flow = services.rename_flow(flow, name)
        if "test_users" in data:
            users = data["test_users"]
            if not isinstance(users, list) or not all(isinstance(u, str) for u in users):
                raise ApiError(400, BAD_PARAMETER, "test_users is a list of addresses")
            flow = services.set_test_users(flow, users)
        return Response(document_json(flow, self.principal(request)))
