"""A reload of the page that shows an API key's secret or an invitation's link once (the
browser posts the form again), or a double click on Create, makes nothing new: the form's
one-time token (editor/form_tokens.py) was used, so the answer is a 303 to the team page
with a message naming what the first submit made. A new rendering of the form makes a new
token; a POST without one (an API client) creates as it always did."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from editor import form_tokens, services
from editor.models import ApiKey, Invitation, Role, hash_secret

from .team_support import browser_for, messages_of

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([A-Za-z0-9_-]{40,})">')
SECRET = re.compile(r'<code class="copyable secret">([^<]+)</code>')


def tokens_on(client, team) -> list[str]:
    """The tokens of the team page's forms, in page order (invitations, then API keys)."""
    return TOKEN.findall(client.get(reverse("team_detail", args=[team.slug])).content.decode())


def key_token(client, team) -> str:
    return tokens_on(client, team)[-1]


def create_key(client, team, token: str | None, name: str = "CI"):
    data = {"friendly_name": name} | ({"form_token": token} if token is not None else {})
    return client.submit(reverse("api_key_new", args=[team.slug]), data)


def invite(client, team, token: str | None, **data):
    data |= {"form_token": token} if token is not None else {}
    return client.submit(reverse("invitation_new", args=[team.slug]), data)


def landed(client, response) -> list[str]:
    """The messages of the team page a 303 leads to."""
    assert response.status_code == 303
    return messages_of(client.get(response["Location"]))


# API keys


def test_the_team_page_gives_each_form_a_new_token_every_time(team, alice):
    client = browser_for(alice)
    first, second = tokens_on(client, team), tokens_on(client, team)
    assert len(first) == 2 and len(set(first + second)) == 4


def test_both_forms_ask_the_browser_to_send_them_once(team, alice):
    page = browser_for(alice).get(reverse("team_detail", args=[team.slug])).content.decode()
    forms = re.findall(r'<form method="post" action="([^"]+)"[^>]* data-submit-once>', page)
    assert forms == ["/teams/acme/invitations/#invitations", "/teams/acme/keys/#keys"]
    assert "/static/editor/submit_once.js" in page


def test_a_reload_of_the_new_key_page_creates_nothing_and_names_the_key(team, alice):
    client = browser_for(alice)
    token = key_token(client, team)
    assert create_key(client, team, token).status_code == 201

    again = create_key(client, team, token)

    assert again.status_code == 303
    assert again["Location"] == f"/teams/{team.slug}/#keys"
    assert "no-store" in again["Cache-Control"]
    assert not SECRET.search(again.content.decode())
    assert ApiKey.objects.count() == 1
    assert landed(client, again) == [
        "The API key “CI” was already created; its secret was shown once, when it was "
        "created, and is not stored. If you did not copy it, revoke that key and create "
        "another."
    ]


def test_an_unnamed_key_is_named_by_its_sid(team, bob):
    client = browser_for(bob)
    token = key_token(client, team)
    create_key(client, team, token, name="")
    (key,) = ApiKey.objects.all()
    assert f"“{key.sid}” was already created" in landed(client, create_key(client, team, token))[0]


def test_a_new_token_creates_another_key(team, alice):
    client = browser_for(alice)
    assert create_key(client, team, key_token(client, team)).status_code == 201
    assert create_key(client, team, key_token(client, team)).status_code == 201
    assert ApiKey.objects.count() == 2


def test_a_post_without_a_token_creates_every_time(team, alice):
    client = browser_for(alice)
    assert create_key(client, team, None).status_code == 201
    assert create_key(client, team, None).status_code == 201
    assert create_key(client, team, "").status_code == 201
    assert ApiKey.objects.filter(form_token_hash=None).count() == 3


def test_the_session_keeps_no_secret_and_no_token_in_clear(team, alice):
    client = browser_for(alice)
    token = key_token(client, team)
    (secret,) = SECRET.findall(create_key(client, team, token).content.decode())
    invite_token = tokens_on(client, team)[0]
    (link,) = SECRET.findall(invite(client, team, invite_token, role="viewer").content.decode())

    stored = Session.objects.get(session_key=client.session.session_key)
    raw = stored.session_data + str(stored.get_decoded())
    for clear in (secret, token, invite_token, link.rsplit("/", 2)[-2]):
        assert clear not in raw
    assert hash_secret(token) in client.session[form_tokens.SESSION_KEY]


def test_a_reload_after_the_key_was_revoked_still_creates_nothing(team, alice):
    client = browser_for(alice)
    token = key_token(client, team)
    create_key(client, team, token)
    services.revoke_api_key(ApiKey.objects.get())

    messages = landed(client, create_key(client, team, token))

    assert ApiKey.objects.count() == 0
    assert messages == [
        "The API key “CI” was already created, and has since been revoked; nothing new was "
        "created. Create another key if you need one."
    ]


def test_the_key_made_by_a_token_is_found_when_the_session_lost_it(team, alice):
    """Two submits at once each read the session before either wrote it: the key's row
    carries the token's hash, so the second finds it (another session stands in here)."""
    token = key_token(browser_for(alice), team)
    create_key(browser_for(alice), team, token)
    other = browser_for(alice)

    messages = landed(other, create_key(other, team, token, name="Other"))

    assert ApiKey.objects.count() == 1
    assert "“CI” was already created" in messages[0]


def test_another_teams_token_is_refused(team, other_team, alice):
    services.add_member(other_team, alice, Role.EDITOR)
    client = browser_for(alice)
    token = key_token(client, team)
    create_key(client, team, token)

    assert create_key(client, other_team, token).status_code == 403
    assert list(ApiKey.objects.values_list("team__slug", flat=True)) == ["acme"]


def test_another_teams_invitation_token_is_refused(team, other_team, alice):
    services.add_member(other_team, alice, Role.OWNER)
    client = browser_for(alice)
    token = tokens_on(client, team)[0]
    invite(client, team, token, role="viewer")

    assert invite(client, other_team, token, role="viewer").status_code == 403
    assert list(Invitation.objects.values_list("team__slug", flat=True)) == ["acme"]


def test_a_refused_name_keeps_the_token_for_the_corrected_form(team, alice):
    client = browser_for(alice)
    token = key_token(client, team)

    refused = create_key(client, team, token, name="x" * 65)

    assert refused.status_code == 400
    assert token in TOKEN.findall(refused.content.decode())
    assert create_key(client, team, token).status_code == 201


def test_the_session_remembers_only_the_recent_tokens(team, alice, monkeypatch):
    monkeypatch.setattr(form_tokens, "KEEP", 2)
    client = browser_for(alice)
    tokens = [key_token(client, team) for _ in range(3)]
    for token in tokens:
        create_key(client, team, token)

    remembered = client.session[form_tokens.SESSION_KEY]
    assert list(remembered) == [hash_secret(token) for token in tokens[1:]]
    # The oldest, forgotten by the session, is still found by its key's row.
    assert create_key(client, team, tokens[0]).status_code == 303
    assert ApiKey.objects.count() == 3


def test_a_viewer_with_a_used_token_is_still_refused(team, alice, carol):
    client = browser_for(alice)
    token = key_token(client, team)
    create_key(client, team, token)
    assert create_key(browser_for(carol), team, token).status_code == 403


# Invitations


def test_a_reload_of_the_invitation_page_makes_nothing_and_mails_nothing(team, alice):
    client = browser_for(alice)
    token = tokens_on(client, team)[0]
    assert invite(client, team, token, role="editor", email="erin@example.com").status_code == 201

    again = invite(client, team, token, role="editor", email="erin@example.com")

    assert again["Location"] == f"/teams/{team.slug}/#invitations"
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1
    assert landed(client, again) == [
        "This invitation (editor, mailed to erin@example.com) was already made; its link "
        "was shown once, when it was made, and is not stored. It is listed under "
        "Invitations: if you did not copy the link, revoke the invitation there and make "
        "another."
    ]


def test_a_new_token_or_none_makes_another_invitation(team, alice):
    client = browser_for(alice)
    assert invite(client, team, tokens_on(client, team)[0], role="viewer").status_code == 201
    assert invite(client, team, tokens_on(client, team)[0], role="viewer").status_code == 201
    assert invite(client, team, None, role="viewer").status_code == 201
    assert invite(client, team, None, role="viewer").status_code == 201
    assert Invitation.objects.count() == 4


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("revoke", "(viewer, link only) was already made, and has since been revoked"),
        ("accept", "(viewer, link only) was already made, and has since been accepted"),
        ("expire", "(viewer, link only) was already made, and has since expired"),
    ],
)
def test_a_reload_says_what_became_of_the_invitation(change, said, team, alice, dave):
    client = browser_for(alice)
    token = tokens_on(client, team)[0]
    invite(client, team, token, role="viewer")
    invitation = Invitation.objects.get()
    if change == "revoke":
        services.revoke_invitation(invitation)
    elif change == "accept":
        services.accept_invitation(invitation, dave)
    else:
        Invitation.objects.update(expires=timezone.now())

    messages = landed(client, invite(client, team, token, role="viewer"))

    assert said in messages[0]
    assert Invitation.objects.count() == (0 if change == "revoke" else 1)


def test_a_key_form_token_does_not_count_for_the_invitation_form(team, alice):
    client = browser_for(alice)
    token = key_token(client, team)
    create_key(client, team, token)
    assert invite(client, team, token, role="viewer").status_code == 201
