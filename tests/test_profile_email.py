"""The profile's email address is where password resets go, so changing it needs the current
password, checked as a sign-in is (editor/account_forms.py): otherwise whoever held a stolen
session could send the account's next password reset to themselves and keep the account."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from .test_sign_in_throttle import clock, sign_in  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def save_profile(client: Client, **fields: str):
    data = {"display_name": "", "avatar_colour": "teal", "email": "", **fields}
    return client.post(reverse("profile"), data)


@pytest.fixture
def session(alice):
    alice.email = "alice@example.com"
    alice.save()
    client = Client()
    client.force_login(alice)
    return client


def email_of(user) -> str:
    user.refresh_from_db()
    return user.email


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "To change your email address, enter your current password."),
        ("wrong", "That is not your current password."),
    ],
)
def test_a_new_email_address_needs_the_current_password(session, alice, password, message):
    response = save_profile(session, email="thief@example.com", current_password=password)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert email_of(alice) == "alice@example.com"


def test_with_the_current_password_the_new_address_is_saved(session, alice):
    response = save_profile(session, email="alice@new.example", current_password="alice-password")

    assert response.status_code == 302
    assert email_of(alice) == "alice@new.example"


def test_the_rest_of_the_profile_needs_no_password(session, alice):
    response = save_profile(session, display_name="Alice L.", email="alice@example.com")

    assert response.status_code == 302
    assert email_of(alice) == "alice@example.com"


def test_guesses_here_count_with_the_sign_in_failures(clock, session, alice):  # noqa: F811
    for _ in range(5):
        assert (
            save_profile(session, email="t@example.com", current_password="no").status_code == 200
        )
        clock.advance(minutes=1)

    response = save_profile(session, email="t@example.com", current_password="alice-password")

    assert response.status_code == 429
    assert "Too many failed password checks" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert email_of(alice) == "alice@example.com"
    assert sign_in(Client(), "alice", "alice-password").status_code == 429
