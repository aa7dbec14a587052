"""Pull and push from the pages: a flow's "Push to Twilio" and "Pull from Twilio" buttons,
and the team's list of the connected account's flows to pull (editor/services/sync.py).

Owners and editors only (viewers 403, outsiders 404), every change a POST with CSRF. A
refusal because the other side changed too answers 409 with the difference and a button
that goes ahead anyway; any other refusal comes back as a message on the page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .access import flow_for, membership_for, require_editor
from .models import Flow
from .services.push import push_flow
from .services.sync import (
    RemoteGone,
    SyncConflict,
    Synced,
    SyncRefused,
    pull_flow,
    remote_flows,
    sync_panel,
)
from .sids import is_sid
from .views import principal_of


class PushForm(forms.Form):
    message = forms.CharField(required=False, max_length=500, label="Commit message")
    publish = forms.BooleanField(required=False, label="Publish on Twilio")
    force = forms.BooleanField(required=False)


def conflict(request: HttpRequest, flow: Flow, exc: SyncConflict, verb: str, data: Any) -> Any:
    context = {"flow": flow, "verb": verb, "refusal": exc, "data": data}
    return render(request, "editor/flow_sync_conflict.html", context, status=409)


def tell(request: HttpRequest, synced: Synced, done: str) -> None:
    for note in synced.notes:
        messages.warning(request, note)
    messages.success(request, done)


@login_required
@require_POST
def flow_push(request: HttpRequest, sid: str) -> HttpResponse:
    flow = flow_for(principal_of(request), sid, edit=True)
    form = PushForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Keep the commit message under 500 characters.")
        return redirect("flow_detail", sid=sid)
    data = form.cleaned_data
    try:
        synced = push_flow(
            flow, publish=data["publish"], message=data["message"] or None, force=data["force"]
        )
    except SyncConflict as exc:
        return conflict(request, flow, exc, "push", data)
    except SyncRefused as exc:
        messages.error(request, f"Not pushed: {exc}")
        return redirect("flow_detail", sid=sid)
    if not synced.changed:
        done = f"Twilio's {synced.remote_sid} is already this flow; nothing was pushed."
    else:
        made = "Created" if synced.created else "Updated"
        status = "published" if data["publish"] else "a draft"
        done = f"{made} {synced.remote_sid} on Twilio: revision {synced.remote_revision}, {status}."
    tell(request, synced, done)
    return redirect("flow_detail", sid=sid)


@login_required
@require_POST
def flow_pull(request: HttpRequest, sid: str) -> HttpResponse:
    flow = flow_for(principal_of(request), sid, edit=True)
    # The twin in the account the team is connected to now (none if not connected).
    mapping = sync_panel(flow).mapping
    if mapping is None:
        messages.error(
            request,
            "This flow did not come from the team's Twilio account and was never pushed there.",
        )
        return redirect("flow_detail", sid=sid)
    try:
        synced = pull_flow(
            flow.team,
            mapping.remote_sid,
            force=bool(request.POST.get("force")),
            author=request.user,
        )
    except SyncConflict as exc:
        return conflict(request, flow, exc, "pull", {})
    except RemoteGone:
        messages.error(
            request,
            f"Not pulled: {mapping.remote_sid} is no longer in the team's Twilio account "
            f"(deleted there). Push to Twilio to create it there again from {flow.friendly_name}.",
        )
        return redirect("flow_detail", sid=sid)
    except SyncRefused as exc:
        messages.error(request, f"Not pulled: {exc}")
        return redirect("flow_detail", sid=sid)
    if synced.changed:
        done = f"Pulled revision {synced.remote_revision} of {synced.remote_sid} from Twilio."
    else:
        done = f"Already up to date with {synced.remote_sid} on Twilio."
    tell(request, synced, done)
    return redirect("flow_detail", sid=synced.flow.sid)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def twilio_flows(request: HttpRequest, slug: str) -> HttpResponse:
    """The account's flows, each pulled into the team (or not yet); pull those chosen."""
    membership = membership_for(request.user, slug)
    require_editor(membership, "pull flows from Twilio")
    team = membership.team
    if request.method == "POST":
        pull_chosen(request, team)
        return redirect("twilio_flows", slug=slug)
    context: dict[str, Any] = {"team": team, "connected": hasattr(team, "twilio_connection")}
    if context["connected"]:
        try:
            context["remote_flows"] = remote_flows(team)
        except SyncRefused as exc:
            context["refusal"] = str(exc)
    return render(request, "teams/twilio_flows.html", context)


def pull_chosen(request: HttpRequest, team: Any) -> None:
    sids = [s for s in request.POST.getlist("sid") if is_sid(s, "FW")]
    if not sids:
        messages.error(request, "Choose the flows to pull.")
    for sid in sids:
        try:
            synced = pull_flow(team, sid, author=request.user)
        except SyncConflict:
            messages.warning(
                request,
                f"{sid} was not pulled: its flow here has changes that were never pushed. "
                "Pull it from the flow's page to see them.",
            )
            continue
        except SyncRefused as exc:
            messages.error(request, f"{sid} was not pulled: {exc}")
            continue
        what = "Pulled" if synced.changed else "Already up to date:"
        tell(request, synced, f"{what} {synced.flow.friendly_name} ({synced.remote_sid}).")
