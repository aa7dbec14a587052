"""Names are the users' own and may have no space at all: a flow's 200 characters, a team's
100, a display name's 100. At 1280x800 they wrap (or, in the top bar, are cut short) and no
page grows wider than the window (static/editor/app.css, accounts.css); on a phone's 390
pixels the team page's members are blocks whose role selector and buttons stay in view."""

from __future__ import annotations

import pytest

from editor import services
from editor.models import Role
from editor.samples import load_sample

from .conftest import persona

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


@pytest.fixture
def long_names(team, alice):
    services.rename_team(team, "T" * 100)
    profile = services.profile_of(alice)
    profile.display_name = "D" * 100
    profile.save()
    return services.create_flow(
        team, friendly_name="F" * 200, definition=load_sample("conversations-tutorial")
    )


@pytest.mark.parametrize(
    "path",
    ["/", "/teams/", "/teams/acme/", "/flows/{sid}/delete/", "/flows/{sid}/executions/"],
)
def test_long_names_wrap_inside_the_window(context, live_server, long_names, path):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + path.format(sid=long_names.sid))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280
    wraps = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth)"
    )
    assert all(extra <= 1 for extra in wraps)


def in_view(page, selector: str, width: int) -> list[bool]:
    """Whether each matching element lies wholly inside the window's width."""
    return page.evaluate(
        "([selector, width]) => [...document.querySelectorAll(selector)].map(e => {"
        " const box = e.getBoundingClientRect(); return box.left >= 0 && box.right <= width; })",
        [selector, width],
    )


def test_the_members_of_a_team_fit_a_phone(context, live_server, team, long_names):
    persona(team, "m" * 88 + "@example.com", Role.EDITOR)  # a 100-character username
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/teams/acme/")
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    controls = ".member-table select, .member-table button, .member-table [type=checkbox]"
    # Both roles' selectors and Change buttons, the other member's revoke box and Remove.
    assert in_view(page, controls, 390) == [True] * 6


def test_a_long_member_name_keeps_a_readable_column(context, live_server, team, long_names):
    persona(team, "m" * 88 + "@example.com", Role.EDITOR)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/teams/acme/")
    widths = page.evaluate(
        "[...document.querySelectorAll('.member-table tbody td:first-child')]"
        ".map(cell => cell.getBoundingClientRect().width)"
    )
    assert len(widths) == 2 and min(widths) >= 12 * 16  # at least 12rem
    assert all(in_view(page, ".member-table select, .member-table button", 1280))
