"""Fields a client cannot set: whatever a request sends, the team comes from the path or the
credentials, the author from who is acting, and SIDs, revisions, dates, roles and secrets
from the server. Each write here succeeds (or is refused as a whole) and never applies them.
The world and its visitors are the permission matrix's (tests/matrix_world.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from editor import services
from editor.models import ApiKey, Flow, Invitation, Membership, Role, Team

from .matrix_world import build_world, visitor

pytestmark = pytest.mark.django_db

FORGED_FLOW = "FW" + "f" * 32
LONG_AGO = "2001-01-01T00:00:00Z"


@pytest.fixture
def world():
    return build_world()


def forged(world) -> dict[str, Any]:
    """Every server-owned field of a flow, in the spellings a client might try."""
    globex = world.globex
    return {
        "Sid": FORGED_FLOW,
        "sid": FORGED_FLOW,
        "AccountSid": globex.account_sid,
        "account_sid": globex.account_sid,
        "team": globex.slug,
        "Team": globex.slug,
        # (AuthorSid is a parameter of its own, which names an owner or editor of the team
        # or is refused: tests/test_api_sdk_requests.py.)
        "author": world.member_sid("viewer"),
        "Revision": "99",
        "revision": 99,
        "version": 99,
        "DateCreated": LONG_AGO,
        "date_created": LONG_AGO,
        "edited_by": "carol",
    }


def v2_post(world, persona: str, url: str, fields: dict[str, Any]) -> Any:
    body = urlencode(fields, doseq=True)
    return visitor(world, persona).post(url, body, content_type="application/x-www-form-urlencoded")


def canvas_post(world, persona: str, url: str, body: dict[str, Any]) -> Any:
    return visitor(world, persona).post(url, json.dumps(body), content_type="application/json")


def recent(moment) -> bool:
    return timezone.now() - moment < timedelta(minutes=5)


DEFINITION = {"FriendlyName": "Forged", "Status": "draft"}


@pytest.mark.parametrize(
    "persona,team", [("key", "acme"), ("editor", "acme"), ("outsider", "globex")]
)
def test_a_flow_made_through_the_api_belongs_to_the_callers_team(world, persona, team):
    from .matrix_routes import definition

    fields = {**forged(world), **DEFINITION, "Definition": definition()}
    if persona == "outsider":  # dave names Acme instead of his own Globex
        fields.update(AccountSid=world.acme.account_sid, team="acme", Team="acme")

    response = v2_post(world, persona, "/v2/Flows", fields)

    assert response.status_code == 201, response.content
    flow = Flow.objects.get(sid=response.json()["sid"])
    assert flow.sid != FORGED_FLOW and flow.team.slug == team
    assert response.json()["account_sid"] == flow.team.account_sid
    acting = {"key": "owner", "editor": "editor", "outsider": "outsider"}[persona]
    assert flow.author == world.users[acting]  # a key's flows are its creator's (alice)
    assert flow.revision == 1 and recent(flow.date_created)


def test_an_api_update_keeps_the_flows_sid_team_and_revision_count(world):
    flow = world.flow
    url = f"/v2/Flows/{flow.sid}"

    response = v2_post(world, "editor", url, {**forged(world), "Status": "draft"})

    assert response.status_code == 200, response.content
    flow.refresh_from_db()
    assert (flow.sid, flow.team, flow.revision) == (world.flow.sid, world.acme, 2)
    assert flow.revisions.get(revision=2).author == world.users["editor"]
    assert not Flow.objects.filter(sid=FORGED_FLOW).exists()


def test_an_api_execution_runs_the_flow_of_its_path(world):
    url = f"/v2/Flows/{world.flow.sid}/Executions"
    fields = {"To": "+15550002222", "From": "+15550003333", "FlowSid": world.globex_flow.sid}
    fields |= {"Sid": "FN" + "f" * 32, "Status": "ended", "AccountSid": world.globex.account_sid}

    response = v2_post(world, "key", url, fields)

    assert response.status_code == 201, response.content
    execution = world.flow.executions.get(sid=response.json()["sid"])
    assert execution.sid != fields["Sid"] and execution.test_user is False
    assert response.json()["account_sid"] == world.acme.account_sid


@pytest.mark.parametrize("action", ["settings", "publish", "save", "import", "edits"])
def test_the_canvas_api_ignores_server_owned_fields(world, action):
    flow = world.flow
    body = {**forged(world), "friendly_name": "Renamed", "commit_message": "Mine"}
    if action in ("import", "edits"):
        body["base_version"] = flow.version
    if action == "import":
        body["definition"] = json.dumps(flow.definition())
    if action == "edits":
        body["ops"] = [{"op": "move_widgets", "offsets": {"menu": {"x": 1, "y": 2}}}]

    response = canvas_post(world, "editor", f"/api/editor/flows/{flow.sid}/{action}", body)

    assert response.status_code == 200, response.content
    after = Flow.objects.get(pk=flow.pk)
    assert (after.sid, after.team, after.date_created) == (flow.sid, world.acme, flow.date_created)
    # The author is the last to make a revision: bob, or still alice; never the forged carol.
    assert after.author in (world.users["owner"], world.users["editor"])
    assert after.edited_by in (None, world.users["editor"])
    if action in ("publish", "save", "import"):  # a new revision, by whoever asked
        assert after.revision == flow.revision + 1
        assert after.revisions.get(revision=after.revision).author == world.users["editor"]
    else:
        assert after.revision == flow.revision


def test_a_new_flow_page_records_who_made_it(world):
    fields = {**forged(world), "friendly_name": "New", "team": "acme", "template": "blank"}

    response = visitor(world, "editor").post("/flows/new/", fields)

    assert response.status_code == 302
    flow = Flow.objects.get(friendly_name="New")
    assert (flow.team, flow.author, flow.revision) == (world.acme, world.users["editor"], 1)
    assert flow.sid != FORGED_FLOW and recent(flow.date_created)


@pytest.mark.parametrize("page", ["new", "copy", "move"])
def test_a_flow_cannot_be_put_in_a_team_its_maker_does_not_edit(world, page):
    url = "/flows/new/" if page == "new" else f"/flows/{world.flow.sid}/{page}/"
    fields = {"friendly_name": "Elsewhere", "team": "globex", "template": "blank"}
    before = (Flow.objects.count(), list(Flow.objects.values_list("sid", "team_id")))

    response = visitor(world, "owner").post(url, fields)

    assert response.status_code in (200, 400)
    assert (Flow.objects.count(), list(Flow.objects.values_list("sid", "team_id"))) == before


def test_renaming_a_team_changes_only_its_name(world):
    fields = {"name": "Acme Corporation", "slug": "hijacked", "account_sid": "AC" + "0" * 32}

    visitor(world, "owner").post("/teams/acme/rename/", fields)

    team = Team.objects.get(pk=world.acme.pk)
    assert (team.name, team.slug, team.account_sid) == (
        "Acme Corporation",
        "acme",
        world.acme.account_sid,
    )


def test_a_new_team_gets_its_own_slug_and_account_sid(world):
    fields = {"name": "Acme", "slug": "acme", "account_sid": world.acme.account_sid}

    visitor(world, "outsider").post("/teams/new/", fields)

    team = Team.objects.exclude(pk__in=[world.acme.pk, world.globex.pk, world.initech.pk]).get()
    assert team.slug != "acme" and team.account_sid != world.acme.account_sid
    assert Membership.objects.get(team=team).user == world.users["outsider"]
    assert not Membership.objects.filter(team=world.acme, user=world.users["outsider"]).exists()


def test_changing_a_role_touches_only_that_member_of_that_team(world):
    fields = {"role": "editor", "team": "globex", "user": world.member_sid("outsider")}
    url = f"/teams/acme/members/{world.member_sid('viewer')}/role/"

    visitor(world, "owner").post(url, fields)

    roles = dict(Membership.objects.values_list("user__username", "role").filter(team=world.acme))
    assert roles == {"alice": Role.OWNER, "bob": Role.EDITOR, "carol": Role.EDITOR}
    assert Membership.objects.get(user=world.users["outsider"]).role == Role.OWNER


def test_an_invitation_is_the_teams_and_its_makers(world):
    forged_sid = "IV" + "f" * 32
    fields = {"role": "viewer", "email": "", "team": "globex", "sid": forged_sid}
    fields |= {"created_by": world.member_sid("editor"), "token": "a" * 40, "expires": "2999-01-01"}

    response = visitor(world, "owner").post("/teams/acme/invitations/", fields)

    assert response.status_code == 201
    made = Invitation.objects.exclude(pk=world.invitation.pk).get()
    assert (made.team, made.created_by, made.role) == (world.acme, world.users["owner"], "viewer")
    assert made.sid != forged_sid and made.expires < timezone.now() + timedelta(days=30)
    assert services.find_invitation("a" * 40) is None
    assert services.find_invitation(response.context["url"].rsplit("/", 2)[-2]) == made


def test_accepting_an_invitation_gives_its_role_not_the_one_asked_for(world):
    url = f"/invite/{world.invitation_token}/"

    visitor(world, "outsider").post(url, {"role": "owner", "team": "globex"})

    joined = Membership.objects.get(team=world.acme, user=world.users["outsider"])
    assert joined.role == Role.VIEWER


def test_an_api_key_is_made_for_the_team_of_the_page_by_whoever_asks(world):
    forged_sid = "SK" + "f" * 32
    fields = {"friendly_name": "ci", "team": "globex", "sid": forged_sid, "secret": "known"}
    fields["created_by"] = world.member_sid("owner")

    response = visitor(world, "editor").post("/teams/acme/keys/", fields)

    assert response.status_code == 201
    key = ApiKey.objects.get(friendly_name="ci")
    assert (key.team, key.created_by) == (world.acme, world.users["editor"])
    assert key.sid != forged_sid and not key.check_secret("known")
    assert response.context["secret"] != "known"


def test_a_profile_cannot_grant_staff_or_change_the_username(world):
    fields = {"display_name": "Carol", "avatar_colour": "teal"}
    fields["email"] = world.users["viewer"].email  # unchanged: a new one needs the password
    fields |= {"username": "root", "is_staff": "on", "is_superuser": "on", "sid": "US" + "f" * 32}
    profile_sid = world.member_sid("viewer")

    visitor(world, "viewer").post("/profile/", fields)

    carol = type(world.users["viewer"]).objects.get(pk=world.users["viewer"].pk)
    assert (carol.username, carol.is_staff, carol.is_superuser) == ("carol", False, False)
    assert carol.profile.sid == profile_sid and carol.profile.display_name == "Carol"


def test_signing_up_cannot_grant_staff(world):
    from .matrix_routes import SIGN_UP

    fields = {**SIGN_UP, "is_staff": "on", "is_superuser": "on", "is_active": ""}

    response = visitor(world, "anonymous").post("/signup/", fields)

    assert response.status_code == 302
    erin = type(world.users["viewer"]).objects.get(username="erin")
    assert (erin.is_staff, erin.is_superuser, erin.is_active) == (False, False, True)
    assert not Membership.objects.filter(user=erin).exists()
