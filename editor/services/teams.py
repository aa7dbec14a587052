"""Teams, members, users and API keys.

A team always keeps at least one owner: the verbs that demote, remove or let an owner go
lock the team's row first, so two owners leaving at the same moment cannot both succeed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from .. import realtime
from ..models import ApiKey, Membership, Profile, Role, Team
from .once import form_token_hash, save_once


class TeamRefused(Exception):
    """A change the team's rules forbid; the message says why, for the person who asked."""


def ensure_team(slug: str, name: str | None = None) -> Team:
    team, _ = Team.objects.get_or_create(
        slug=slugify(slug)[:50], defaults={"name": name or slug.replace("-", " ").title()}
    )
    return team


def free_slug(name: str) -> str:
    base = slugify(name)[:40] or "team"
    slug, n = base, 1
    while Team.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_team(name: str, owner: Any) -> Team:
    """A new team with its creator as owner; the slug (its URL) is made from the name."""
    with transaction.atomic():
        team = Team.objects.create(name=name, slug=free_slug(name))
        add_member(team, owner, Role.OWNER)
    return team


def rename_team(team: Team, name: str) -> Team:
    # The slug stays: it is in links and bookmarks.
    team.name = name
    team.save(update_fields=["name"])
    return team


def add_member(team: Team, user: Any, role: str = Role.EDITOR) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        team=team, user=user, defaults={"role": role}
    )
    Profile.objects.get_or_create(user=user)
    return membership


def locked_membership(team: Team, user: Any) -> Membership:
    """The member's row, with the team locked against other membership changes."""
    Team.objects.select_for_update().filter(pk=team.pk).first()
    membership = Membership.objects.filter(team=team, user=user).first()
    if membership is None:
        raise TeamRefused(f"{user.get_username()} is not a member of {team.name}.")
    return membership


def refuse_last_owner(membership: Membership, message: str) -> None:
    if membership.role != Role.OWNER:
        return
    owners = Membership.objects.filter(team=membership.team_id, role=Role.OWNER).count()
    if owners <= 1:
        raise TeamRefused(message)


def last_owner_message(team: Team, user: Any, doing: str) -> str:
    return (
        f"{user.get_username()} is the last owner of {team.name} and cannot {doing}: "
        "make another member an owner first."
    )


def change_role(team: Team, user: Any, role: str) -> Membership:
    with transaction.atomic():
        membership = locked_membership(team, user)
        if role != Role.OWNER:
            refuse_last_owner(membership, last_owner_message(team, user, "be demoted"))
        membership.role = role
        membership.save(update_fields=["role"])
        realtime.access_changed(user.pk)
    return membership


def remove_member(team: Team, user: Any, *, revoke_keys: bool = False) -> None:
    """Also revoke the API keys the member made when asked: a key outlives its maker, and a
    removed member who kept a secret would otherwise keep the team's API."""
    with transaction.atomic():
        membership = locked_membership(team, user)
        refuse_last_owner(membership, last_owner_message(team, user, "be removed"))
        membership.delete()
        realtime.access_changed(user.pk)
        if revoke_keys:
            ApiKey.objects.filter(team=team, created_by=user).delete()


def leave_team(team: Team, user: Any) -> None:
    with transaction.atomic():
        membership = locked_membership(team, user)
        refuse_last_owner(
            membership,
            f"You are the last owner of {team.name}: make another member an owner "
            "before you leave.",
        )
        membership.delete()
        realtime.access_changed(user.pk)


def transfer_ownership(team: Team, owner: Any, to: Any) -> Membership:
    """`to` becomes an owner and `owner` an editor."""
    with transaction.atomic():
        current = locked_membership(team, owner)
        if current.role != Role.OWNER:
            raise TeamRefused("Only an owner can hand ownership on.")
        target = locked_membership(team, to)
        if target.pk == current.pk:
            raise TeamRefused("You are already the owner.")
        target.role = Role.OWNER
        target.save(update_fields=["role"])
        current.role = Role.EDITOR
        current.save(update_fields=["role"])
        realtime.access_changed(owner.pk)
        realtime.access_changed(to.pk)
    return target


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
    team: Team, *, friendly_name: str = "", created_by: Any = None, form_token: str = ""
) -> tuple[ApiKey, str]:
    """The secret is returned once; only its hash is kept. A form token that already made
    a key of the team raises AlreadyCreated (services/once.py) and makes none."""
    key = ApiKey(
        team=team,
        friendly_name=friendly_name,
        created_by=created_by,
        form_token_hash=form_token_hash(form_token),
    )
    secret = key.set_new_secret()
    save_once(key, team.api_keys.all())
    return key, secret


def revoke_api_key(key: ApiKey) -> None:
    # Deleted, not flagged: nothing refers to a key, and a deleted key cannot be misused.
    key.delete()


def author_sid(user: Any) -> str | None:
    if user is None:
        return None
    try:
        return user.profile.sid  # select_related in list queries avoids a query per row
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        return profile.sid


def team_editor_by_sid(team: Team, sid: str) -> Any:
    """The owner or editor of `team` whose public SID (author_sid) is `sid`, or None: the
    Studio API's AuthorSid names who a revision is by."""
    membership = (
        Membership.objects.filter(
            team=team, user__profile__sid=sid, role__in=[Role.OWNER, Role.EDITOR]
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None
