"""Accounts' passwords and mail: a password changed or reset by mail, the mail settings the
environment chooses, and the one-time set-password link of `manage.py add_member`."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from .team_support import LINK, browser_for
from .test_production_settings import ROOT, SETTINGS_SHOWN, SHOW, bare_env

pytestmark = pytest.mark.django_db

User = get_user_model()


# Passwords


def test_a_user_changes_their_password_and_stays_signed_in(alice):
    client = browser_for(alice)
    url = reverse("password_change")
    wrong = client.submit(
        url,
        {
            "old_password": "nope",
            "new_password1": "brand-new-pass-9",
            "new_password2": "brand-new-pass-9",
        },
    )
    assert wrong.status_code == 200 and "incorrectly" in wrong.content.decode()

    response = client.submit(
        url,
        {
            "old_password": "alice-password",
            "new_password1": "brand-new-pass-9",
            "new_password2": "brand-new-pass-9",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    alice.refresh_from_db()
    assert alice.check_password("brand-new-pass-9")
    assert client.get(reverse("flow_list")).status_code == 200  # the session survived


def reset_link(body: str) -> str:
    links = [link for link in LINK.findall(body) if "/password/reset/" in link]
    assert len(links) == 1, body
    return links[0]


def set_password(client, link: str, password: str):
    """Open the link (Django swaps the token for a session marker) and post a password."""
    opened = client.get(link.split("testserver", 1)[-1])
    assert opened.status_code == 302
    return client.submit(opened["Location"], {"new_password1": password, "new_password2": password})


def test_a_forgotten_password_is_reset_by_mail_once(alice):
    alice.email = "alice@example.com"
    alice.save()
    visitor = browser_for()

    sent = visitor.submit(reverse("password_reset"), {"email": "alice@example.com"})

    assert sent.status_code == 302 and sent["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    link = reset_link(mail.outbox[0].body)
    done = set_password(visitor, link, "brand-new-pass-9")
    assert done["Location"] == reverse("password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password("brand-new-pass-9")
    again = browser_for().get(link.split("testserver", 1)[-1])
    assert "no longer works" in again.content.decode()


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(alice):
    sent = browser_for().submit(reverse("password_reset"), {"email": "nobody@example.com"})
    assert sent["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


MAIL_SETTINGS = [
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "DEFAULT_FROM_EMAIL",
    "SIGNUP_ENABLED",
    "SITE_URL",
]


def settings_with(tmp_path, **variables: str) -> dict:
    env = bare_env(tmp_path, **variables)
    show = SHOW.replace(repr(SETTINGS_SHOWN), repr(MAIL_SETTINGS))
    result = subprocess.run(
        [sys.executable, "-c", show], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_embedded_default_prints_mail_and_lets_anyone_sign_up(tmp_path):
    shown = settings_with(tmp_path)
    assert shown["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert shown["SIGNUP_ENABLED"] is True
    assert shown["SITE_URL"] == "http://127.0.0.1:8000"


def test_an_smtp_host_switches_mail_to_smtp(tmp_path):
    shown = settings_with(
        tmp_path,
        EMAIL_HOST="smtp.example.com",
        EMAIL_PORT="465",
        EMAIL_USE_SSL="true",
        DEFAULT_FROM_EMAIL="studio@example.com",
        SITE_URL="https://studio.example.com/",
    )
    assert shown["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (shown["EMAIL_HOST"], shown["EMAIL_PORT"]) == ("smtp.example.com", 465)
    assert (shown["EMAIL_USE_SSL"], shown["EMAIL_USE_TLS"]) == (True, False)
    assert shown["DEFAULT_FROM_EMAIL"] == "studio@example.com"
    assert shown["SITE_URL"] == "https://studio.example.com"


def test_production_is_invitation_only_unless_sign_up_is_turned_on(tmp_path):
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50}
    assert settings_with(tmp_path, **production)["SIGNUP_ENABLED"] is False
    opened = settings_with(tmp_path, SIGNUP_ENABLED="true", **production)
    assert opened["SIGNUP_ENABLED"] is True


# manage.py add_member


def run_add_member(*args: str) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command("add_member", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def test_add_member_without_a_password_prints_a_one_time_link(team, settings):
    settings.SITE_URL = "https://studio.example.com"

    line, err = run_add_member("acme", "erin", "--role", "editor")

    url = line["set_password_url"]
    assert url.startswith("https://studio.example.com/password/reset/")
    assert "set_password_url" in err
    client = browser_for()
    path = url.removeprefix("https://studio.example.com")
    done = set_password(client, "testserver" + path, "erins-new-pass-1")
    assert done["Location"] == reverse("password_reset_complete")
    assert User.objects.get(username="erin").check_password("erins-new-pass-1")
    assert "no longer works" in browser_for().get(path).content.decode()


def test_add_member_prints_no_link_for_a_user_with_a_password(bob):
    line, err = run_add_member("acme", "bob", "--role", "viewer")
    assert "set_password_url" not in line
    assert err == ""
