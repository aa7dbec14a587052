"""Names are the users' own and may have no space at all: a flow's 200 characters, a team's
100, a display name's 100. At 1280x800 they wrap (or, in the top bar, are cut short) and no
page grows wider than the window (static/editor/app.css, accounts.css)."""

from __future__ import annotations

import pytest

from editor import services
from editor.samples import load_sample

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
