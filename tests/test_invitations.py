"""Invitations: an owner makes a link (shown once, stored as a hash, mailed when an address
is given); a signed-in user or a visitor who signs up joins with it once, before it
expires, even while general sign-up is off."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from editor import services
from editor.models import Invitation, Role, hash_secret

from .team_support import browser_for, messages_of, role_of

pytestmark = pytest.mark.django_db

User = get_user_model()
INVITE_LINK = re.compile(r"http://testserver(/invite/[A-Za-z0-9_-]+/)")


def invite(client, team, **data):
    return client.submit(reverse("invitation_new", args=[team.slug]), data)


def link_of(response) -> str:
    (path,) = set(INVITE_LINK.findall(response.content.decode()))
    return path


@pytest.fixture
def link(team, alice):
    """A viewer's invitation to Acme made by alice, as a path."""
    _, token = services.create_invitation(team, role=Role.VIEWER, created_by=alice)
    return reverse("invitation", args=[token])


PASSWORD = "a-long-passphrase-1"


def sign_up_data(username="erin"):
    return {"username": username, "password1": PASSWORD, "password2": PASSWORD}


# Making one


def test_an_owner_makes_a_link_that_is_shown_once_and_stored_hashed(team, alice):
    client = browser_for(alice)

    response = invite(client, team, role="editor", email="")

    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    path = link_of(response)
    token = path.split("/")[2]
    invitation = Invitation.objects.get()
    assert (invitation.team, invitation.role, invitation.created_by) == (team, "editor", alice)
    assert invitation.token_hash == hash_secret(token)
    assert token not in str(Invitation.objects.values().get())
    assert invitation.expires - timezone.now() > timedelta(days=6, hours=23)
    page = client.get(reverse("team_detail", args=[team.slug])).content.decode()
    assert token not in page
    assert "link only" in page and invitation.sid in page  # listed as pending, revocable


def test_the_link_page_ends_its_sentence_once_after_the_expiry(team, alice):
    # The expiry ends in "a.m." or "p.m.": a full stop after it read "10:04 a.m..".
    page = invite(browser_for(alice), team, role="editor", email="").content.decode()
    assert re.search(r"Until <time [^>]+>[^<]+</time>, whoever opens this link joins Acme", page)
    assert not re.search(r"m\.(</time>)?\.", page)


def test_an_invitation_with_an_address_is_mailed(team, alice):
    response = invite(browser_for(alice), team, role="viewer", email="erin@example.com")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["erin@example.com"]
    assert "Join Acme" in message.subject
    assert link_of(response) in message.body
    assert "as viewer" in message.body


@pytest.mark.parametrize("email", ["not an address", "frank@example"])
def test_a_bad_address_makes_no_invitation_and_comes_back_as_typed(team, alice, email):
    response = invite(browser_for(alice), team, role="viewer", email=email)
    assert response.status_code == 400
    assert not Invitation.objects.exists()
    page = response.content.decode()
    assert f'name="email" value="{email}"' in page
    assert '<option value="viewer" selected>' in page
    assert "Enter a valid email address." in page
    assert mail.outbox == []


# Accepting


def test_a_signed_in_user_accepts_and_joins_with_the_role(link, team, dave):
    client = browser_for(dave)
    page = client.get(link)
    assert page.status_code == 200
    assert "Join Acme" in page.content.decode() and "viewer" in page.content.decode()
    assert role_of(team, dave) is None  # opening the link is not accepting it

    response = client.submit(link, follow=True)

    assert role_of(team, dave) == Role.VIEWER
    assert response.redirect_chain[-1][0] == reverse("team_detail", args=[team.slug])
    assert "You joined Acme as viewer." in messages_of(response)
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == dave and invitation.accepted_at is not None


def test_accepting_needs_the_csrf_token(link, team, dave):
    assert browser_for(dave).post(link).status_code == 403
    assert role_of(team, dave) is None


def test_a_used_invitation_is_refused(link, team, dave, bob):
    browser_for(dave).submit(link)

    again = browser_for(bob).get(link)
    refused = browser_for().submit(link, sign_up_data())

    assert again.status_code == 410 and refused.status_code == 410
    assert "already been used" in again.content.decode()
    assert not User.objects.filter(username="erin").exists()


def test_an_expired_invitation_is_refused(link, team, dave):
    Invitation.objects.update(expires=timezone.now() - timedelta(seconds=1))
    client = browser_for(dave)

    page = client.get(link)
    response = client.submit(link)

    assert page.status_code == 410 and "expired" in page.content.decode()
    assert response.status_code == 410
    assert role_of(team, dave) is None


def test_an_unknown_or_revoked_link_is_404(link, team, alice, dave):
    assert browser_for(dave).get(reverse("invitation", args=["x" * 43])).status_code == 404
    invitation = Invitation.objects.get()
    browser_for(alice).submit(reverse("invitation_revoke", args=[team.slug, invitation.sid]))
    assert not Invitation.objects.exists()
    assert browser_for(dave).submit(link).status_code == 404
    assert role_of(team, dave) is None


def test_a_member_accepting_keeps_their_role_and_leaves_the_link_unused(link, team, bob):
    response = browser_for(bob).submit(link, follow=True)
    assert role_of(team, bob) == Role.EDITOR
    assert "You are already a member of Acme." in messages_of(response)
    assert Invitation.objects.get().accepted_at is None


# Signing up with an invitation


def test_a_visitor_signs_up_with_an_invitation_while_sign_up_is_off(link, team, settings):
    settings.SIGNUP_ENABLED = False
    visitor = browser_for()
    page = visitor.get(link).content.decode()
    assert 'name="password1"' in page
    assert f"{reverse('login')}?next={link}" in page

    response = visitor.submit(link, sign_up_data())

    erin = User.objects.get(username="erin")
    assert response["Location"] == reverse("team_detail", args=[team.slug])
    assert role_of(team, erin) == Role.VIEWER
    assert visitor.session[SESSION_KEY] == str(erin.pk)
    assert Invitation.objects.get().accepted_by == erin
    # Plain sign-up stays closed.
    assert browser_for().submit(reverse("signup"), sign_up_data("frank")).status_code == 403


def test_the_invited_address_is_offered_for_the_account(team, alice):
    _, token = services.create_invitation(team, email="erin@example.com", created_by=alice)
    page = browser_for().get(reverse("invitation", args=[token])).content.decode()
    assert 'value="erin@example.com"' in page


def test_a_bad_sign_up_form_keeps_the_invitation(link, team):
    data = {**sign_up_data(), "password2": "something-else-3"}
    response = browser_for().submit(link, data)
    assert response.status_code == 200
    assert not User.objects.filter(username="erin").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_invitation_used_while_the_form_was_open_leaves_no_account(link, team, dave):
    visitor = browser_for()
    visitor.get(link)
    browser_for(dave).submit(link)  # someone else got there first

    response = visitor.submit(link, sign_up_data())

    assert response.status_code == 410
    assert not User.objects.filter(username="erin").exists()


def test_a_user_who_signs_in_from_the_invitation_comes_back_to_it(link, team, dave):
    visitor = browser_for()
    login = reverse("login") + "?next=" + link
    signed_in = visitor.submit(
        login, {"username": "dave", "password": "dave-password", "next": link}
    )
    assert signed_in["Location"] == link
    visitor.submit(link)
    assert role_of(team, dave) == Role.VIEWER
