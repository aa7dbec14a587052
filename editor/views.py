"""Server-rendered pages: the flow list, a flow's page, new/import/export/delete.

Views parse, check access through editor.access, call one service and render. Flows of
other teams are 404; viewers may look and export but every write is 403 for them.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from . import services
from .access import Principal, editable_teams, flow_for, user_teams
from .flow_listing import DEFAULT_SORT, sort_headers, sort_of, team_sections
from .flowspec import jsontext
from .flowspec.problems import DocumentError, any_blocking, errors_of, warnings_of
from .flowspec.studio_json import read_document
from .forms import ImportFlowForm, NewFlowForm, source_as_text
from .models import FlowRevision
from .outline import build_outline, locate_problems, state_names
from .samples import SAMPLES
from .services.sync import sync_panel
from .services.test_runs import panel_addresses
from .webhooks.security import public_url

REVISION = re.compile(r"[0-9]{1,9}")
# Beyond this many widgets the server-rendered outline is left out of the flow's page: the
# canvas shows the flow, and rendering a thousand outline rows would slow the page down.
OUTLINE_LIMIT = 250


def principal_of(request: HttpRequest) -> Principal:
    return Principal(user=request.user)


def writable_teams(request: HttpRequest) -> Any:
    """The teams the user may create flows in; none at all means 403."""
    teams = editable_teams(request.user)
    if not teams.exists():
        raise PermissionDenied("Viewers cannot create flows")
    return teams


def teamless(request: HttpRequest) -> HttpResponse | None:
    """Someone in no team at all (a new account) is sent to create one: a flow belongs to a
    team, and "viewers cannot create flows" would not be about them."""
    if user_teams(request.user).exists():
        return None
    messages.info(
        request,
        "Flows belong to a team: create a team first, "
        "or open the invitation link a team owner sent you.",
    )
    return redirect("team_list")


def flow_search(request: HttpRequest) -> str:
    """The search's words, at most 200 characters. A NUL separates words as a space does:
    no name can hold one (the forms' and the API's CharFields refuse it), and PostgreSQL
    refuses it in a query parameter, which would make the search a 500."""
    words = request.GET.get("q", "").replace("\x00", " ")
    return " ".join(words.split())[:200]


@login_required
@require_safe
def flow_list(request: HttpRequest) -> HttpResponse:
    search = flow_search(request)
    sort, sort_note = sort_of(request.GET)
    groups, page_notes = team_sections(request.user, request.GET, search, sort)
    context = {
        "groups": groups,
        "can_create": any(g.can_edit for g in groups),
        "search": search,
        "found": sum(g.count for g in groups),
        "headers": sort_headers(search, sort),
        "kept_sort": "" if sort == DEFAULT_SORT else sort,
        "notes": ([sort_note] if sort_note else []) + page_notes,
    }
    return render(request, "editor/flow_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def flow_new(request: HttpRequest) -> HttpResponse:
    if (elsewhere := teamless(request)) is not None:
        return elsewhere
    teams = writable_teams(request)
    # ?team=…&template=… preselect the choices (links from the flow list).
    initial = {k: v for k in ("team", "template") if (v := request.GET.get(k))}
    form = NewFlowForm(request.POST or None, teams=teams, initial=initial)
    if request.method == "POST" and form.is_valid():
        flow = services.create_flow(
            form.cleaned_data["team"],
            friendly_name=form.cleaned_data["friendly_name"],
            definition=form.definition(),
            commit_message=form.commit_message(),
            author=request.user,
        )
        messages.success(request, f"Created {flow.friendly_name}.")
        return redirect("flow_detail", sid=flow.sid)
    return render(request, "editor/flow_new.html", {"form": form, "samples": SAMPLES})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def flow_import(request: HttpRequest) -> HttpResponse:
    if (elsewhere := teamless(request)) is not None:
        return elsewhere
    teams = writable_teams(request)
    # ?team=… preselects the team (the link under a team with no flows yet).
    initial = {"team": team} if (team := request.GET.get("team")) else {}
    form = ImportFlowForm(request.POST or None, request.FILES or None, teams=teams, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return render(request, "editor/flow_import.html", {"form": form})
    data = form.cleaned_data
    try:
        flow = services.import_flow(
            data["team"],
            data["source"],
            friendly_name=data["friendly_name"] or None,
            author=request.user,
            allow_problems=data["allow_problems"],
        )
    except services.FlowRejected as exc:
        return import_rejected(request, form, exc, teams)
    if flow.errors:
        messages.warning(
            request,
            f"Imported {flow.friendly_name} as an invalid draft with "
            f"{len(flow.errors)} problem{pluralize(len(flow.errors))} to fix.",
        )
    elif flow.warnings:
        # Warnings never stand in the way: the flow is valid, they are listed on its page.
        count = len(flow.warnings)
        messages.success(
            request,
            f"Imported {flow.friendly_name}. It is valid, with {count} "
            f"warning{'' if count == 1 else 's'} to look at.",
        )
    else:
        messages.success(request, f"Imported {flow.friendly_name}.")
    return redirect("flow_detail", sid=flow.sid)


def import_rejected(
    request: HttpRequest, form: ImportFlowForm, exc: services.FlowRejected, teams: Any
) -> HttpResponse:
    """Every error and warning, and the JSON back in the form so it can be fixed or kept."""
    data = form.cleaned_data
    text = source_as_text(data["source"])
    try:
        names = state_names(read_document(data["source"]))
    except DocumentError:
        names = []
    retry = ImportFlowForm(
        initial={
            "text": text or "",
            "team": data["team"].slug,
            "friendly_name": data["friendly_name"],
        },
        teams=teams,
    )
    errors = errors_of(exc.problems)
    context = {
        "form": retry,
        "problems": locate_problems(errors, names),
        "warnings": locate_problems(warnings_of(exc.problems), names),
        "can_keep_as_draft": text is not None and not any_blocking(errors),
    }
    return render(request, "editor/flow_import.html", context, status=400)


@login_required
@require_safe
def flow_detail(request: HttpRequest, sid: str) -> HttpResponse:
    principal = principal_of(request)
    flow = flow_for(principal, sid)
    widgets = list(flow.widgets.all())
    names = [w.name for w in widgets]
    problems = locate_problems(flow.errors, names)
    shown = len(widgets) <= OUTLINE_LIMIT
    outline = build_outline(widgets if shown else [], flow.head.get("initial_state"), problems)
    context = {
        "flow": flow,
        "role": principal.role_in(flow.team),
        "can_edit": principal.can_edit(flow.team),
        "outline": outline,
        "outline_shown": shown,
        "widget_count": len(widgets),
        "problems": problems,
        "warnings": locate_problems(flow.warnings, names),
        "revisions": flow.revisions.select_related("author").defer("definition"),
        # The public URL Twilio is to request (TWILIO_WEBHOOK_BASE_URL behind a proxy).
        "webhook_url": public_url(
            request, reverse("flow_webhook", args=[flow.team.account_sid, flow.sid])
        ),
        "rest_url": request.build_absolute_uri(f"/v2/Flows/{flow.sid}/Executions"),
        "test_addresses_json": jsontext.dumps(panel_addresses(request.user)),
        "twilio_sync": sync_panel(flow),
    }
    return render(request, "editor/flow_detail.html", context)


@login_required
@require_safe
def flow_export(request: HttpRequest, sid: str) -> HttpResponse:
    flow = flow_for(principal_of(request), sid)
    revision = request.GET.get("revision") or None
    if revision is not None and not REVISION.fullmatch(revision):
        raise Http404("No such revision")
    try:
        definition = services.export_flow(flow, int(revision) if revision else None)
    except FlowRevision.DoesNotExist:
        raise Http404("No such revision") from None
    body = jsontext.dumps(definition, indent=2) + "\n"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"{slugify(flow.friendly_name) or flow.sid}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def flow_delete(request: HttpRequest, sid: str) -> HttpResponse:
    flow = flow_for(principal_of(request), sid, edit=True)
    if request.method == "POST":
        name = flow.friendly_name
        services.delete_flow(flow)
        messages.success(request, f"Deleted {name}.")
        return redirect("flow_list")
    return render(request, "editor/flow_confirm_delete.html", {"flow": flow})
