"""Two submits of one form at the same moment: the unique hash of the form's token
(services/once.py) lets one key or invitation through, and the other request answers with
the message naming it. Once with the other request run between this one's look at its
session (the token unused) and its insert, once on two threads with their own database
connections (PostgreSQL in CI, SQLite too)."""

from __future__ import annotations

import threading

import pytest
from django.db import transaction

from editor import services
from editor.models import ApiKey, Invitation, Role
from editor.services import once

from .team_support import browser_for
from .test_form_tokens import create_key, invite, key_token, landed, tokens_on
from .test_short_transactions import in_thread

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.both_databases]


def race(monkeypatch, other_request) -> None:
    """Runs `other_request` (its row committed) just before services/once.py's insert, after
    the view found the token unused in its session, as a concurrent request could."""
    raced: list[bool] = []

    class Racing:
        @staticmethod
        def atomic(*args, **kwargs):
            if not raced:
                raced.append(True)
                other_request()
            return transaction.atomic(*args, **kwargs)

    monkeypatch.setattr(once, "transaction", Racing)


def test_two_submits_at_the_same_moment_make_one_key(team, alice, monkeypatch):
    """The other request's key is in first: the unique hash refuses the second row, and
    the answer names the first."""
    client = browser_for(alice)
    token = key_token(client, team)
    race(
        monkeypatch, lambda: services.create_api_key(team, friendly_name="First", form_token=token)
    )
    response = create_key(client, team, token, name="Second")

    assert [key.friendly_name for key in ApiKey.objects.all()] == ["First"]
    assert "“First” was already created" in landed(client, response)[0]


def test_two_invitations_submitted_at_the_same_moment_make_one(team, alice, monkeypatch):
    client = browser_for(alice)
    token = tokens_on(client, team)[0]
    race(monkeypatch, lambda: services.create_invitation(team, role=Role.OWNER, form_token=token))
    response = invite(client, team, token, role="viewer")

    assert list(Invitation.objects.values_list("role", flat=True)) == ["owner"]
    assert "(owner, link only) was already made" in landed(client, response)[0]


def test_two_requests_with_one_token_at_once_make_one_key(team, alice, monkeypatch):
    together = threading.Barrier(2)

    class Together:
        """Both requests reach the insert before either makes it."""

        @staticmethod
        def atomic(*args, **kwargs):
            together.wait(10)
            return transaction.atomic(*args, **kwargs)

    monkeypatch.setattr(once, "transaction", Together)
    first, second = browser_for(alice), browser_for(alice)
    token = key_token(first, team)

    runs = [in_thread(lambda c=c: create_key(c, team, token).status_code) for c in (first, second)]
    for thread, _ in runs:
        thread.join(30)

    assert sorted(outcome.get("value") for _, outcome in runs) == [201, 303]
    assert ApiKey.objects.count() == 1
