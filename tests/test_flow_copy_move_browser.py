"""The copy and move pages in a browser (the server side: test_flow_copy_move.py)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


def test_the_copy_form_lines_up_with_its_heading(context, live_server, tutorial):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/flows/{tutorial.sid}/copy/")
    heading = page.locator("#copy-move-heading").bounding_box()
    field = page.locator("#id_friendly_name").bounding_box()
    assert abs(field["x"] - heading["x"]) <= 1
