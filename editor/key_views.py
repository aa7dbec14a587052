"""A team's API keys: owners and editors create them (the secret is shown once, on the
response to the POST), owners revoke any, editors their own; viewers see none."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services
from .access import may_revoke_key, membership_for, require_editor
from .team_forms import ApiKeyForm
from .team_views import team_context


@login_required
@require_POST
@never_cache  # the page holds the secret: no cache, no back-button copy
def api_key_new(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    require_editor(membership, "create API keys")
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        context = {**team_context(membership), "key_form": form}
        return render(request, "teams/team_detail.html", context, status=400)
    key, secret = services.create_api_key(
        membership.team, friendly_name=form.cleaned_data["friendly_name"], created_by=request.user
    )
    context = {"team": membership.team, "key": key, "secret": secret}
    return render(request, "teams/api_key_created.html", context, status=201)


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, slug: str, sid: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    require_editor(membership, "revoke API keys")
    key = membership.team.api_keys.filter(sid=sid).first()
    if key is None:
        raise Http404("No such API key")
    if not may_revoke_key(membership, key):
        raise PermissionDenied("Editors can revoke only the API keys they created.")
    services.revoke_api_key(key)
    messages.success(request, f"Revoked {key}. Requests signed with it are refused from now on.")
    return redirect("team_detail", slug=slug)
