"""Invitations: an owner makes one (the link is shown once, and mailed when an address is
given; the same form posted again makes none: form_tokens.py) or revokes it; whoever opens
the link joins the team, signing up first if they have no account, even while general
sign-up is off: the invitation is the permission."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import form_tokens, services
from .access import membership_for, require_owner
from .account_forms import SignUpForm
from .account_views import BACKEND, throttled
from .models import Invitation, Team
from .team_forms import InvitationForm
from .team_views import team_context

KIND = "invitation"  # the form's name in the session's record of used tokens


@login_required
@require_POST
@never_cache  # the page holds the link: no cache, no back-button copy
def invitation_new(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    require_owner(membership)
    team = membership.team
    token = form_tokens.posted_token(request)
    if record := form_tokens.used(request, KIND, team, token):
        return already_made(request, team, record["sid"], record["label"])
    form = InvitationForm(request.POST)
    if not form.is_valid():
        # The page again, with the role and address as given and the reason under the field.
        context = {**team_context(membership), "invite_form": form}
        return render(request, "teams/team_detail.html", context, status=400)
    made = form_tokens.make_once(
        request,
        KIND,
        team,
        lambda token: services.create_invitation(
            team,
            role=form.cleaned_data["role"],
            email=form.cleaned_data["email"],
            created_by=request.user,
            form_token=token,
        ),
        label,
        already_made,
    )
    if isinstance(made, HttpResponse):
        return made
    invitation, secret = made
    url = request.build_absolute_uri(reverse("invitation", args=[secret]))
    if invitation.email:
        services.send_invitation(invitation, url)
    context = {"team": team, "invitation": invitation, "url": url}
    return render(request, "teams/invitation_created.html", context, status=201)


def label(invitation: Invitation) -> str:
    sent = f"mailed to {invitation.email}" if invitation.email else "link only"
    return f"{invitation.role}, {sent}"


def already_made(request: HttpRequest, team: Team, sid: str, name: str) -> HttpResponse:
    """The answer to a second submit of the same form: nothing made, and why."""
    invitation = team.invitations.filter(sid=sid).first()
    made = f"This invitation ({name}) was already made"
    if invitation is None:
        text = f"{made}, and has since been revoked; nothing new was made."
    elif invitation.accepted_at is not None:
        text = f"{made}, and has since been accepted; nothing new was made."
    elif not invitation.is_pending:
        text = f"{made}, and has since expired; nothing new was made. Make another."
    else:
        text = (
            f"{made}; its link was shown once, when it was made, and is not stored. It is "
            "listed under Invitations: if you did not copy the link, revoke the invitation "
            "there and make another."
        )
    messages.warning(request, text)
    return form_tokens.see_team(team.slug, "invitations")


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, sid: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    require_owner(membership)
    invitation = membership.team.invitations.filter(sid=sid).first()
    if invitation is None:
        raise Http404("No such invitation")
    services.revoke_invitation(invitation)
    messages.success(request, "Revoked the invitation; its link no longer works.")
    return redirect("team_detail", slug=slug)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = services.find_invitation(token)
    if found is None:
        raise Http404("No such invitation")
    reason = services.invitation_refusal(found)
    if reason is not None:
        context = {"invitation": found, "reason": reason}
        return render(request, "teams/invitation.html", context, status=410)
    if request.user.is_authenticated:
        return accept_signed_in(request, found)
    return accept_with_sign_up(request, found)


def accept_signed_in(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    if request.method != "POST":
        return render(request, "teams/invitation.html", {"invitation": invitation})
    try:
        services.accept_invitation(invitation, request.user)
    except services.TeamRefused as exc:
        messages.error(request, str(exc))
        return redirect("team_list")
    messages.success(request, f"You joined {invitation.team.name} as {invitation.role}.")
    return redirect("team_detail", slug=invitation.team.slug)


def accept_with_sign_up(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = SignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST":
        if refused := throttled(request, "sign-ups"):
            return refused
        if form.is_valid():
            try:
                user = services.sign_up(form, invitation)
            except services.TeamRefused as exc:  # used or expired while the form was open
                context = {"invitation": invitation, "reason": str(exc)}
                return render(request, "teams/invitation.html", context, status=410)
            login(request, user, backend=BACKEND)
            messages.success(request, f"Welcome! You joined {invitation.team.name}.")
            return redirect("team_detail", slug=invitation.team.slug)
    context = {"invitation": invitation, "form": form, "login_next": request.path}
    return render(request, "teams/invitation.html", context)
