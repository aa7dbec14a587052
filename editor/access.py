"""Every permission decision. What a principal may not see does not exist for it (404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import ApiKey, Flow, FlowQuerySet, Membership, Role, Team, reads


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in user (all their teams) or an API key (its one team)."""

    user: Any = None
    api_key: ApiKey | None = None

    @property
    def author(self) -> Any:
        return self.api_key.created_by if self.api_key else self.user

    def flows(self) -> FlowQuerySet:
        if self.api_key is not None:
            return Flow.objects.of_team(self.api_key.team)
        return Flow.objects.visible_to(self.user)

    def role_in(self, team: Team) -> str | None:
        if self.api_key is not None:
            return Role.EDITOR if self.api_key.team_id == team.pk else None
        if not self.user or not self.user.is_authenticated:
            return None
        membership = Membership.objects.filter(team=team, user=self.user).first()
        return membership.role if membership else None

    def can_edit(self, team: Team) -> bool:
        return self.role_in(team) in (Role.OWNER, Role.EDITOR)

    def default_team(self) -> Team | None:
        """Where a new flow goes when the request names no team."""
        if self.api_key is not None:
            return self.api_key.team
        return editable_teams(self.user).first()


def editable_teams(user: Any) -> Any:
    if not user or not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(
        memberships__user=user, memberships__role__in=[Role.OWNER, Role.EDITOR]
    ).order_by("memberships__date_created", "pk")


def user_teams(user: Any) -> Any:
    if not user or not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).order_by("name")


def flow_for(principal: Principal, sid: str, *, edit: bool = False) -> Flow:
    """The flow if the principal may see it (404 otherwise), and edit it when asked (403)."""
    if principal.api_key is not None:
        # The key's read may have found the flow the URL names (api/auth.py key_and_throttle):
        # used once, so a second call in the same request reads it afresh.
        read = getattr(principal.api_key, "flows_read", {})
        flow = read.pop(sid) if sid in read else team_flow(principal.api_key.team, sid)
    else:
        flow = principal.flows().select_related("team").filter(sid=sid).order_by().first()
    if flow is None:
        raise Http404("No such flow")
    if edit and not principal.can_edit(flow.team):
        raise PermissionDenied("Viewers cannot change flows")
    return flow


def team_flow(team: Team, sid: str) -> Flow | None:
    """The team's flow with this SID, in one plain SELECT with no join (the team is known):
    every API request on a flow makes this read (models/reads.py)."""
    column = Flow._meta.get_field
    sql = "SELECT {} FROM {} f WHERE f.{} = %s AND f.{} = %s".format(  # noqa: S608 (own names)
        reads.columns(Flow, "f"),
        reads.table(Flow),
        reads.quote(column("sid").column),
        reads.quote(column("team").column),
    )
    rows = reads.fetch(sql, [sid, team.pk])
    if not rows:
        return None
    flow = reads.instance(Flow, rows[0])
    flow.team = team
    return flow


def membership_for(user: Any, slug: str) -> Membership:
    """The user's membership of a team: a team they are not in does not exist for them."""
    membership = None
    if user and user.is_authenticated:
        membership = (
            Membership.objects.select_related("team").filter(team__slug=slug, user=user).first()
        )
    if membership is None:
        raise Http404("No such team")
    return membership


def require_owner(membership: Membership) -> None:
    """Members, invitations and the team's name are the owners' to change."""
    if membership.role != Role.OWNER:
        raise PermissionDenied("Only the team's owners can change its members and settings.")


def require_editor(membership: Membership, doing: str) -> None:
    if not membership.can_edit:
        raise PermissionDenied(f"Viewers cannot {doing}.")


def may_revoke_key(membership: Membership, key: ApiKey) -> bool:
    """Owners revoke any key of their team; editors only the keys they made."""
    if membership.role == Role.OWNER:
        return True
    return membership.can_edit and key.created_by_id == membership.user_id
