"""A team's Twilio connection: set on the team page by owners, checked with Twilio's API
(a fake of it on loopback) when saved, its secrets encrypted at rest and never shown."""

from __future__ import annotations

import pytest
import requests
from django.db import connection as db

from editor import crypto, twilio_rest
from editor.models import TwilioConnection

from .team_support import browser_for, messages_of
from .twilio_support import AUTH_TOKEN, TWILIO_ACCOUNT, connect, fake_twilio

pytestmark = pytest.mark.django_db
KEY_SID, KEY_SECRET = "SK" + "5" * 32, "key-secret-wxyz"


@pytest.fixture
def twilio(settings):
    credentials = {TWILIO_ACCOUNT: AUTH_TOKEN, KEY_SID: KEY_SECRET}
    with fake_twilio(credentials) as server:
        settings.TWILIO_API_BASE = server.base
        yield server


def connect_form(alice, **fields):
    data = {"account_sid": TWILIO_ACCOUNT, "auth_token": AUTH_TOKEN, **fields}
    return browser_for(alice).submit("/teams/acme/twilio/", data)


def test_an_owner_connects_the_team_and_twilio_checks_the_token(team, alice, twilio):
    response = connect_form(alice)
    assert response.status_code == 302
    assert twilio.requests == [
        {
            "method": "GET",
            "path": f"/2010-04-01/Accounts/{TWILIO_ACCOUNT}.json",
            "user": TWILIO_ACCOUNT,
            "password": AUTH_TOKEN,
        }
    ]
    saved = TwilioConnection.objects.get(team=team)
    assert saved.account_sid == TWILIO_ACCOUNT and saved.auth_token == AUTH_TOKEN
    assert saved.friendly_name == "Owl Dental" and saved.checked_by == alice
    page = browser_for(alice).get("/teams/acme/")
    assert "Owl Dental" in page.content.decode()
    assert "••••1234" in page.content.decode()
    assert AUTH_TOKEN not in page.content.decode()


def test_the_token_is_encrypted_in_the_database(team, alice, twilio):
    connect_form(alice, api_key_sid=KEY_SID, api_key_secret=KEY_SECRET)
    with db.cursor() as cursor:
        cursor.execute("SELECT * FROM editor_twilioconnection")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert TWILIO_ACCOUNT in row
    assert AUTH_TOKEN not in row and KEY_SECRET not in row
    assert AUTH_TOKEN[-8:] not in row


def test_another_key_cannot_read_the_secrets_and_a_rolled_key_still_can(team, settings):
    settings.FIELD_ENCRYPTION_KEY = "old passphrase"
    connect(team)
    settings.FIELD_ENCRYPTION_KEY = "new passphrase"
    stored = TwilioConnection.objects.get(team=team)
    with pytest.raises(crypto.Unreadable):
        stored.auth_token  # noqa: B018
    assert stored.auth_token_hint == "unreadable"
    settings.FIELD_ENCRYPTION_KEY = "new passphrase, old passphrase"
    assert stored.auth_token == AUTH_TOKEN


def test_credentials_twilio_refuses_are_not_stored(team, alice, twilio):
    response = connect_form(alice, auth_token="0" * 32)
    assert response.status_code == 400
    assert "Twilio did not accept these credentials" in response.content.decode()
    assert "(error 20003)" in response.content.decode()
    assert not TwilioConnection.objects.filter(team=team).exists()


def test_an_unreachable_twilio_is_reported(team, alice, settings):
    with fake_twilio({}) as server:
        base = server.base
    settings.TWILIO_API_BASE = base  # closed now: the connection is refused
    response = connect_form(alice)
    assert response.status_code == 400
    assert "Could not reach Twilio" in response.content.decode()
    assert not TwilioConnection.objects.exists()


def test_an_unreachable_twilio_is_said_in_words_not_a_traceback(team, alice, settings):
    with fake_twilio({}) as server:
        base = server.base
    settings.TWILIO_API_BASE = base
    page = connect_form(alice).content.decode()
    assert "Could not reach Twilio&#x27;s API: the connection to 127.0.0.1 failed." in page
    assert "HTTPConnectionPool" not in page and "Max retries" not in page


def test_a_timeout_and_a_failed_lookup_say_which(settings):
    settings.TWILIO_HTTP_TIMEOUT = 10
    request = requests.Request("GET", "https://api.twilio.com/2010-04-01/Accounts").prepare()
    slow = requests.ReadTimeout("HTTPSConnectionPool(...): Read timed out.", request=request)
    assert twilio_rest.unreachable(slow) == (
        "Could not reach Twilio's API: api.twilio.com did not answer within 10 seconds."
    )
    lookup = requests.ConnectionError(
        "NameResolutionError: Failed to resolve 'api.twilio.com'", request=request
    )
    assert "cannot look up api.twilio.com" in twilio_rest.unreachable(lookup)


def test_an_api_key_is_checked_with_the_key_as_user(team, alice, twilio):
    response = connect_form(alice, auth_token="", api_key_sid=KEY_SID, api_key_secret=KEY_SECRET)
    assert response.status_code == 302
    assert [(r["user"], r["password"]) for r in twilio.requests] == [(KEY_SID, KEY_SECRET)]
    saved = TwilioConnection.objects.get(team=team)
    assert saved.api_key_secret == KEY_SECRET and not saved.verifies_webhooks


def test_a_blank_secret_keeps_the_stored_one_for_the_same_account(team, alice, twilio):
    connect_form(alice)
    response = connect_form(alice, auth_token="", api_key_sid=KEY_SID, api_key_secret=KEY_SECRET)
    assert response.status_code == 302
    users = [(r["user"], r["password"]) for r in twilio.requests]
    assert users[-2:] == [(TWILIO_ACCOUNT, AUTH_TOKEN), (KEY_SID, KEY_SECRET)]
    assert TwilioConnection.objects.get(team=team).auth_token == AUTH_TOKEN


def test_a_stored_secret_never_travels_to_another_account(team, alice, twilio):
    connect_form(alice)
    response = connect_form(alice, account_sid="AC" + "8" * 32, auth_token="")
    assert response.status_code == 400
    assert "auth token, or an API key and its secret" in response.content.decode()
    assert TwilioConnection.objects.get(team=team).account_sid == TWILIO_ACCOUNT


def test_a_malformed_account_sid_never_reaches_twilio(team, alice, twilio):
    response = connect_form(alice, account_sid="AC123")
    assert response.status_code == 400
    assert twilio.requests == []


def test_only_owners_set_the_connection(team, alice, bob, carol, dave, twilio):
    assert browser_for(bob).submit("/teams/acme/twilio/", {}).status_code == 403
    assert browser_for(carol).submit("/teams/acme/twilio/", {}).status_code == 403
    assert browser_for(dave).submit("/teams/acme/twilio/", {}).status_code == 404
    connect(team)
    page = browser_for(bob).get("/teams/acme/").content.decode()
    assert TWILIO_ACCOUNT in page and "••••" not in page and 'name="auth_token"' not in page
    assert twilio.requests == []


def test_an_owner_disconnects_the_team(team, alice):
    connect(team)
    response = browser_for(alice).submit("/teams/acme/twilio/remove/", follow=True)
    assert "Disconnected from Twilio" in " ".join(messages_of(response))
    assert not TwilioConnection.objects.filter(team=team).exists()
    assert "Not connected" in browser_for(alice).get("/teams/acme/").content.decode()


def test_each_twilio_api_can_be_pointed_elsewhere(settings):
    settings.TWILIO_CONVERSATIONS_BASE = "http://127.0.0.1:9/fake"
    url = "https://conversations.twilio.com/v1/Conversations/CH1/Messages?x=1"
    assert twilio_rest.rebase(url) == "http://127.0.0.1:9/fake/v1/Conversations/CH1/Messages?x=1"
    settings.TWILIO_API_BASE = "https://api.twilio.com"
    assert twilio_rest.rebase("https://api.twilio.com/a") == "https://api.twilio.com/a"


def test_the_sdk_ignores_twilio_environment_variables(monkeypatch):
    monkeypatch.setenv("TWILIO_REGION", "au1")
    monkeypatch.setenv("TWILIO_EDGE", "sydney")
    client = twilio_rest.client(TWILIO_ACCOUNT, TWILIO_ACCOUNT, AUTH_TOKEN)
    assert client.region is None and client.edge is None


def test_an_answer_that_is_not_json_is_a_message_not_a_500(team, alice, twilio):
    path = f"/2010-04-01/Accounts/{TWILIO_ACCOUNT}.json"
    twilio.script(
        "GET", path, 200, b"<html>Sign in to the Wi-Fi</html>", {"Content-Type": "text/html"}
    )
    response = connect_form(alice)
    assert response.status_code == 400
    page = response.content.decode().replace("&#x27;", "'")
    assert "Twilio's API sent an answer that could not be read (not JSON)" in page
    assert not TwilioConnection.objects.filter(team=team).exists()
