"""Two submits of one API key form at the same moment, on two threads with their own
database connections (PostgreSQL in CI, SQLite too): the unique hash of the form's token
(services/once.py) lets one key through, and the other request answers with the message."""

from __future__ import annotations

import threading

import pytest
from django.db import transaction

from editor.models import ApiKey
from editor.services import once

from .team_support import browser_for
from .test_form_tokens import create_key, key_token
from .test_short_transactions import in_thread

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.both_databases]


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
