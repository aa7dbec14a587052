"""Invitations to join a team: a link whose token is stored only as a hash."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..sids import new_sid
from .teams import Role, Team, hash_secret

INVITATION_LIFETIME = timedelta(days=7)


def invitation_sid() -> str:
    return new_sid("IV")


def invitation_expiry() -> datetime:
    return timezone.now() + INVITATION_LIFETIME


class InvitationState(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    EXPIRED = "expired", "Expired"


class Invitation(models.Model):
    """Whoever holds the link may join `team` as `role`, once, until it expires.

    The link is the permission (an invited visitor may sign up even when sign-up is off), so
    its token is 256 random bits, shown once and kept as a hash like an API key's secret.
    """

    sid = models.CharField(max_length=34, unique=True, default=invitation_sid)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    # Where the link was sent, if anywhere; it does not restrict who may accept it.
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    date_created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(default=invitation_expiry)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    # As ApiKey.form_token_hash: the same form submitted twice makes one invitation.
    form_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-date_created"]

    def __str__(self) -> str:
        return f"{self.sid} to {self.team} as {self.role}"

    def set_new_token(self) -> str:
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_secret(token)
        return token

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.expires <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def is_pending(self) -> bool:
        return self.state == InvitationState.PENDING
