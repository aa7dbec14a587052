"""Copying and moving a flow to another team: only for someone who edits the flow's team
and the target team. A copy is a new draft with new SIDs; a move keeps the SIDs, revisions
and executions, and the flow then answers to the new team's members and keys only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from editor import services
from editor.models import Flow, Role, Status
from editor.samples import load_sample

from .team_support import basic_auth, browser_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(team, alice):
    flow = services.create_flow(
        team, friendly_name="Bots", definition=load_sample("conversations-tutorial"), author=alice
    )
    return services.publish_flow(flow, commit_message="Live", author=alice)


@pytest.fixture
def alice_in_globex(other_team, alice):
    """alice also edits Globex, so she may copy and move flows there."""
    services.add_member(other_team, alice, Role.EDITOR)
    return other_team


def copy(client, flow, team, name=""):
    url = reverse("flow_copy", args=[flow.sid])
    return client.submit(url, {"team": team.slug, "friendly_name": name})


def move(client, flow, team):
    return client.submit(reverse("flow_move", args=[flow.sid]), {"team": team.slug})


# Copy


def test_a_copy_is_a_new_draft_of_the_other_team_with_the_same_definition(
    flow, alice, alice_in_globex
):
    response = copy(browser_for(alice), flow, alice_in_globex, name="Bots for Globex")

    made = Flow.objects.exclude(pk=flow.pk).get()
    assert response["Location"] == reverse("flow_detail", args=[made.sid])
    assert made.sid != flow.sid
    assert (made.team, made.friendly_name) == (alice_in_globex, "Bots for Globex")
    assert made.definition() == flow.definition()
    assert (made.status, made.revision, made.author) == (Status.DRAFT, 1, alice)
    assert made.revisions.get().commit_message == f"Copied from Bots ({flow.sid})"
    flow.refresh_from_db()
    assert (flow.team.slug, flow.revision, flow.status) == ("acme", 2, Status.PUBLISHED)


def test_a_copy_may_stay_in_the_same_team(flow, team, bob):
    client = browser_for(bob)
    page = client.get(reverse("flow_copy", args=[flow.sid])).content.decode()
    assert 'value="Copy of Bots"' in page

    copy(client, flow, team, name="")

    made = Flow.objects.exclude(pk=flow.pk).get()
    assert (made.team, made.friendly_name) == (team, "Bots")


def test_a_copy_keeps_an_invalid_drafts_problems(team, alice, alice_in_globex):
    broken = load_sample("conversations-tutorial")
    broken["states"][0]["transitions"][0]["next"] = "nowhere"
    flow = services.create_flow(
        team, friendly_name="Broken", definition=broken, allow_problems=True
    )
    copy(browser_for(alice), flow, alice_in_globex)
    made = Flow.objects.exclude(pk=flow.pk).get()
    assert not made.valid and made.errors == flow.errors


# Move


def test_a_move_keeps_the_sid_revisions_and_changes_the_team(flow, alice, alice_in_globex):
    response = move(browser_for(alice), flow, alice_in_globex)

    assert response["Location"] == reverse("flow_detail", args=[flow.sid])
    moved = Flow.objects.get(pk=flow.pk)
    assert (moved.sid, moved.team) == (flow.sid, alice_in_globex)
    assert list(moved.revisions.values_list("revision", flat=True)) == [2, 1]
    assert moved.definition() == flow.definition()


def test_after_a_move_only_the_new_teams_members_and_keys_reach_the_flow(
    flow, team, alice, bob, dave, alice_in_globex
):
    acme_key, acme_secret = services.create_api_key(team, created_by=alice)
    globex_key, globex_secret = services.create_api_key(alice_in_globex, created_by=dave)

    move(browser_for(alice), flow, alice_in_globex)

    assert browser_for(bob).get(reverse("flow_detail", args=[flow.sid])).status_code == 404
    assert browser_for(dave).get(reverse("flow_detail", args=[flow.sid])).status_code == 200
    url = f"/v2/Flows/{flow.sid}"
    old = browser_for().get(url, headers={"Authorization": basic_auth(acme_key.sid, acme_secret)})
    new = browser_for().get(
        url, headers={"Authorization": basic_auth(globex_key.sid, globex_secret)}
    )
    assert old.status_code == 404
    assert new.status_code == 200 and new.json()["account_sid"] == alice_in_globex.account_sid


def test_the_move_page_offers_only_the_other_teams_the_user_edits(flow, alice, alice_in_globex):
    services.create_team("Initech", alice)
    hooli = services.create_team("Hooli", services.ensure_user("gavin"))
    services.add_member(hooli, alice, Role.VIEWER)

    page = browser_for(alice).get(reverse("flow_move", args=[flow.sid])).content.decode()

    assert 'value="globex"' in page and 'value="initech"' in page
    assert 'value="acme"' not in page and 'value="hooli"' not in page


def test_a_flow_cannot_go_to_a_team_the_user_only_views(flow, other_team, alice):
    services.add_member(other_team, alice, Role.VIEWER)
    client = browser_for(alice)

    moved = move(client, flow, other_team)
    copied = copy(client, flow, other_team)

    assert moved.status_code == 400 and copied.status_code == 400
    assert "Select a valid choice" in copied.content.decode()
    assert "You edit no other team" in moved.content.decode()
    assert Flow.objects.get().team.slug == "acme"


def test_with_no_other_team_to_edit_the_move_page_says_so(flow, alice):
    page = browser_for(alice).get(reverse("flow_move", args=[flow.sid])).content.decode()
    assert "You edit no other team" in page


# Refusals


def test_viewers_may_neither_copy_nor_move(flow, carol, other_team):
    services.add_member(other_team, carol, Role.OWNER)
    client = browser_for(carol)
    for name in ("flow_copy", "flow_move"):
        assert client.get(reverse(name, args=[flow.sid])).status_code == 403
    assert copy(client, flow, other_team).status_code == 403
    assert move(client, flow, other_team).status_code == 403
    assert list(Flow.objects.values_list("team__slug", flat=True)) == ["acme"]


def test_outsiders_get_404(flow, dave, other_team):
    client = browser_for(dave)
    for name in ("flow_copy", "flow_move"):
        assert client.get(reverse(name, args=[flow.sid])).status_code == 404
    assert copy(client, flow, other_team).status_code == 404
    assert move(client, flow, other_team).status_code == 404
    assert Flow.objects.get().team.slug == "acme"


def test_copy_and_move_need_the_csrf_token(flow, alice, alice_in_globex):
    client = browser_for(alice)
    url = reverse("flow_move", args=[flow.sid])
    assert client.post(url, {"team": "globex"}).status_code == 403
    assert Flow.objects.get().team.slug == "acme"


def test_the_flow_list_and_page_link_copy_and_move_for_editors_only(flow, bob, carol):
    links = [reverse("flow_copy", args=[flow.sid]), reverse("flow_move", args=[flow.sid])]
    for url in (reverse("flow_list"), reverse("flow_detail", args=[flow.sid])):
        editor = browser_for(bob).get(url).content.decode()
        viewer = browser_for(carol).get(url).content.decode()
        assert all(link in editor for link in links), url
        assert not any(link in viewer for link in links), url


def test_move_refuses_the_flows_own_team(flow, team):
    with pytest.raises(services.TeamRefused):
        services.move_flow(flow, team)
