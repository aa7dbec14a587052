"""Team pages: the list, creating and renaming a team, members and their roles, leaving,
removing, handing ownership on, and the rule that a team always keeps an owner. Alice owns
Acme, Bob edits, Carol views, Dave (owner of Globex) is an outsider."""

from __future__ import annotations

import pytest
from django.urls import reverse

from editor import services
from editor.models import ApiKey, Membership, Role, Team

from .team_support import browser_for, messages_of, role_of, user_sid

pytestmark = pytest.mark.django_db


def team_url(name: str, team, *args) -> str:
    return reverse(name, args=[team.slug, *args])


# The list and a new team


def test_the_list_shows_the_users_teams_and_roles(alice, bob, dave, team, other_team):
    page = browser_for(bob).get(reverse("team_list")).content.decode()
    assert team.name in page and team.account_sid in page
    assert reverse("team_detail", args=[team.slug]) in page
    assert "editor" in page
    assert other_team.name not in page


def test_a_user_creates_a_team_and_becomes_its_owner(bob, team):
    client = browser_for(bob)

    first = client.submit(reverse("team_new"), {"name": "Acme"})
    second = client.submit(reverse("team_new"), {"name": "Acme"})

    made = Team.objects.exclude(pk=team.pk).order_by("pk")
    assert [t.slug for t in made] == ["acme-2", "acme-3"]
    assert first["Location"] == reverse("team_detail", args=["acme-2"])
    assert second["Location"] == reverse("team_detail", args=["acme-3"])
    assert all(role_of(t, bob) == Role.OWNER for t in made)
    assert all(t.account_sid.startswith("AC") for t in made)


def test_a_team_needs_a_name(bob):
    response = browser_for(bob).submit(reverse("team_new"), {"name": "   "})
    assert response.status_code == 400
    assert "Give the team a name" in response.content.decode()
    assert not Team.objects.filter(memberships__user=bob).exclude(slug="acme").exists()


def test_anonymous_visitors_are_sent_to_sign_in(team):
    for url in (reverse("team_list"), reverse("team_detail", args=[team.slug])):
        response = browser_for().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# Who sees a team's page


def test_an_outsider_gets_404_for_the_page_and_every_change(team, alice, dave):
    client = browser_for(dave)
    assert client.get(team_url("team_detail", team)).status_code == 404
    writes = [
        team_url("team_rename", team),
        team_url("team_leave", team),
        team_url("team_transfer", team),
        team_url("invitation_new", team),
        team_url("api_key_new", team),
        team_url("member_role", team, user_sid(alice)),
        team_url("member_remove", team, user_sid(alice)),
    ]
    for url in writes:
        assert client.submit(url, {"name": "Mine", "role": "owner"}).status_code == 404, url
    assert Team.objects.get(pk=team.pk).name == "Acme"
    assert role_of(team, alice) == Role.OWNER


def test_a_viewer_sees_the_members_read_only(team, alice, bob, carol):
    page = browser_for(carol).get(team_url("team_detail", team)).content.decode()
    assert "alice" in page and "bob" in page and "carol" in page
    assert team_url("member_role", team, user_sid(bob)) not in page
    assert team_url("member_remove", team, user_sid(bob)) not in page
    assert team_url("invitation_new", team) not in page
    assert team_url("team_rename", team) not in page
    assert "API keys" not in page
    assert team_url("team_leave", team) in page


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_only_owners_change_members_and_settings(persona, request, team, alice, bob, carol):
    client = browser_for(request.getfixturevalue(persona))
    refused = [
        (team_url("team_rename", team), {"name": "Mine"}),
        (team_url("member_role", team, user_sid(alice)), {"role": "viewer"}),
        (team_url("member_remove", team, user_sid(alice)), {}),
        (team_url("team_transfer", team), {"member": user_sid(bob)}),
        (team_url("invitation_new", team), {"role": "owner"}),
    ]
    for url, data in refused:
        response = client.submit(url, data)
        assert response.status_code == 403, url
        assert "Only the team&#x27;s owners" in response.content.decode()
    assert Team.objects.get(pk=team.pk).name == "Acme"
    assert role_of(team, alice) == Role.OWNER
    assert not team.invitations.exists()


def test_team_changes_need_the_csrf_token(team, alice):
    client = browser_for(alice)
    response = client.post(team_url("team_rename", team), {"name": "Renamed"})
    assert response.status_code == 403
    assert Team.objects.get(pk=team.pk).name == "Acme"


# Owners at work


def test_an_owner_renames_the_team_and_its_slug_stays(team, alice):
    response = browser_for(alice).submit(team_url("team_rename", team), {"name": "Acme Corp"})
    assert response["Location"] == team_url("team_detail", team)
    team.refresh_from_db()
    assert (team.name, team.slug) == ("Acme Corp", "acme")


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("   ", "Give the team a name."),
        ("A" * 101, "A team&#x27;s name is at most 100 characters."),
    ],
)
def test_a_refused_name_comes_back_as_typed_with_the_reason(team, alice, name, error):
    response = browser_for(alice).submit(team_url("team_rename", team), {"name": name})
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert f'name="name" value="{name.strip()}"' in page or not name.strip()
    assert Team.objects.get(pk=team.pk).name == "Acme"


def test_an_owner_changes_a_members_role(team, alice, bob):
    client = browser_for(alice)
    response = client.submit(
        team_url("member_role", team, user_sid(bob)), {"role": "viewer"}, follow=True
    )
    assert role_of(team, bob) == Role.VIEWER
    assert "bob is now viewer." in messages_of(response)


def test_an_unknown_role_is_refused(team, alice, bob):
    browser_for(alice).submit(team_url("member_role", team, user_sid(bob)), {"role": "admin"})
    assert role_of(team, bob) == Role.EDITOR


def test_an_owner_removes_a_member_and_their_keys(team, alice, bob):
    key, _ = services.create_api_key(team, created_by=bob)
    response = browser_for(alice).submit(
        team_url("member_remove", team, user_sid(bob)), {"revoke_keys": "on"}, follow=True
    )
    assert role_of(team, bob) is None
    assert not ApiKey.objects.filter(pk=key.pk).exists()
    assert "Removed bob from Acme." in messages_of(response)
    assert browser_for(bob).get(team_url("team_detail", team)).status_code == 404


def test_a_removed_members_keys_stay_unless_revoked(team, alice, bob):
    key, _ = services.create_api_key(team, created_by=bob)
    browser_for(alice).submit(team_url("member_remove", team, user_sid(bob)))
    assert role_of(team, bob) is None
    assert ApiKey.objects.filter(pk=key.pk).exists()


def test_a_member_of_another_team_is_404_here(team, alice, dave):
    response = browser_for(alice).submit(
        team_url("member_role", team, user_sid(dave)), {"role": "viewer"}
    )
    assert response.status_code == 404
    assert role_of(dave.memberships.get().team, dave) == Role.OWNER


def test_an_owner_hands_ownership_on(team, alice, bob):
    response = browser_for(alice).submit(
        team_url("team_transfer", team), {"member": user_sid(bob)}, follow=True
    )
    assert (role_of(team, bob), role_of(team, alice)) == (Role.OWNER, Role.EDITOR)
    assert "bob is now an owner of Acme; you are an editor." in messages_of(response)
    # Now an editor, alice may no longer change members.
    refused = browser_for(alice).submit(
        team_url("member_role", team, user_sid(bob)), {"role": "viewer"}
    )
    assert refused.status_code == 403


@pytest.mark.both_databases  # PostgreSQL refused the NUL in its query: a 500
@pytest.mark.parametrize("member", ["US\x00", "US" + "0" * 31 + "\x00", "bob", ""])
def test_handing_ownership_to_no_member_sid_is_404_and_changes_nothing(team, alice, bob, member):
    response = browser_for(alice).submit(team_url("team_transfer", team), {"member": member})

    assert response.status_code == 404
    assert (role_of(team, alice), role_of(team, bob)) == (Role.OWNER, Role.EDITOR)


# The last owner


def test_the_last_owner_cannot_leave(team, alice, bob):
    response = browser_for(alice).submit(team_url("team_leave", team), follow=True)
    assert role_of(team, alice) == Role.OWNER
    assert messages_of(response) == [
        "You are the last owner of Acme: make another member an owner before you leave."
    ]


def test_the_last_owner_cannot_be_demoted_or_removed(team, alice, bob):
    client = browser_for(alice)
    demoted = client.submit(
        team_url("member_role", team, user_sid(alice)), {"role": "editor"}, follow=True
    )
    removed = client.submit(team_url("member_remove", team, user_sid(alice)), follow=True)
    assert role_of(team, alice) == Role.OWNER
    assert messages_of(demoted) == [
        "alice is the last owner of Acme and cannot be demoted: make another member an owner first."
    ]
    assert "cannot be removed" in messages_of(removed)[0]


def test_with_two_owners_either_may_leave(team, alice, bob):
    services.change_role(team, bob, Role.OWNER)
    response = browser_for(alice).submit(team_url("team_leave", team))
    assert response["Location"] == reverse("team_list")
    assert role_of(team, alice) is None
    with pytest.raises(services.TeamRefused):
        services.leave_team(team, bob)  # now the last one


def test_members_other_than_owners_may_leave(team, alice, carol):
    response = browser_for(carol).submit(team_url("team_leave", team), follow=True)
    assert role_of(team, carol) is None
    assert "You left Acme." in messages_of(response)
    assert Membership.objects.filter(team=team).count() == 1
