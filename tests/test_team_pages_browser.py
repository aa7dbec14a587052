"""The team page in a browser: what cannot be undone (revoking an API key, removing a
member, leaving the team) asks first, and Cancel sends nothing (static/editor/confirm.js);
a field's help, the sign-up form's list of password rules included, is the element its
aria-describedby names (templates/editor/_field.html)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from editor import services
from editor.models import ApiKey, Membership
from tests.browser_support import clipboard_context, new_context, only_loopback

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


def answer(page: Any, accept: bool) -> list[str]:
    """Answer the next confirm() with OK or Cancel; the questions asked are collected."""
    asked: list[str] = []

    def handle(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", handle)
    return asked


def team_page(context: Any, live_server: Any) -> Any:
    page = context.new_page()
    page.goto(f"{live_server.url}/teams/acme/")
    return page


def test_revoking_a_key_asks_first_and_cancel_keeps_it(context, live_server, team, alice):
    key, _ = services.create_api_key(team, friendly_name="ci", created_by=alice)
    page = team_page(context, live_server)
    revoke = page.locator(f"#key-{key.sid} button", has_text="Revoke")
    asked = answer(page, accept=False)
    revoke.click()
    page.wait_for_timeout(300)
    assert asked == [
        f"Revoke {key}? Requests signed with it are refused from then on; this cannot be undone."
    ]
    assert ApiKey.objects.filter(pk=key.pk).exists()
    answer(page, accept=True)
    with page.expect_navigation():
        revoke.click()
    assert not ApiKey.objects.filter(pk=key.pk).exists()


def test_removing_a_member_asks_first(context, live_server, team, alice, bob):
    page = team_page(context, live_server)
    sid = services.profile_of(bob).sid
    asked = answer(page, accept=False)
    page.locator(f"#member-{sid} button", has_text="Remove").click()
    page.wait_for_timeout(300)
    assert asked == ["Remove bob from Acme?"]
    assert Membership.objects.filter(team=team, user=bob).exists()


def test_leaving_the_team_asks_first(chromium, live_server, team, alice, bob):
    context = new_context(chromium, live_server, bob)
    try:
        page = team_page(context, live_server)
        asked = answer(page, accept=False)
        page.get_by_role("button", name="Leave team").click()
        page.wait_for_timeout(300)
        assert asked and asked[0].startswith("Leave Acme?")
        assert Membership.objects.filter(team=team, user=bob).exists()
    finally:
        context.close()


def test_the_password_rules_are_the_help_the_field_points_at(chromium, live_server, settings):
    settings.SIGNUP_ENABLED = True
    context = chromium.new_context()
    context.route("**/*", only_loopback)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/signup/")
        described = page.locator("#id_password1").get_attribute("aria-describedby")
        help_text = page.locator(f"#{described}").inner_text()
        assert "at least 8 characters" in help_text
        assert "commonly used password" in help_text
    finally:
        context.close()


def test_a_long_key_name_leaves_the_key_table_inside_the_page(context, live_server, team, alice):
    key, _ = services.create_api_key(team, friendly_name="x" * 64, created_by=alice)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/teams/acme/")
    wrap = page.locator("section[aria-labelledby=keys-heading] .table-wrap")
    widths = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert widths[0] <= widths[1]
    sid = page.locator(f"#key-{key.sid} .sid").bounding_box()
    line = page.locator(f"#key-{key.sid} .sid").evaluate(
        "e => parseFloat(getComputedStyle(e).lineHeight)"
    )
    assert sid["height"] < 1.5 * line  # the SID on one line


def copied(page: Any) -> tuple[str, str]:
    """The secret the page shows, and what its Copy button put on the clipboard."""
    shown = page.locator("code.secret").inner_text()
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.get_by_role("button", name="Copied", exact=True)).to_be_visible()
    return shown, page.evaluate("navigator.clipboard.readText()")


def test_the_invitation_link_and_a_new_keys_secret_have_a_copy_button(
    chromium, live_server, team, alice
):
    """Shown once, under "Copy … now": each has a Copy button (static/editor/copy.js) that
    puts it on the clipboard, not only text to select by hand."""
    ctx = clipboard_context(chromium, live_server, alice)
    try:
        page = team_page(ctx, live_server)
        page.get_by_role("button", name="Make an invitation link").click()
        link, clipboard = copied(page)
        assert "/invite/" in link and clipboard == link
        page.goto(f"{live_server.url}/teams/acme/")
        page.get_by_role("button", name="Create API key").click()
        secret, clipboard = copied(page)
        assert len(secret) > 20 and clipboard == secret
    finally:
        ctx.close()
