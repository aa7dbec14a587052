"""The flow list's column headers in a browser (the server side: test_flow_list.py)."""

from __future__ import annotations

import pytest

from .test_flow_list import make_flows

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


def names(page):
    return page.locator("#team-acme").locator("xpath=ancestor::section").locator(".flow-name")


def test_clicking_a_header_sorts_and_clicking_it_again_reverses(context, live_server, team):
    make_flows(team, ["beta", "Alpha", "gamma"])  # beta the most recently updated
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    assert names(page).all_inner_texts() == ["beta", "Alpha", "gamma"]

    page.get_by_role("link", name="Name", exact=True).click()
    page.wait_for_url("**/?sort=name")
    assert names(page).all_inner_texts() == ["Alpha", "beta", "gamma"]
    assert page.get_by_role("columnheader", name="Name").get_attribute("aria-sort") == "ascending"

    page.get_by_role("link", name="Name", exact=True).click()
    page.wait_for_url("**/?sort=-name")
    assert names(page).all_inner_texts() == ["gamma", "beta", "Alpha"]
    assert page.get_by_role("columnheader", name="Name").get_attribute("aria-sort") == "descending"
    assert page.get_by_role("columnheader", name="Updated").get_attribute("aria-sort") is None


@pytest.mark.parametrize("width", [1024, 1100])
def test_a_laptop_window_shows_every_column_and_action_without_scrolling(
    context, live_server, team, width
):
    """The table needed 1,153 px: in a 1,024 to 1,200 px window (a 1366 px laptop at 125%)
    Executions, Export and More were scrolled out of the table's right edge."""
    make_flows(team, ["Appointment reminder for the dental practice", "beta"])
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/")
    table = page.locator("#team-acme").locator("xpath=ancestor::section").locator(".table-wrap")
    scroll, client = table.evaluate("(t) => [t.scrollWidth, t.clientWidth]")
    assert scroll <= client, (width, scroll, client)
    more = page.locator("summary", has_text="More").first
    assert more.bounding_box()["x"] + more.bounding_box()["width"] <= width
