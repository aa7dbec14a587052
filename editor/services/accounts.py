"""People: profiles, and the one-time link that lets a new user choose a password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..models import Profile
from .invitations import accept_invitation


def profile_of(user: Any) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def update_profile(user: Any, *, display_name: str, avatar_colour: str, email: str) -> Profile:
    profile = profile_of(user)
    profile.display_name = display_name
    profile.avatar_colour = avatar_colour
    profile.save(update_fields=["display_name", "avatar_colour"])
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    return profile


def set_password_url(user: Any, base_url: str | None = None) -> str:
    """Django's password-reset link: it works until the password changes (so once) and for
    PASSWORD_RESET_TIMEOUT (three days by default)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return (base_url or settings.SITE_URL).rstrip("/") + path


def sign_up(form: Any, invitation: Any = None) -> Any:
    """The user of a valid sign-up form, with a profile; joined to the invitation's team in
    the same transaction, so an invitation refused meanwhile leaves no account behind."""
    with transaction.atomic():
        user = form.save()
        profile_of(user)
        if invitation is not None:
            accept_invitation(invitation, user)
    return user
