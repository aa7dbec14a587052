"""Twilio Studio REST API v2: Executions, their Context, Steps and Step Context.

As in studio_v2.py, each view finds the flow through access.flow_for (others' flows are
404, viewers' writes 403), looks the execution up among that flow's own (another flow's
execution is 404 here), calls one service and serialises. The services raise
ExecutionError with Twilio's status and code, which errors.py turns into the envelope.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import QueryDict
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..access import flow_for
from ..models import Execution, ExecutionStep, Flow
from ..models.executions import ExecutionStatus
from ..sids import is_sid
from .auth import principal_of
from .errors import invalid_parameter
from .paging import Keyset, list_json, page_of, paging_of, token_moment
from .params import (
    ExecutionCreateParams,
    ExecutionUpdateParams,
    datetime_parameter,
    parse,
    parse_parameters,
)
from .release import ReleasesResponse
from .request_id import request_sid
from .studio_v2 import PAGING, RESOURCE, sid_parameter
from .wire import (
    Urls,
    execution_context_json,
    execution_json,
    step_context_json,
    step_json,
)


def executions_after(rows: QuerySet, keys: list[str]) -> QuerySet:
    created, sid = keys
    moment = token_moment(created)
    if not is_sid(sid, "FN"):
        raise ValueError("bad execution token")
    return rows.filter(Q(date_created__lt=moment) | Q(date_created=moment, sid__lt=sid))


def steps_after(rows: QuerySet, keys: list[str]) -> QuerySet:
    (text,) = keys
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise ValueError("bad step token")
    return rows.filter(position__gt=int(text))


# Newest first like flows; steps in the order they were taken.
EXECUTION_ORDER = ("-date_created", "-sid")
EXECUTION_KEYSET = Keyset(lambda e: [e.date_created.isoformat(), e.sid], executions_after)
STEP_KEYSET = Keyset(lambda s: [str(s.position)], steps_after)

FLOW_SID = sid_parameter("flow_sid", "FW", "The flow's FW… SID")
EXECUTION_SID = sid_parameter("execution_sid", "FN", "The execution's FN… SID")
SID = sid_parameter("sid", "FN", "The execution's FN… SID")
STEP = sid_parameter("sid", "FT", "The step's FT… SID")
STEP_SID = sid_parameter("step_sid", "FT", "The step's FT… SID")
FILTERS = [
    OpenApiParameter("Status", str, enum=ExecutionStatus.values),
    OpenApiParameter("DateCreatedFrom", str, description="ISO 8601; on or after"),
    OpenApiParameter("DateCreatedTo", str, description="ISO 8601; before"),
]
CONFLICT = OpenApiResponse(
    description="Twilio error 20409: an execution is already active for the contact "
    "(details.conflicting_execution_sid)"
)
ALREADY_ENDED = OpenApiResponse(description="Twilio error 20409: the execution has ended")
BAD_PARAMETER = OpenApiResponse(description="Twilio error 20001")


def execution_for(flow: Flow, sid: str) -> Execution:
    """One of this flow's executions; any other SID is 404."""
    execution = flow.executions.filter(sid=sid).first()
    if execution is None:
        raise NotFound()
    return execution


def step_for(execution: Execution, sid: str) -> ExecutionStep:
    step = execution.steps.filter(sid=sid).first()
    if step is None:
        raise NotFound()
    return step


def filters_of(query: QueryDict) -> dict[str, str]:
    """The list filters as given, checked. The SDKs send `status` in lower case."""
    found: dict[str, str] = {}
    state = query.get("Status") or query.get("status")
    if state:
        if state not in ExecutionStatus.values:
            raise invalid_parameter("Status", "must be active or ended")
        found["Status"] = state
    for name in ("DateCreatedFrom", "DateCreatedTo"):
        if query.get(name):
            found[name] = query[name]  # parsed, or refused, by `filtered`
    return found


def filtered(rows: QuerySet, filters: dict[str, str]) -> QuerySet:
    if "Status" in filters:
        rows = rows.filter(status=filters["Status"])
    since = datetime_parameter(filters, "DateCreatedFrom")
    if since is not None:
        rows = rows.filter(date_created__gte=since)
    until = datetime_parameter(filters, "DateCreatedTo")
    if until is not None:
        rows = rows.filter(date_created__lt=until)
    return rows


class ExecutionList(ReleasesResponse, APIView):
    # An API key's read also asks what the create's start reads first (api/auth.py).
    reads_start = True

    @extend_schema(
        operation_id="ListExecution",
        parameters=[FLOW_SID, *FILTERS, *PAGING],
        responses={200: RESOURCE, 400: BAD_PARAMETER},
    )
    def get(self, request: Request, flow_sid: str) -> Response:
        flow = flow_for(principal_of(request), flow_sid)
        paging = paging_of(request.query_params)
        filters = filters_of(request.query_params)
        rows = filtered(flow.executions.order_by(*EXECUTION_ORDER), filters)
        executions, next_token = page_of(rows, paging, EXECUTION_KEYSET)
        urls = Urls.of(request)
        items = [execution_json(e, flow, urls) for e in executions]
        url = urls.executions(flow.sid)
        return Response(list_json("executions", items, url, paging, next_token, filters))

    @extend_schema(
        operation_id="CreateExecution",
        parameters=[FLOW_SID],
        request=ExecutionCreateParams,
        responses={201: RESOURCE, 400: BAD_PARAMETER, 409: CONFLICT},
    )
    def post(self, request: Request, flow_sid: str) -> Response:
        principal = principal_of(request)
        flow = flow_for(principal, flow_sid, edit=True)
        params = parse(ExecutionCreateParams, request.data)
        outcome = services.start_execution(
            flow,
            kind="request",
            contact=params["To"],
            flow_address=params["From"],
            parameters=parse_parameters(params.get("Parameters")),
            # Twilio names REST-triggered executions after the request that started them.
            initiated_by=request_sid(request),
            # A test user's run saves the draft first: by the key's creator, as any revision
            # made with the key is.
            author=principal.author,
        )
        body = execution_json(outcome.execution, flow, Urls.of(request), context=False)
        return Response(body, status=status.HTTP_201_CREATED)


class ExecutionDetail(APIView):
    @extend_schema(
        operation_id="FetchExecution", parameters=[FLOW_SID, SID], responses={200: RESOURCE}
    )
    def get(self, request: Request, flow_sid: str, sid: str) -> Response:
        flow = flow_for(principal_of(request), flow_sid)
        return Response(execution_json(execution_for(flow, sid), flow, Urls.of(request)))

    @extend_schema(
        operation_id="UpdateExecution",
        parameters=[FLOW_SID, SID],
        request=ExecutionUpdateParams,
        responses={200: RESOURCE, 400: BAD_PARAMETER, 409: ALREADY_ENDED},
    )
    def post(self, request: Request, flow_sid: str, sid: str) -> Response:
        flow = flow_for(principal_of(request), flow_sid, edit=True)
        execution = execution_for(flow, sid)
        parse(ExecutionUpdateParams, request.data)  # Status=ended is the only update
        ended = services.end_execution(execution)
        return Response(execution_json(ended, flow, Urls.of(request)))

    @extend_schema(
        operation_id="DeleteExecution", parameters=[FLOW_SID, SID], responses={204: None}
    )
    def delete(self, request: Request, flow_sid: str, sid: str) -> Response:
        flow = flow_for(principal_of(request), flow_sid, edit=True)
        services.delete_execution(execution_for(flow, sid))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExecutionContext(APIView):
    @extend_schema(
        operation_id="FetchExecutionContext",
        parameters=[FLOW_SID, EXECUTION_SID],
        responses={200: RESOURCE},
    )
    def get(self, request: Request, flow_sid: str, execution_sid: str) -> Response:
        flow = flow_for(principal_of(request), flow_sid)
        execution = execution_for(flow, execution_sid)
        return Response(execution_context_json(execution, flow, Urls.of(request)))


class ExecutionStepList(APIView):
    @extend_schema(
        operation_id="ListExecutionStep",
        parameters=[FLOW_SID, EXECUTION_SID, *PAGING],
        responses={200: RESOURCE},
    )
    def get(self, request: Request, flow_sid: str, execution_sid: str) -> Response:
        flow = flow_for(principal_of(request), flow_sid)
        execution = execution_for(flow, execution_sid)
        paging = paging_of(request.query_params)
        steps, next_token = page_of(execution.steps.order_by("position"), paging, STEP_KEYSET)
        urls = Urls.of(request)
        items = [step_json(s, execution, flow, urls) for s in steps]
        url = f"{urls.execution(flow.sid, execution.sid)}/Steps"
        return Response(list_json("steps", items, url, paging, next_token))


class ExecutionStepDetail(APIView):
    @extend_schema(
        operation_id="FetchExecutionStep",
        parameters=[FLOW_SID, EXECUTION_SID, STEP],
        responses={200: RESOURCE},
    )
    def get(self, request: Request, flow_sid: str, execution_sid: str, sid: str) -> Response:
        flow = flow_for(principal_of(request), flow_sid)
        execution = execution_for(flow, execution_sid)
        step = step_for(execution, sid)
        return Response(step_json(step, execution, flow, Urls.of(request)))


class ExecutionStepContext(APIView):
    @extend_schema(
        operation_id="FetchExecutionStepContext",
        parameters=[FLOW_SID, EXECUTION_SID, STEP_SID],
        responses={200: RESOURCE},
    )
    def get(self, request: Request, flow_sid: str, execution_sid: str, step_sid: str) -> Response:
        flow = flow_for(principal_of(request), flow_sid)
        execution = execution_for(flow, execution_sid)
        step = step_for(execution, step_sid)
        return Response(step_context_json(step, execution, flow, Urls.of(request)))
