"""Teams, members, users and API keys."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from ..models import ApiKey, Membership, Profile, Role, Team


def ensure_team(slug: str, name: str | None = None) -> Team:
    team, _ = Team.objects.get_or_create(
        slug=slugify(slug)[:50], defaults={"name": name or slug.replace("-", " ").title()}
    )
    return team


def add_member(team: Team, user: Any, role: str = Role.EDITOR) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        team=team, user=user, defaults={"role": role}
    )
    Profile.objects.get_or_create(user=user)
    return membership


def ensure_user(username: str, password: str | None = None) -> Any:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    if password:
        user.set_password(password)
        user.save()
    elif created:
        user.set_unusable_password()
        user.save()
    return user


def create_api_key(
    team: Team, *, friendly_name: str = "", created_by: Any = None
) -> tuple[ApiKey, str]:
    """The secret is returned once; only its hash is kept."""
    key = ApiKey(team=team, friendly_name=friendly_name, created_by=created_by)
    secret = key.set_new_secret()
    key.save()
    return key, secret


def author_sid(user: Any) -> str | None:
    if user is None:
        return None
    try:
        return user.profile.sid  # select_related in list queries avoids a query per row
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        return profile.sid
