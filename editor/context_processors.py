"""What every page's header needs: the signed-in person's name and avatar, and whether
visitors may sign up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import AvatarColour, Profile


@dataclass(frozen=True)
class Account:
    name: str
    initials: str
    colour: str


def account_of(user: Any) -> Account | None:
    if not user.is_authenticated:
        return None
    # Read, never created, on a GET: a user made outside the app gets a profile when they
    # first save theirs.
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        profile = Profile(user=user, avatar_colour=AvatarColour.SLATE)
    return Account(name=profile.name, initials=profile.initials, colour=profile.colour_hex)


def account(request: HttpRequest) -> dict[str, Any]:
    # Lazy: pages that show no header (errors raised early, the API) cost no query.
    return {
        "account": SimpleLazyObject(lambda: account_of(request.user)),
        "signup_enabled": settings.SIGNUP_ENABLED,
    }
