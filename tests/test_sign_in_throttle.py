"""Wrong passwords and wrong API key secrets slow down, then lock out, per name and per IP.

Time is injected (editor.throttle.clock), never slept through.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editor import services, throttle
from editor.models import AuthThrottle

from .test_api_flows import basic_auth, studio_definition

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(throttle, "clock", clock)
    return clock


def sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def fail(client: Client, clock: Clock, username: str, times: int) -> None:
    """Wrong passwords, each after the slow-down delay of the one before has passed."""
    for _ in range(times):
        response = sign_in(client, username, "wrong")
        assert response.status_code == 200, response.content
        assert b"Please enter a correct username and password" in response.content
        clock.advance(minutes=1)


# The sign-in page


def test_a_locked_out_username_is_refused_even_with_the_right_password(clock, alice):
    client = Client()
    fail(client, clock, "alice", 5)

    response = sign_in(client, "alice", "alice-password")

    # Locked for 15 minutes from the fifth failure, which was a minute ago.
    assert response.status_code == 429
    assert "Too many failed sign-ins; try again in 14 minutes." in response.content.decode()
    assert response["Retry-After"] == str(14 * 60)
    assert not signed_in(client)


def test_the_lock_lifts_once_the_window_has_passed(clock, alice):
    client = Client()
    fail(client, clock, "alice", 5)
    clock.advance(minutes=13, seconds=59)
    assert sign_in(client, "alice", "alice-password").status_code == 429

    clock.advance(seconds=1)
    response = sign_in(client, "alice", "alice-password")

    assert response.status_code == 302
    assert signed_in(client)


def test_it_slows_down_after_three_failures_before_locking_out(clock, alice):
    client = Client()
    for _ in range(3):
        sign_in(client, "alice", "wrong")

    response = sign_in(client, "alice", "alice-password")

    assert response.status_code == 429
    assert "Too many failed sign-ins; try again in 2 seconds." in response.content.decode()
    clock.advance(seconds=2)
    sign_in(client, "alice", "wrong")
    assert "try again in 4 seconds" in sign_in(client, "alice", "wrong").content.decode()
    clock.advance(seconds=4)
    assert sign_in(client, "alice", "alice-password").status_code == 302


def test_a_success_resets_the_count(clock, alice):
    client = Client()
    fail(client, clock, "alice", 4)
    assert sign_in(client, "alice", "alice-password").status_code == 302
    client.logout()

    fail(client, clock, "alice", 4)

    assert sign_in(client, "alice", "alice-password").status_code == 302


def test_every_client_and_every_spelling_of_the_name_shares_the_count(clock, alice):
    fail(Client(), clock, "alice", 2)
    fail(Client(), clock, "ALICE", 2)
    fail(Client(), clock, "Alice", 1)

    response = sign_in(Client(), "alice", "alice-password")

    assert response.status_code == 429


def test_other_usernames_are_not_locked_out_by_one(clock, alice, bob):
    fail(Client(), clock, "alice", 5)

    assert sign_in(Client(), "bob", "bob-password").status_code == 302


def test_an_ip_trying_many_usernames_is_locked_out_too(clock, alice):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(20):
        fail(attacker, clock, f"user{number}", 1)

    refused = sign_in(attacker, "alice", "alice-password")
    elsewhere = sign_in(Client(REMOTE_ADDR="198.51.100.4"), "alice", "alice-password")

    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.content.decode()
    assert elsewhere.status_code == 302


def test_the_admin_sign_in_shares_the_count(clock, alice):
    alice.is_staff = True
    alice.save()
    fail(Client(), clock, "alice", 5)
    admin = Client()

    response = admin.post("/admin/login/", {"username": "alice", "password": "alice-password"})

    assert "Too many failed sign-ins" in response.content.decode()
    assert not signed_in(admin)


def test_attempts_in_flight_count_before_their_passwords_are_checked(clock, db):
    """Parallel guesses (other processes) see each other's attempts, not only their results."""
    attempts = [throttle.Attempt((throttle.USERNAME, "alice")) for _ in range(6)]

    refusals = [attempt.reserve() for attempt in attempts]

    assert refusals[:3] == [None, None, None]
    assert all(refusal is not None for refusal in refusals[3:])


def test_what_was_typed_is_stored_only_as_a_hash(clock, db):
    fail(Client(), clock, "alice'; DROP TABLE auth_user; --", 1)

    keys = AuthThrottle.objects.values_list("key", flat=True)
    assert len(keys) == 2  # the username and the IP
    assert all(len(key) == 64 and set(key) <= set("0123456789abcdef") for key in keys)


def test_rows_older_than_the_window_are_cleared(clock, alice):
    fail(Client(), clock, "alice", 1)
    clock.advance(minutes=15)

    fail(Client(), clock, "bob", 1)

    assert AuthThrottle.objects.count() == 2  # bob's username and the shared IP
    assert sign_in(Client(), "alice", "alice-password").status_code == 302


# API keys (HTTP Basic)


@pytest.fixture
def api_key(team, alice):
    return services.create_api_key(team, created_by=alice)


def api_get(sid: str, secret: str, ip: str = "127.0.0.1", path: str = "/v2/Flows"):
    return Client(REMOTE_ADDR=ip).get(path, headers={"Authorization": basic_auth(sid, secret)})


def test_a_key_with_wrong_secrets_is_throttled_in_twilios_shape(clock, api_key):
    key, secret = api_key
    for _ in range(5):
        assert api_get(key.sid, "wrong").status_code == 401
        clock.advance(minutes=1)

    response = api_get(key.sid, secret)

    assert response.status_code == 429
    assert response["Retry-After"] == str(14 * 60)
    body = response.json()
    assert body["code"] == 20429 and body["status"] == 429
    assert body["message"] == "Too many failed authentications; try again in 14 minutes."
    assert body["more_info"] == "https://www.twilio.com/docs/errors/20429"
    clock.advance(minutes=13, seconds=59)
    assert api_get(key.sid, secret).status_code == 429
    clock.advance(seconds=1)
    assert api_get(key.sid, secret).status_code == 200


def test_a_flow_read_with_the_key_waits_for_the_throttle_and_the_secret(clock, api_key, team):
    """editor/api/auth.py reads the URL's flow with the key: still 429 before the secret is
    looked at, 401 for a wrong one, and the flow only once both pass."""
    key, secret = api_key
    flow = services.create_flow(team, friendly_name="Throttled", definition=studio_definition())
    path = f"/v2/Flows/{flow.sid}/Executions"
    for _ in range(5):
        assert api_get(key.sid, "wrong", path=path).status_code == 401
        clock.advance(minutes=1)

    assert api_get(key.sid, secret, path=path).status_code == 429
    clock.advance(minutes=14)
    assert api_get(key.sid, secret, path=path).status_code == 200


def test_an_ip_trying_many_keys_is_throttled(clock, api_key):
    key, secret = api_key
    for number in range(20):
        api_get(f"SK{number:032x}", "wrong", ip="203.0.113.9")
        clock.advance(minutes=1)

    assert api_get(key.sid, secret, ip="203.0.113.9").status_code == 429
    assert api_get(key.sid, secret, ip="198.51.100.4").status_code == 200


def test_a_right_secret_clears_the_keys_failures_and_writes_nothing_otherwise(clock, api_key):
    key, secret = api_key
    api_get(key.sid, "wrong")
    assert api_get(key.sid, secret).status_code == 200
    assert not AuthThrottle.objects.filter(key=throttle.subject_key(throttle.API_KEY, key.sid))

    with CaptureQueriesContext(connection) as queries:
        assert api_get(key.sid, secret).status_code == 200

    throttle_queries = [q["sql"] for q in queries if "auththrottle" in q["sql"].lower()]
    assert len(throttle_queries) == 1 and throttle_queries[0].startswith("SELECT")
    # The IP's failure stays: a right secret proves the key, not everyone behind the IP.
    assert AuthThrottle.objects.get().failures == 1


# The password change page: its check of the current password counts as a sign-in


def change_password(client: Client, old: str):
    new = "brand-new-pass-9"
    data = {"old_password": old, "new_password1": new, "new_password2": new}
    return client.post(reverse("password_change"), data)


def test_a_stolen_session_cannot_guess_the_current_password_without_limit(clock, alice):
    """Whoever holds a session but not the password may not try passwords on the change
    form any more than on the sign-in page: five wrong ones lock it, the right one too."""
    client = Client()
    client.force_login(alice)
    for _ in range(5):
        wrong = change_password(client, "wrong")
        assert wrong.status_code == 200
        assert "incorrectly" in wrong.content.decode()
        clock.advance(minutes=1)

    response = change_password(client, "alice-password")

    assert response.status_code == 429
    assert "Too many failed password checks; try again in 14 minutes." in (
        response.content.decode()
    )
    assert response["Retry-After"] == str(14 * 60)
    alice.refresh_from_db()
    assert alice.check_password("alice-password")
    # The same count as the sign-in page's: the username is locked there too.
    assert sign_in(Client(), "alice", "alice-password").status_code == 429


def test_the_right_current_password_clears_the_count(clock, alice):
    client = Client()
    client.force_login(alice)
    for _ in range(3):
        change_password(client, "wrong")
        clock.advance(minutes=1)

    assert change_password(client, "alice-password").status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand-new-pass-9")
    assert not AuthThrottle.objects.filter(key=throttle.subject_key(throttle.USERNAME, "alice"))
