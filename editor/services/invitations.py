"""Invitations: made by an owner, shown once as a link (and mailed when an address is given),
accepted once by whoever holds the link before it expires."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..models import Invitation, Membership, Role, Team, hash_secret
from .once import form_token_hash, save_once
from .teams import TeamRefused, add_member


def create_invitation(
    team: Team,
    *,
    role: str = Role.EDITOR,
    email: str = "",
    created_by: Any = None,
    form_token: str = "",
) -> tuple[Invitation, str]:
    """The token is returned once; only its hash is kept. A form token that already made
    an invitation of the team raises AlreadyCreated (services/once.py) and makes none."""
    invitation = Invitation(
        team=team,
        role=role,
        email=email,
        created_by=created_by,
        form_token_hash=form_token_hash(form_token),
    )
    token = invitation.set_new_token()
    save_once(invitation, team.invitations.all())
    return invitation, token


def send_invitation(invitation: Invitation, url: str) -> None:
    inviter = invitation.created_by.get_username() if invitation.created_by else "Someone"
    send_mail(
        f"Join {invitation.team.name} on Studio",
        f"{inviter} invites you to join {invitation.team.name} as {invitation.role}.\n\n"
        f"Open this link to accept (it works once, until "
        f"{invitation.expires:%Y-%m-%d %H:%M} UTC):\n\n{url}\n",
        None,
        [invitation.email],
    )


def find_invitation(token: str) -> Invitation | None:
    """The invitation of a token, whatever its state (the page says why one is unusable)."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("team").filter(token_hash=hash_secret(token)).first()


def invitation_refusal(invitation: Invitation) -> str | None:
    if invitation.accepted_at is not None:
        return "This invitation has already been used."
    if invitation.expires <= timezone.now():
        return "This invitation has expired. Ask the team's owner for a new one."
    return None


def accept_invitation(invitation: Invitation, user: Any) -> Membership:
    """Joins the team and uses the invitation up. Inside sign_up's transaction a refusal
    here also rolls back the account just made for it."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("team").get(pk=invitation.pk)
        )
        reason = invitation_refusal(invitation)
        if reason is not None:
            raise TeamRefused(reason)
        team = invitation.team
        if Membership.objects.filter(team=team, user=user).exists():
            # Left unused: it may have been meant for someone else.
            raise TeamRefused(f"You are already a member of {team.name}.")
        membership = add_member(team, user, invitation.role)
        invitation.accepted_by = user
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_by", "accepted_at"])
    return membership


def revoke_invitation(invitation: Invitation) -> None:
    invitation.delete()
