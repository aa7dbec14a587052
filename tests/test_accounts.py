"""Accounts: sign-up (and turning it off), the header's account menu and the profile.
Passwords, mail and `manage.py add_member`: tests/test_account_passwords.py."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse

from editor.models import AvatarColour, Profile

from .team_support import browser_for, messages_of

pytestmark = pytest.mark.django_db

User = get_user_model()


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


PASSWORD = "a-long-passphrase-1"


def sign_up(client, username="erin", **extra):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.submit(reverse("signup"), data)


# Sign-up


def test_a_visitor_signs_up_and_is_signed_in(settings):
    settings.SIGNUP_ENABLED = True
    visitor = browser_for()
    page = visitor.get(reverse("signup"))
    assert page.status_code == 200
    assert 'name="password2"' in page.content.decode()

    response = sign_up(visitor, email="erin@example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("team_list")
    erin = User.objects.get(username="erin")
    assert erin.email == "erin@example.com"
    assert erin.check_password("a-long-passphrase-1")
    assert Profile.objects.filter(user=erin).exists()
    assert signed_in(visitor)


def test_sign_up_refuses_a_taken_username_and_mismatched_passwords(settings, alice):
    settings.SIGNUP_ENABLED = True
    visitor = browser_for()
    taken = sign_up(visitor, username="ALICE")
    assert taken.status_code == 200
    assert "already exists" in taken.content.decode()
    mismatch = visitor.submit(
        reverse("signup"),
        {"username": "erin", "password1": "a-long-passphrase-1", "password2": "other-pass-2"},
    )
    assert "fields didn" in mismatch.content.decode()  # "…didn't match" (typographic quote)
    assert not User.objects.filter(username="erin").exists()
    assert not signed_in(visitor)


def test_sign_up_can_be_turned_off(settings):
    settings.SIGNUP_ENABLED = False
    visitor = browser_for()

    page = visitor.get(reverse("signup"))
    response = sign_up(visitor)

    assert page.status_code == 403 and "by invitation" in page.content.decode()
    assert response.status_code == 403
    assert not User.objects.filter(username="erin").exists()
    assert reverse("signup") not in visitor.get(reverse("login")).content.decode()


def test_the_login_page_links_sign_up_and_password_reset(settings):
    settings.SIGNUP_ENABLED = True
    page = browser_for().get(reverse("login")).content.decode()
    assert reverse("signup") in page
    assert reverse("password_reset") in page


def test_sign_up_needs_the_csrf_token(settings):
    settings.SIGNUP_ENABLED = True
    data = {"username": "erin", "password1": "a-long-passphrase-1"}
    response = browser_for().post(reverse("signup"), {**data, "password2": data["password1"]})
    assert response.status_code == 403
    assert not User.objects.filter(username="erin").exists()


def test_sign_ups_from_one_ip_are_throttled(settings):
    settings.SIGNUP_ENABLED = True
    visitor = browser_for()
    for number in range(5):
        assert sign_up(visitor, username=f"user{number}").status_code == 302
        visitor.submit(reverse("logout"))

    refused = sign_up(visitor, username="user5")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many sign-ups from your address" in refused.content.decode()
    assert not User.objects.filter(username="user5").exists()


# The header


def test_the_header_shows_the_name_avatar_and_account_menu(alice):
    Profile.objects.filter(user=alice).update(
        display_name="Alice Liddell", avatar_colour=AvatarColour.TEAL
    )
    page = browser_for(alice).get(reverse("flow_list")).content.decode()
    assert "Alice Liddell" in page
    assert ">AL</span>" in page
    assert "background-color: #0b6e73" in page
    for name in ("profile", "team_list", "password_change", "logout"):
        assert f'href="{reverse(name)}"' in page or f'action="{reverse(name)}"' in page


def test_the_header_links_the_admin_for_staff_only(alice):
    assert "/admin/" not in browser_for(alice).get(reverse("flow_list")).content.decode()
    alice.is_staff = True
    alice.save()
    assert 'href="/admin/"' in browser_for(alice).get(reverse("flow_list")).content.decode()


def test_logging_out_is_a_post_from_the_menu(alice):
    client = browser_for(alice)
    assert client.get(reverse("logout")).status_code == 405
    assert client.submit(reverse("logout")).status_code == 302
    assert not signed_in(client)


def test_the_sign_in_page_after_logging_out_says_so(alice):
    response = browser_for(alice).submit(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert messages_of(response) == ["You are signed out."]


# The profile


def test_the_profile_saves_name_colour_and_email(alice):
    client = browser_for(alice)
    page = client.get(reverse("profile")).content.decode()
    assert Profile.objects.get(user=alice).sid in page
    assert page.count('name="avatar_colour"') == len(AvatarColour.values)

    response = client.submit(
        reverse("profile"),
        {
            "display_name": "Alice L.",
            "avatar_colour": "purple",
            "email": "alice@example.com",
            "current_password": "alice-password",  # a new address needs it
        },
    )

    assert response.status_code == 302
    profile = Profile.objects.get(user=alice)
    assert (profile.display_name, profile.avatar_colour) == ("Alice L.", "purple")
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    assert "Alice L." in client.get(reverse("flow_list")).content.decode()


def test_the_profiles_h1_names_the_page_and_the_user_comes_under_it(alice):
    """The h1 was the user's name; other pages' h1s name the page."""
    client = browser_for(alice)
    page = client.get(reverse("profile")).content.decode()
    assert page.count("<h1") == 1 and "<h1>Your profile</h1>" in page
    under = page.split("<h1>Your profile</h1>", 1)[1].split("</form>", 1)[0]
    assert f'title="Your username">{alice.get_username()}</span>' in under
    assert "member-name" not in under  # no display name yet: the username alone

    saved = client.submit(
        reverse("profile"), {"display_name": "Alice L.", "avatar_colour": "teal", "email": ""}
    )
    assert saved.status_code == 302
    page = client.get(reverse("profile")).content.decode()
    assert "<h1>Your profile</h1>" in page
    assert '<span class="member-name">Alice L.</span>' in page
    assert f'title="Your username">{alice.get_username()}</span>' in page


def test_the_profile_refuses_a_colour_outside_the_palette(alice):
    client = browser_for(alice)
    before = Profile.objects.get(user=alice).avatar_colour
    response = client.submit(
        reverse("profile"), {"display_name": "", "avatar_colour": "#ff0000", "email": ""}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Profile.objects.get(user=alice).avatar_colour == before


def test_the_profile_needs_a_signed_in_user():
    response = browser_for().get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
