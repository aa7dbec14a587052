"""A canvas that goes offline while its user edits keeps the edits and sends them when it is
back (docs/protocol.md, "Catching up"), and meanwhile makes no request that can only fail:
live linting (editor/frontend/src/useLint.js) waits for the connection, so the page logs no
errors, and lints the document once it is back."""

from __future__ import annotations

from typing import Any

from tests.browser_support import exported, open_flow, wait_saved
from tests.panel_support import PANEL_MARKS
from tests.test_coediting_browser import contexts

pytestmark = PANEL_MARKS

EDIT = {"op": "set_properties", "name": "send_message_1", "set": {"body": "Typed offline"}}


def test_an_offline_canvas_logs_no_failed_requests_and_lints_when_back(
    chromium, asgi_live_server, alice, tutorial
):
    with contexts(chromium, asgi_live_server, alice) as (mine,):
        page = open_flow(mine, asgi_live_server, tutorial.sid)
        wait_saved(page)
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        mine.set_offline(True)
        page.wait_for_selector("[data-testid='save-state'][data-state='offline']")
        page.evaluate("(ops) => window.__canvas.sync.edit(ops)", [EDIT])
        page.wait_for_timeout(1500)  # well past the linter's 400 ms pause
        assert failed == [] and errors == []

        def linted(response: Any) -> bool:
            return response.url.endswith(f"/api/editor/flows/{tutorial.sid}/lint")

        with page.expect_response(linted):
            mine.set_offline(False)
        wait_saved(page)
        assert exported(tutorial)["send_message_1"]["properties"]["body"] == "Typed offline"
        assert errors == []
