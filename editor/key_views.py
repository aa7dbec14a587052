"""A team's API keys: owners and editors create them (the secret is shown once, on the
response to the POST; the same form posted again makes none: form_tokens.py), owners
revoke any, editors their own; viewers see none."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import form_tokens, services
from .access import may_revoke_key, membership_for, require_editor
from .models import ApiKey, Team
from .team_forms import ApiKeyForm
from .team_views import team_context

KIND = "api_key"  # the form's name in the session's record of used tokens


@login_required
@require_POST
@never_cache  # the page holds the secret: no cache, no back-button copy
def api_key_new(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    require_editor(membership, "create API keys")
    team = membership.team
    token = form_tokens.posted_token(request)
    if record := form_tokens.used(request, KIND, team, token):
        return already_created(request, team, record["sid"], record["label"])
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        context = {**team_context(membership), "key_form": form}
        return render(request, "teams/team_detail.html", context, status=400)
    made = form_tokens.make_once(
        request,
        KIND,
        team,
        lambda token: services.create_api_key(
            team,
            friendly_name=form.cleaned_data["friendly_name"],
            created_by=request.user,
            form_token=token,
        ),
        label,
        already_created,
    )
    if isinstance(made, HttpResponse):
        return made
    key, secret = made
    context = {"team": team, "key": key, "secret": secret}
    return render(request, "teams/api_key_created.html", context, status=201)


def label(key: ApiKey) -> str:
    return key.friendly_name or key.sid


def already_created(request: HttpRequest, team: Team, sid: str, name: str) -> HttpResponse:
    """The answer to a second submit of the same form: nothing made, and why."""
    if team.api_keys.filter(sid=sid).exists():
        text = (
            f"The API key “{name}” was already created; its secret was shown once, when it "
            "was created, and is not stored. If you did not copy it, revoke that key and "
            "create another."
        )
    else:
        text = (
            f"The API key “{name}” was already created, and has since been revoked; nothing "
            "new was created. Create another key if you need one."
        )
    messages.warning(request, text)
    return form_tokens.see_team(team.slug, "keys")


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
