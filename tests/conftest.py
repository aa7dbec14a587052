"""Shared fixtures: the personas, their team, and the corpus location."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.test import Client

from editor import services
from editor.models import Role
from editor.samples import load_sample
from tests import connection_hygiene

# The browser tests' fixtures live here so that every module shares one browser: two
# session fixtures of the same name in two modules would each start Playwright.
from tests.asgi_server import asgi_live_server_fixture  # noqa: F401
from tests.browser_support import (  # noqa: F401
    chromium_fixture,
    context_fixture,
    insecure_cookies_fixture,
)

CORPUS = Path(
    os.environ.get("STUDIO_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")
)
IN_CI = os.environ.get("CI", "").lower() == "true"


def corpus_files(folder: str) -> list[Path]:
    """Files of one corpus folder; in CI a missing corpus fails instead of skipping."""
    files = sorted((CORPUS / folder).glob("*.json"))
    if not files and IN_CI:
        raise RuntimeError(f"the corpus is missing at {CORPUS / folder} (set STUDIO_CORPUS)")
    return files


@pytest.fixture(autouse=True)
def no_connection_left_by_an_ended_thread(request):
    """A thread of the test that used the database must close its connection when it ends
    (tests/connection_hygiene.py)."""
    connection_hygiene.current_test[0] = request.node.nodeid
    yield
    left = connection_hygiene.left_by_ended_threads()
    if left:
        pytest.fail(
            "a thread ended with its database connection open (call connections.close_all()"
            " at its end): " + "; ".join(left)
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, and before it drops the test database: nothing but Django's own
    connection may still be on it (tests/connection_hygiene.py)."""
    yield
    with django_db_blocker.unblock():
        held = connection_hygiene.what_holds_the_test_database()
    if held:
        pytest.fail(held)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas have passwords; PBKDF2 would cost ~0.3 s for each one made.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def team(db):
    return services.ensure_team("acme", "Acme")


@pytest.fixture
def signed(client, team):
    """The test client, signing its requests with a new API key of the team (HTTP Basic,
    as Twilio's SDKs do); one request made already, so the key's first use is written."""
    from .test_api_flows import basic_auth

    key, secret = services.create_api_key(team)
    client.defaults["HTTP_AUTHORIZATION"] = basic_auth(key.sid, secret)
    client.get("/healthz")
    return client


@pytest.fixture
def other_team(db):
    return services.ensure_team("globex", "Globex")


def persona(team, username: str, role: str):
    user = services.ensure_user(username, password=f"{username}-password")
    services.add_member(team, user, role)
    return user


@pytest.fixture
def alice(team):
    """Owner of Acme."""
    return persona(team, "alice", Role.OWNER)


@pytest.fixture
def bob(team):
    """Editor in Acme."""
    return persona(team, "bob", Role.EDITOR)


@pytest.fixture
def carol(team):
    """Viewer in Acme."""
    return persona(team, "carol", Role.VIEWER)


@pytest.fixture
def dave(other_team):
    """Outsider: owner of Globex, nothing in Acme."""
    return persona(other_team, "dave", Role.OWNER)


@pytest.fixture
def tutorial(team, alice):
    """The Conversations tutorial sample, a draft of Acme's."""
    return services.create_flow(
        team, friendly_name="Tutorial", definition=load_sample("conversations-tutorial")
    )


@pytest.fixture
def browser(alice):
    """alice's session, with CSRF checked as a browser's is."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get("/")  # sets the CSRF cookie
    return client


def post(client, url, body):
    """POST a JSON body with the session's CSRF token, as the canvas does."""
    token = client.cookies["csrftoken"].value
    return client.post(
        url, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
