"""Team pages: the list of the user's teams, creating one, a team's page (members,
invitations, API keys), renaming and leaving it.

A team the user is not in is a 404 (access.membership_for); viewers see its page read-only;
members, invitations and the name are the owners' to change (403 for others). Every change
is a POST with CSRF; a refusal by the team's rules (the last owner) comes back as a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from . import services
from .access import may_revoke_key, membership_for, require_owner
from .models import Membership, Role, Team, TwilioConnection
from .team_forms import (
    ApiKeyForm,
    InvitationForm,
    TeamNameForm,
    TransferForm,
    TwilioConnectionForm,
)

ROLE_ORDER = {Role.OWNER: 0, Role.EDITOR: 1, Role.VIEWER: 2}


def render_team_list(request: HttpRequest, form: TeamNameForm, status: int = 200) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("team")
        .annotate(members=Count("team__memberships", distinct=True))
        .annotate(flows=Count("team__flows", distinct=True))
        .order_by("team__name")
    )
    context = {"memberships": memberships, "form": form}
    return render(request, "teams/team_list.html", context, status=status)


@login_required
@require_safe
def team_list(request: HttpRequest) -> HttpResponse:
    return render_team_list(request, TeamNameForm())


@login_required
@require_POST
def team_new(request: HttpRequest) -> HttpResponse:
    form = TeamNameForm(request.POST)
    if not form.is_valid():
        return render_team_list(request, form, status=400)
    team = services.create_team(form.cleaned_data["name"], request.user)
    messages.success(request, f"Created {team.name}. You are its owner.")
    return redirect("team_detail", slug=team.slug)


def members_of(team: Team) -> list[Membership]:
    members = list(Membership.objects.filter(team=team).select_related("user__profile"))
    for member in members:
        # Members added outside the app (the admin) may have no profile, hence no SID.
        if not hasattr(member.user, "profile"):
            member.user.profile = services.profile_of(member.user)
    members.sort(key=lambda m: (ROLE_ORDER.get(m.role, 9), m.user.get_username().casefold()))
    return members


def team_context(membership: Membership) -> dict[str, Any]:
    team = membership.team
    is_owner = membership.role == Role.OWNER
    members = members_of(team)
    context: dict[str, Any] = {
        "team": team,
        "role": membership.role,
        "is_owner": is_owner,
        "can_edit": membership.can_edit,
        "members": members,
        "me": membership.user_id,
        "roles": Role.choices,
    }
    if is_owner:
        others = [(m.user.profile.sid, m.user.get_username()) for m in members if m != membership]
        context["rename_form"] = TeamNameForm(initial={"name": team.name})
        context["invite_form"] = InvitationForm()
        context["transfer_form"] = TransferForm(members=others) if others else None
        context["invitations"] = team.invitations.filter(
            accepted_at__isnull=True, expires__gt=timezone.now()
        ).select_related("created_by")
    context["twilio"] = getattr(team, "twilio_connection", None)
    if is_owner:
        context["twilio_form"] = twilio_form(context["twilio"])
    if membership.can_edit:
        keys = list(team.api_keys.select_related("created_by").order_by("-date_created"))
        for key in keys:
            key.revocable = may_revoke_key(membership, key)
        context["api_keys"] = keys
        context["key_form"] = ApiKeyForm()
    return context


def twilio_form(connection: TwilioConnection | None) -> TwilioConnectionForm:
    if connection is None:
        return TwilioConnectionForm()
    initial = {"account_sid": connection.account_sid, "api_key_sid": connection.api_key_sid}
    return TwilioConnectionForm(initial=initial)


@login_required
@require_safe
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    return render(request, "teams/team_detail.html", team_context(membership))


@login_required
@require_POST
def team_rename(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    require_owner(membership)
    form = TeamNameForm(request.POST)
    if not form.is_valid():
        # The page again, with the name as typed and what is wrong with it under the field.
        context = {**team_context(membership), "rename_form": form}
        return render(request, "teams/team_detail.html", context, status=400)
    services.rename_team(membership.team, form.cleaned_data["name"])
    messages.success(request, f"Renamed the team to {form.cleaned_data['name']}.")
    return redirect("team_detail", slug=slug)


@login_required
@require_POST
def team_leave(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    try:
        services.leave_team(membership.team, request.user)
    except services.TeamRefused as exc:
        messages.error(request, str(exc))
        return redirect("team_detail", slug=slug)
    messages.success(request, f"You left {membership.team.name}.")
    return redirect("team_list")
