"""Copying or moving a flow to another team. Both need the right to edit the flow's team
(outsiders 404, viewers 403) and offer only the teams the user edits, so a flow never
reaches a team whose editors did not let the user in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import services
from .access import editable_teams, flow_for
from .team_forms import FlowTeamForm
from .views import principal_of


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def flow_copy(request: HttpRequest, sid: str) -> HttpResponse:
    flow = flow_for(principal_of(request), sid, edit=True)
    initial = {"team": flow.team.slug, "friendly_name": f"Copy of {flow.friendly_name}"[:200]}
    form = FlowTeamForm(
        request.POST or None, teams=editable_teams(request.user), copy=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        team = form.cleaned_data["team"]
        copy = services.copy_flow(
            flow, team, request.user, friendly_name=form.cleaned_data["friendly_name"]
        )
        messages.success(request, f"Copied {flow.friendly_name} to {team.name} as a new draft.")
        return redirect("flow_detail", sid=copy.sid)
    context = {"flow": flow, "form": form, "copy": True}
    status = 400 if form.is_bound else 200
    return render(request, "teams/flow_copy_move.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def flow_move(request: HttpRequest, sid: str) -> HttpResponse:
    flow = flow_for(principal_of(request), sid, edit=True)
    teams = editable_teams(request.user).exclude(pk=flow.team_id)
    form = FlowTeamForm(request.POST or None, teams=teams, copy=False)
    if request.method == "POST" and form.is_valid():
        team = form.cleaned_data["team"]
        services.move_flow(flow, team, request.user)
        messages.success(request, f"Moved {flow.friendly_name} to {team.name}.")
        return redirect("flow_detail", sid=flow.sid)
    context = {"flow": flow, "form": form, "copy": False, "no_teams": not teams.exists()}
    status = 400 if form.is_bound else 200
    return render(request, "teams/flow_copy_move.html", context, status=status)
