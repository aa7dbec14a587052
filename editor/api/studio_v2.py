"""Twilio Studio REST API v2: Flows, FlowValidate, Revisions and TestUsers.

Each view parses the form parameters, finds the flow through access.flow_for (others'
flows are 404, viewers' writes 403), calls one service and serialises. Definitions are
saved only when they have no errors (allow_problems=False), as Twilio does; invalid
drafts are for the canvas, not the API. Warnings never refuse a write: they come back in
the Flow resource's `warnings`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..access import Principal, flow_for
from ..flowspec.problems import wire
from ..models import Flow, FlowRevision, Status, Team
from ..models.flow_list import TeamFlowRows
from ..services.testcases import check_publish
from ..sids import is_sid, path_regex
from .auth import principal_of
from .errors import REVISION_INVALID, ApiError, invalid_parameter
from .paging import (
    PAGE_MAX,
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    Keyset,
    list_json,
    page_of,
    paging_of,
    token_moment,
)
from .params import (
    FlowCreateParams,
    FlowUpdateParams,
    FlowValidateParams,
    TestUsersParams,
    parse,
    parse_definition,
)
from .release import ReleasesResponse
from .wire import Urls, flow_json, flow_list_json, revision_json, test_users_json

LATEST_REVISION = "LatestRevision"
LATEST_PUBLISHED = "LatestPublished"
# Twilio's words for error 81021.
REVISION_INVALID_MESSAGE = (
    f"Flow revision must be an integer or enum({LATEST_PUBLISHED}, {LATEST_REVISION})"
)


def flows_after(rows: QuerySet, keys: list[str]) -> QuerySet:
    created, sid = keys
    moment = token_moment(created)
    if not is_sid(sid, "FW"):
        raise ValueError("bad flow token")
    if isinstance(rows, TeamFlowRows):
        return rows.resume_after(moment, sid)
    return rows.filter(Q(date_created__lt=moment) | Q(date_created=moment, sid__lt=sid))


def revision_number(text: str) -> int | None:
    # ASCII digits only (str.isdigit accepts "²"), and few enough for a 32-bit column.
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


def revisions_after(rows: QuerySet, keys: list[str]) -> QuerySet:
    (text,) = keys
    number = revision_number(text)
    if number is None:
        raise ValueError("bad revision token")
    return rows.filter(revision__lt=number)


# Newest first; the SID breaks ties between flows created in the same microsecond.
FLOW_ORDER = ("-date_created", "-sid")
FLOW_KEYSET = Keyset(lambda f: [f["date_created"].isoformat(), f["sid"]], flows_after)
REVISION_KEYSET = Keyset(lambda r: [str(r.revision)], revisions_after)


def sid_parameter(name: str, prefix: str, description: str) -> OpenApiParameter:
    """A SID in the path, with the shape its URL pattern matches (editor/sids.py)."""
    return OpenApiParameter(
        name, str, OpenApiParameter.PATH, description=description, pattern=f"^{path_regex(prefix)}$"
    )


SID = sid_parameter("sid", "FW", "The flow's FW… SID")
REVISION = OpenApiParameter(
    "revision", str, OpenApiParameter.PATH, description="n, LatestPublished or LatestRevision"
)
# The bounds paging_of enforces (a 400 outside them), so that the schema says so too.
PAGING = [
    OpenApiParameter(
        "PageSize",
        {"type": "integer", "minimum": 1, "maximum": PAGE_SIZE_MAX},
        description=f"1-{PAGE_SIZE_MAX}, default {PAGE_SIZE_DEFAULT}; "
        f"over {PAGE_SIZE_MAX} is 20007",
    ),
    OpenApiParameter("Page", {"type": "integer", "minimum": 0, "maximum": PAGE_MAX}),
    OpenApiParameter("PageToken", str),
]
RESOURCE = OpenApiTypes.OBJECT
INVALID = OpenApiResponse(description="Twilio error 20001 or 81022 (details.errors)")
REVISION_REFUSED = OpenApiResponse(
    description="Twilio error 81021: neither a number nor LatestPublished/LatestRevision"
)


class FlowList(ReleasesResponse, APIView):
    @extend_schema(operation_id="ListFlow", parameters=PAGING, responses={200: RESOURCE})
    def get(self, request: Request) -> Response:
        paging = paging_of(request.query_params)
        principal = principal_of(request)
        if principal.api_key is not None:
            rows = TeamFlowRows(principal.api_key.team)  # the same rows, in plain SQL
        else:
            rows = principal.flows().order_by(*FLOW_ORDER).list_rows()
        flows, next_token = page_of(rows, paging, FLOW_KEYSET)
        urls = Urls.of(request)
        items = [flow_list_json(f, urls) for f in flows]
        return Response(list_json("flows", items, urls.flows, paging, next_token))

    @extend_schema(
        operation_id="CreateFlow",
        request=FlowCreateParams,
        responses={201: RESOURCE, 400: INVALID},
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        team = principal.default_team()
        if team is None:
            raise PermissionDenied("You need to be an owner or editor of a team to create flows")
        params = parse(FlowCreateParams, request.data)
        flow = services.create_flow(
            team,
            friendly_name=params["FriendlyName"],
            definition=parse_definition(params["Definition"]),
            status=params["Status"],
            commit_message=params.get("CommitMessage"),
            author=author_of(principal, team, params),
            allow_problems=False,
        )
        return Response(flow_json(flow, Urls.of(request)), status=status.HTTP_201_CREATED)


def author_of(principal: Principal, team: Team, params: dict[str, Any]) -> Any:
    """Who the new revision is by: the AuthorSid parameter's owner or editor of the team
    (the SDKs' `author_sid`), else the request's own author."""
    sid = params.get("AuthorSid")
    if not sid:
        return principal.author
    author = services.team_editor_by_sid(team, sid) if is_sid(sid, "US") else None
    if author is None:
        raise invalid_parameter("AuthorSid", "must be the SID of an owner or editor of the team")
    return author


class FlowDetail(APIView):
    @extend_schema(operation_id="FetchFlow", parameters=[SID], responses={200: RESOURCE})
    def get(self, request: Request, sid: str) -> Response:
        flow = flow_for(principal_of(request), sid)
        return Response(flow_json(flow, Urls.of(request)))

    @extend_schema(
        operation_id="UpdateFlow",
        parameters=[SID],
        request=FlowUpdateParams,
        responses={200: RESOURCE, 400: INVALID},
    )
    def post(self, request: Request, sid: str) -> Response:
        principal = principal_of(request)
        flow = flow_for(principal, sid, edit=True)
        params = parse(FlowUpdateParams, request.data)
        text = params.get("Definition")
        definition = parse_definition(text) if text is not None else None
        if params["Status"] == Status.PUBLISHED:
            # Only when the flow requires passing test cases (docs/testcases.md).
            check_publish(flow, definition)
        flow = services.update_flow(
            flow,
            status=params["Status"],
            friendly_name=params.get("FriendlyName"),
            definition=definition,
            commit_message=params.get("CommitMessage"),
            author=author_of(principal, flow.team, params),
            allow_problems=False,
        )
        return Response(flow_json(flow, Urls.of(request)))

    @extend_schema(operation_id="DeleteFlow", parameters=[SID], responses={204: None})
    def delete(self, request: Request, sid: str) -> Response:
        services.delete_flow(flow_for(principal_of(request), sid, edit=True))
        return Response(status=status.HTTP_204_NO_CONTENT)


class FlowValidate(APIView):
    @extend_schema(
        operation_id="UpdateFlowValidate",
        request=FlowValidateParams,
        responses={200: RESOURCE, 400: INVALID},
    )
    def post(self, request: Request) -> Response:
        params = parse(FlowValidateParams, request.data)
        checked = services.check_definition(
            parse_definition(params["Definition"]),
            allow_problems=False,
            publishing=params["Status"] == Status.PUBLISHED,
        )
        body: dict[str, Any] = {"valid": True}
        if checked.warnings:
            body["warnings"] = [wire(w) for w in checked.warnings]
        return Response(body)


class FlowRevisionList(APIView):
    @extend_schema(
        operation_id="ListFlowRevision", parameters=[SID, *PAGING], responses={200: RESOURCE}
    )
    def get(self, request: Request, sid: str) -> Response:
        flow = flow_for(principal_of(request), sid)
        paging = paging_of(request.query_params)
        rows = flow.revisions.select_related("author__profile").order_by("-revision")
        revisions, next_token = page_of(rows, paging, REVISION_KEYSET)
        urls = Urls.of(request)
        items = [revision_json(r, flow, urls, full=False) for r in revisions]
        url = f"{urls.flow(flow.sid)}/Revisions"
        return Response(list_json("revisions", items, url, paging, next_token))


class FlowRevisionDetail(APIView):
    @extend_schema(
        operation_id="FetchFlowRevision",
        parameters=[SID, REVISION],
        responses={200: RESOURCE, 400: REVISION_REFUSED},
    )
    def get(self, request: Request, sid: str, revision: str) -> Response:
        flow = flow_for(principal_of(request), sid)
        found = find_revision(flow, revision)
        if found is None:
            raise NotFound()
        return Response(revision_json(found, flow, Urls.of(request)))


def find_revision(flow: Flow, revision: str) -> FlowRevision | None:
    """The revision a path names; None for a number the flow has no revision of. Any other
    name is Twilio's 81021, a 400, not a missing resource."""
    if revision == LATEST_PUBLISHED:
        return flow.latest_published()
    if revision == LATEST_REVISION:
        return flow.revisions.order_by("-revision").first()
    if not (revision.isascii() and revision.isdigit()):
        raise ApiError(400, REVISION_INVALID, REVISION_INVALID_MESSAGE)
    number = revision_number(revision)  # None past a 32-bit column: no such revision
    return None if number is None else flow.revisions.filter(revision=number).first()


class FlowTestUsers(APIView):
    @extend_schema(operation_id="FetchTestUser", parameters=[SID], responses={200: RESOURCE})
    def get(self, request: Request, sid: str) -> Response:
        flow = flow_for(principal_of(request), sid)
        return Response(test_users_json(flow, Urls.of(request)))

    @extend_schema(
        operation_id="UpdateTestUser",
        parameters=[SID],
        request=TestUsersParams,
        responses={200: RESOURCE},
    )
    def post(self, request: Request, sid: str) -> Response:
        flow = flow_for(principal_of(request), sid, edit=True)
        params = parse(TestUsersParams, request.data)
        flow = services.set_test_users(flow, params["TestUsers"])
        return Response(test_users_json(flow, Urls.of(request)))


@extend_schema(exclude=True)
class UnknownResource(APIView):
    """Any other /v2/ path, and Studio v1's REST paths (not served): a 404 in Twilio's
    envelope, after authentication as Twilio does."""

    def http_method_not_allowed(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        raise NotFound()

    def options(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        raise NotFound()
