"""Changing a team's members: their role, removing them, handing ownership on. Owners only
(access.require_owner); the last owner is protected by the services (TeamRefused)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from . import services
from .access import membership_for, require_owner
from .models import Membership, Team
from .sids import is_sid
from .team_forms import RemoveMemberForm, RoleForm


def member_of(team: Team, sid: str) -> Membership:
    if not is_sid(sid, "US"):  # from a form, not the URL: it may hold anything, NUL included
        raise Http404("No such member")
    membership = (
        Membership.objects.select_related("user").filter(team=team, user__profile__sid=sid).first()
    )
    if membership is None:
        raise Http404("No such member")
    return membership


def owner_and_member(request: HttpRequest, slug: str, sid: str) -> tuple[Team, Membership]:
    mine = membership_for(request.user, slug)
    require_owner(mine)
    return mine.team, member_of(mine.team, sid)


def done(request: HttpRequest, slug: str) -> HttpResponse:
    return redirect("team_detail", slug=slug)


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, sid: str) -> HttpResponse:
    team, member = owner_and_member(request, slug, sid)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose owner, editor or viewer.")
        return done(request, slug)
    role = form.cleaned_data["role"]
    try:
        services.change_role(team, member.user, role)
    except services.TeamRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{member.user.get_username()} is now {role}.")
    return done(request, slug)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, sid: str) -> HttpResponse:
    team, member = owner_and_member(request, slug, sid)
    form = RemoveMemberForm(request.POST)
    revoke_keys = form.is_valid() and form.cleaned_data["revoke_keys"]
    try:
        services.remove_member(team, member.user, revoke_keys=revoke_keys)
    except services.TeamRefused as exc:
        messages.error(request, str(exc))
        return done(request, slug)
    messages.success(request, f"Removed {member.user.get_username()} from {team.name}.")
    if member.user_id == request.user.pk:
        return redirect("team_list")
    return done(request, slug)


@login_required
@require_POST
def team_transfer(request: HttpRequest, slug: str) -> HttpResponse:
    mine = membership_for(request.user, slug)
    require_owner(mine)
    # An unknown member is a 404, like any other member's SID that is not in the team.
    to = member_of(mine.team, request.POST.get("member", "")[:34])
    try:
        services.transfer_ownership(mine.team, request.user, to.user)
    except services.TeamRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"{to.user.get_username()} is now an owner of {mine.team.name}; you are an editor.",
        )
    return done(request, slug)
