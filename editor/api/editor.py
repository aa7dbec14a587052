"""The canvas's API: the working copy, versioned edits, revisions, publish, import.

Signed-in users only (session cookie, CSRF on every write); JSON in and out; errors in the
same envelope as the Studio API. Each view parses, checks access, calls one service and
serialises. Session auth alone means an expired session is a 401 without a
WWW-Authenticate challenge (errors.py), so the browser never prompts for a password.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..access import Principal, flow_for
from ..dates import datetime_text
from ..flowspec import catalogue
from ..flowspec.jsontext import MAX_BYTES, load_json, unstorable_text
from ..flowspec.problems import DocumentError
from ..linting import lint_flow, new_since_published
from ..models import Flow, FlowRevision, Status
from ..services.changes import stored_problems
from ..services.testcases import check_publish
from .auth import ApiKeyAuthentication
from .errors import BAD_PARAMETER, ApiError, flow_invalid, problem_json
from .parsers import StrictJSONParser
from .studio_v2 import UnknownResource

# Edits and imports name the version they were made on; another's change since is a 409.
CHANGED = OpenApiResponse(description="Twilio error 20409: the flow changed since that version")


class EditorView(APIView):
    authentication_classes = [SessionAuthentication]
    parser_classes = [StrictJSONParser]

    def principal(self, request: Request) -> Principal:
        key = getattr(request.user, "api_key", None)  # ApiKeyUser, on KeyedEditorView
        return Principal(api_key=key) if key is not None else Principal(user=request.user)

    def author(self, request: Request) -> Any:
        """The user a write is recorded as (an API key's creator for a key)."""
        return self.principal(request).author

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

    def commit_message(self, request: Request) -> str | None:
        value = self.body(request).get("commit_message")
        if value is not None and not isinstance(value, str):
            raise ApiError(400, BAD_PARAMETER, "commit_message must be text")
        return checked_text("commit_message", (value or "").strip()) or None


class KeyedEditorView(EditorView):
    """What CI calls as well as the canvas: linting a flow and its test cases. An API key
    (HTTP Basic, as on /v2/) is its team's editor here too. The session comes first, so an
    unauthenticated request still gets a 401 without a challenge and a browser never
    prompts for a password; a key needs no CSRF token (it is no cookie)."""

    authentication_classes = [SessionAuthentication, ApiKeyAuthentication]


def checked_text(name: str, value: str) -> str:
    """Text bound for a text column: NUL (PostgreSQL refuses it) is a 400, not a 500."""
    reason = unstorable_text(value)
    if reason:
        raise ApiError(400, BAD_PARAMETER, f"{name} {reason}")
    return value


def revision_json(revision: FlowRevision) -> dict[str, Any]:
    return {
        "revision": revision.revision,
        "status": revision.status,
        "commit_message": revision.commit_message,
        "valid": revision.valid,
        "tags": revision.tags,
        "author": revision.author.get_username() if revision.author else None,
        "date_created": revision.date_created.isoformat(),
        # As the pages write it (editor/dates.py); the canvas shows this text.
        "date_created_text": datetime_text(revision.date_created),
    }


def problems_json(flow: Flow) -> list[dict[str, Any]]:
    return stored_problems(flow)


def document_json(flow: Flow, principal: Principal) -> dict[str, Any]:
    published = flow.latest_published()
    definition = flow.definition()
    return {
        "sid": flow.sid,
        "friendly_name": flow.friendly_name,
        "version": flow.version,
        "definition": definition,
        "problems": problems_json(flow),
        "status": flow.status,
        "revision": flow.revision,
        "published_revision": published.revision if published else None,
        # A flow never published has none: it is a draft (the canvas says only that).
        "unpublished_changes": flow.has_unpublished_changes(definition),
        "unsaved_changes": flow.has_unsaved_changes(definition),
        "test_users": flow.test_users,
        "can_edit": principal.can_edit(flow.team),
        "edited_by": flow.edited_by.get_username() if flow.edited_by else None,
        "webhook_url": reverse("flow_detail", args=[flow.sid]),
        # The import checks this size before uploading (editor/flowspec/jsontext.py).
        "max_definition_bytes": MAX_BYTES,
        # What a Run Subflow may run: the team's other flows (a catalogue property with
        # `offers: "flows"` lists them in the inspector).
        "team_flows": [
            {"sid": sid, "friendly_name": name}
            for sid, name in flow.team.flows.exclude(pk=flow.pk)
            .order_by("friendly_name", "sid")
            .values_list("sid", "friendly_name")
        ],
    }


def written_json(flow: Flow, principal: Principal, before: int) -> dict[str, Any]:
    """The document after a save or publish, saying whether it made a revision (one that
    would change nothing makes none: docs/revisions.md)."""
    return {**document_json(flow, principal), "revision_created": flow.revision != before}


class CatalogueView(EditorView):
    @extend_schema(operation_id="EditorCatalogue", responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(catalogue.as_json())


class DocumentView(EditorView):
    @extend_schema(operation_id="EditorFetchDocument", responses={200: dict})
    def get(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid)
        # The version and the document are read as of one moment (a canvas applies every
        # change after the version it fetched): an edit locks the flow's row to commit, so
        # holding that lock while reading keeps one from landing in between.
        with transaction.atomic():
            flow = Flow.objects.select_for_update(of=("self",)).get(pk=flow.pk)
            return Response(document_json(flow, self.principal(request)))


class EditView(EditorView):
    @extend_schema(
        operation_id="EditorApplyEdit", request=dict, responses={200: dict, 409: CHANGED}
    )
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
        problems = [problem_json(p) for p in edited.problems]
        dropped = [item.as_json() for item in edited.dropped]
        return Response(
            {"version": edited.version, "problems": problems, "ops": edited.ops, "dropped": dropped}
        )


class RevisionListView(EditorView):
    @extend_schema(operation_id="EditorListRevisions", responses={200: dict})
    def get(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid)
        revisions = (
            flow.revisions.select_related("author").defer("definition").order_by("-revision")
        )
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
    @extend_schema(operation_id="EditorPublish", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid, edit=True)
        message = self.commit_message(request)
        # A flow that requires passing test cases runs them first (docs/testcases.md).
        check_publish(flow)
        added = lint_added(flow)  # read before publishing: then the draft is the published
        before = flow.revision
        flow = services.publish_flow(flow, commit_message=message, author=request.user)
        return Response({**written_json(flow, self.principal(request), before), "lint": added})


def lint_added(flow: Flow) -> dict[str, Any]:
    """The draft's linter findings that the published revision lacks (all of them when
    nothing is published yet), as `{"new_since_published": [finding...]}`."""
    findings = lint_flow(flow)
    fresh = new_since_published(flow, findings)
    chosen = findings if fresh is None else [findings[i] for i in fresh]
    return {"new_since_published": [f.as_dict() for f in chosen]}


class SaveDraftView(EditorView):
    @extend_schema(operation_id="EditorSaveDraft", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid, edit=True)
        message = self.commit_message(request)
        before = flow.revision
        flow = services.save_draft(flow, commit_message=message, author=request.user)
        return Response(written_json(flow, self.principal(request), before))


class ImportView(EditorView):
    @extend_schema(operation_id="EditorImport", request=dict, responses={200: dict, 409: CHANGED})
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
            source="import",
            skip_unchanged=True,
        )
        return Response(document_json(flow, self.principal(request)))


class SettingsView(EditorView):
    @extend_schema(operation_id="EditorUpdateSettings", request=dict, responses={200: dict})
    def post(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid, edit=True)
        data = self.body(request)
        name = data.get("friendly_name")
        if name is not None:
            if not isinstance(name, str) or not name.strip() or len(name.strip()) > 200:
                raise ApiError(400, BAD_PARAMETER, "A flow name is 1 to 200 characters")
            name = checked_text("friendly_name", name.strip())
        users = data.get("test_users")
        if users is not None:
            if not isinstance(users, list) or not all(isinstance(u, str) for u in users):
                raise ApiError(400, BAD_PARAMETER, "test_users is a list of addresses")
            users = [checked_text("test_users", u) for u in users]
        # Both are checked before either is saved, so a bad one leaves the flow as it was.
        if name is not None:
            flow = services.rename_flow(flow, name)
        if users is not None:
            flow = services.set_test_users(flow, users)
        return Response(document_json(flow, self.principal(request)))


@extend_schema(exclude=True)
class UnknownEditorResource(UnknownResource):
    """Any other /api/editor/ path: a 404 in the canvas's envelope, after authentication as
    the canvas's own routes do (a session, or a key as for linting and test cases)."""

    authentication_classes = KeyedEditorView.authentication_classes
    parser_classes = EditorView.parser_classes
