"""The executions of a flow: a filtered, paged list, one execution with its steps and their
context snapshots, and ending an active one.

Access is the flow's (editor/access.py): outsiders get 404 for the flow and for every
execution under it, viewers read, editors and owners may also end an execution. An
execution is always looked up under its flow, so another flow's SID in the path is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from . import services
from .access import flow_for
from .execution_filters import (
    Note,
    current_context,
    filter_form,
    filtered,
    last_widget,
    step_rows,
    with_summaries,
)
from .models import Execution, ExecutionStep, Flow, OutboundRequest, TranscriptEntry
from .models.executions import ExecutionStatus
from .pager import PAGE_SIZE, page_of, pager_of
from .views import principal_of


def execution_of(flow: Flow, sid: str) -> Execution:
    execution = Execution.objects.filter(flow=flow, sid=sid).first()
    if execution is None:
        raise Http404("No such execution")
    return execution


@login_required
@require_safe
def flow_executions(request: HttpRequest, sid: str) -> HttpResponse:
    flow = flow_for(principal_of(request), sid)
    form = filter_form(request.GET)
    executions = filtered(flow.executions.order_by("-date_created", "-id"), form)
    # Counted without the row annotations; only the page's rows get them.
    page, page_note = page_of(request.GET, Paginator(executions.defer("state"), PAGE_SIZE))
    start = page.start_index() - 1 if page.paginator.count else 0
    rows = list(with_summaries(executions)[start : start + PAGE_SIZE])
    for execution in rows:
        execution.last_widget = last_widget(execution)
    page.object_list = rows
    context = {
        "flow": flow,
        "form": form,
        "notes": form.notes() + ([Note(page_note)] if page_note else []),
        "filtering": form.active(),
        "page": page,
        "pager": pager_of(request.GET, page),
        "rest_url": request.build_absolute_uri(f"/v2/Flows/{flow.sid}/Executions"),
    }
    return render(request, "editor/execution_list.html", context)


@login_required
@require_safe
def execution_detail(request: HttpRequest, sid: str, execution_sid: str) -> HttpResponse:
    principal = principal_of(request)
    flow = flow_for(principal, sid)
    execution = execution_of(flow, execution_sid)
    context = {
        "flow": flow,
        "execution": execution,
        "detail": execution.state.get("ended_detail"),
        "wait": execution.wait,
        "steps": step_rows(execution),
        "context": current_context(execution),
        "twilio_requests": twilio_requests(execution),
        "can_end": execution.status == ExecutionStatus.ACTIVE and principal.can_edit(flow.team),
    }
    return render(request, "editor/execution_detail.html", context)


def twilio_requests(execution: Execution) -> list[dict[str, Any]]:
    """What the execution asked of Twilio's REST API (the outbox's rows: a refusal or a
    retry shows its error), then the delivery reports of its messages that did not arrive
    (status callbacks noted in the transcript): what went wrong on the wire, where the
    user looks for it."""
    rows: list[dict[str, Any]] = [
        {
            "widget": row.widget,
            "request": row.get_kind_display(),
            "status": row.status,
            "attempts": row.attempts,
            "sid": row.twilio_sid,
            "error": row.error,
        }
        for row in OutboundRequest.objects.filter(execution=execution).order_by("id")
    ]
    if not rows:
        return rows  # no message sent, so no delivery report either
    for entry in TranscriptEntry.objects.filter(execution=execution, kind="outbound"):
        report = entry.as_json()
        if not report.get("sid"):
            continue  # a request that failed for good: its row says so already
        code = report.get("error_code")
        rows.append(
            {
                "widget": report.get("widget", ""),
                "request": "Delivery report",
                "status": report.get("status", ""),
                "sid": report["sid"],
                "error": f"Twilio error {code}" if code else "",
            }
        )
    return rows


@login_required
@require_safe
def execution_step_context(
    request: HttpRequest, sid: str, execution_sid: str, step_sid: str
) -> HttpResponse:
    """One step's whole snapshot, for those too large to show on the execution's page."""
    flow = flow_for(principal_of(request), sid)
    execution = execution_of(flow, execution_sid)
    step = ExecutionStep.objects.filter(execution=execution, sid=step_sid).first()
    if step is None:
        raise Http404("No such step")
    return HttpResponse(step.context or "null", content_type="application/json; charset=utf-8")


@login_required
@require_POST
def execution_end(request: HttpRequest, sid: str, execution_sid: str) -> HttpResponse:
    flow = flow_for(principal_of(request), sid, edit=True)
    execution = execution_of(flow, execution_sid)
    try:
        services.end_execution(execution)
    except services.ExecutionEnded:
        messages.info(request, f"{execution.sid} had already ended.")
    except services.ExecutionBusy as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Ended {execution.sid}.")
    return redirect("execution_detail", sid=flow.sid, execution_sid=execution.sid)
