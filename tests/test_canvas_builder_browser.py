"""The canvas as someone building a contact-centre bot from scratch meets it: copy and paste
in a browser that gave the site no clipboard permission, and a Run Subflow that offers the
team's flows.

Playwright against the ASGI live server (tests/browser_support.py); results are checked
through the ORM.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from editor import services
from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401
    exported,
    open_flow,
    select,
    wait_saved,
)
from tests.test_canvas_browser import blank_definition

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


def test_copy_cut_and_paste_need_no_clipboard_permission(context, asgi_live_server, tutorial):
    """Ctrl+V said "The browser refused clipboard access; allow it to paste." unless the
    site had been granted clipboard-read (and on a plain-http site there is no Clipboard API
    at all): the keys now go through the browser's own copy, cut and paste events."""
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_1")
    page.keyboard.press("Control+c")
    page.get_by_text("Copied 1 widget.").wait_for()
    page.locator(".react-flow__pane").click(position={"x": 30, "y": 400})
    page.keyboard.press("Control+v")
    page.wait_for_selector("[data-testid='widget-send_message_4']")
    wait_saved(page)
    states = exported(tutorial)
    body = states["send_message_1"]["properties"]["body"]
    assert states["send_message_4"]["properties"]["body"] == body

    select(page, "send_message_4")
    page.keyboard.press("Control+x")
    page.get_by_text("Cut 1 widget.").wait_for()
    wait_saved(page)
    assert "send_message_4" not in exported(tutorial)
    page.keyboard.press("Control+v")
    page.wait_for_selector("[data-testid='widget-send_message_4']")
    wait_saved(page)
    assert "send_message_4" in exported(tutorial)
    assert not page.get_by_text("refused clipboard access").count()


def test_text_selected_on_the_page_is_copied_as_text(context, asgi_live_server, tutorial):
    """With widgets selected, Ctrl+C over text selected in the page copies that text, not
    the widgets."""
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_1")
    copied = page.evaluate(
        """() => {
          const heading = document.querySelector('[data-testid="inspector"] h2')
            || document.querySelector('[data-testid="inspector"]');
          const range = document.createRange();
          range.selectNodeContents(heading);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
          const data = new DataTransfer();
          const event = new ClipboardEvent('copy', { clipboardData: data, cancelable: true });
          document.body.dispatchEvent(event);
          return { prevented: event.defaultPrevented, text: data.getData('text/plain') };
        }"""
    )
    assert copied == {"prevented": False, "text": ""}


def test_run_subflow_offers_the_teams_flows_by_name(context, asgi_live_server, team, tutorial):
    """The Subflow field was a bare text box asking for an FW… SID that the user had to go
    and copy from the flow list; it now offers the team's other flows and names the one
    chosen, as Studio's flow picker does."""
    hours = services.create_flow(team, friendly_name="Opening hours", definition=blank_definition())
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.locator("[data-testid='library-run-subflow']").dblclick()
    page.wait_for_selector("[data-testid='widget-subflow_1']")
    field = page.locator("[data-testid='inspector'] [data-testid='field-flow_sid']")
    offered = page.locator("[data-testid='suggested-flow_sid'] option")
    expect(offered).to_have_count(1)  # the flow itself is not offered
    assert offered.get_attribute("value") == hours.sid
    assert offered.get_attribute("label") == "Opening hours"
    assert field.get_attribute("list")

    field.fill(hours.sid)
    field.press("Enter")
    expect(page.get_by_test_id("suggested-label-flow_sid")).to_have_text("Opening hours")
    wait_saved(page)
    assert exported(tutorial)["subflow_1"]["properties"]["flow_sid"] == hours.sid


def test_copy_the_export_on_a_site_without_the_clipboard_api(context, asgi_live_server, tutorial):
    """A self-hosted site on plain http has no navigator.clipboard: Copy to clipboard threw
    and said nothing. It now copies the older way, and says when even that is refused."""
    context.add_init_script(
        """
        Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
        const copy = Document.prototype.execCommand;
        Document.prototype.execCommand = function (command, ...rest) {
          if (command === 'copy') window.__copied = document.activeElement.value;
          return copy.call(this, command, ...rest);
        };
        """
    )
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.get_by_role("button", name="Import / export", exact=True).click()
    page.get_by_test_id("export-copy").click()
    page.get_by_text("The export is on the clipboard.").wait_for()
    copied = json.loads(page.evaluate("() => window.__copied"))
    assert [s["name"] for s in copied["states"]] == list(exported(tutorial))


def test_a_set_variables_value_gets_more_room_than_its_key(context, asgi_live_server, tutorial):
    """Key and value shared the row half and half, so a value such as
    {{widgets.send_and_reply_1.inbound.Body}} showed as "{{widgets.send_a"."""
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.locator("[data-testid='library-set-variables']").dblclick()
    page.wait_for_selector("[data-testid='widget-set_variables_1']")
    page.locator("[data-testid='field-variables']").get_by_text("+ Add").click()
    key = page.get_by_label("Key 1").bounding_box()
    value = page.get_by_label("Value 1").bounding_box()
    assert value["width"] >= 1.5 * key["width"]
