"""The canvas's rough edges, in a real browser: renaming, placement, labels, counts in
words, import sizes and errors, and warnings shown apart from errors.

Playwright drives Debian's chromium against the ASGI live server (the canvas saves over the
flow's websocket); see tests/browser_support.py.
"""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from editor import services
from editor.samples import load_sample
from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401
    clipboard_context,
    exported,
    fill,
    open_flow,
    select,
    wait_saved,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


HUGE_LOOP = "{% for i in (1..100000000) %}x{% endfor %}"


def inspector_field(page, testid: str):
    return page.locator(f"[data-testid='inspector'] [data-testid='{testid}']")


def output_labels(page, name: str) -> list[str]:
    return page.locator(f"[data-testid='widget-{name}'] .w-out-label").all_inner_texts()


def node_boxes(page) -> dict[str, tuple[float, float, float, float]]:
    return page.eval_on_selector_all(
        ".react-flow__node",
        """nodes => Object.fromEntries(nodes.map(n => {
            const r = n.getBoundingClientRect();
            return [n.dataset.id, [r.left, r.top, r.right, r.bottom]];
        }))""",
    )


def overlapping(boxes: dict) -> list[tuple[str, str]]:
    names = sorted(boxes)
    return [
        (a, b)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if boxes[a][0] < boxes[b][2]
        and boxes[b][0] < boxes[a][2]
        and boxes[a][1] < boxes[b][3]
        and boxes[b][1] < boxes[a][3]
    ]


def test_it_renames_on_enter_keeps_the_inspector_open_and_cancels_on_escape(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_3")
    name = inspector_field(page, "widget-name")
    name.fill("say_sorry")
    name.press("Enter")
    page.wait_for_selector("[data-testid='widget-say_sorry']")
    wait_saved(page)
    assert page.locator("[data-testid='inspector']").count() == 1
    assert name.input_value() == "say_sorry"
    assert page.evaluate("document.activeElement.dataset.testid") == "widget-name"
    assert "say_sorry" in exported(tutorial)

    name.fill("not_this")
    name.press("Escape")
    assert name.input_value() == "say_sorry"
    name.blur()
    wait_saved(page)
    assert "not_this" not in exported(tutorial)
    assert page.locator("[data-testid='inspector']").count() == 1

    # A name that cannot be (taken, malformed) is said under the field, where it can be
    # corrected; the inspector stays on the widget and nothing is sent.
    for taken in ("send_message_1", "say sorry"):
        name.fill(taken)
        name.press("Enter")
        expect(page.locator("[data-testid='widget-name-problem']")).to_contain_text(taken)
        assert page.locator("[data-testid='inspector']").count() == 1
        assert name.input_value() == taken
        expect(page.locator("[data-testid='error-banner']")).to_have_count(0)

    # A good name then: once it is saved, the problem under the field goes.
    name.fill("say_sorry_now")
    name.press("Enter")
    page.wait_for_selector("[data-testid='widget-say_sorry_now']")
    expect(page.locator("[data-testid='widget-name-problem']")).to_have_count(0)
    wait_saved(page)
    assert "say_sorry_now" in exported(tutorial)


def test_added_pasted_and_duplicated_widgets_land_near_their_spot_on_free_space(
    chromium, asgi_live_server, alice, tutorial
):
    ctx = clipboard_context(chromium, asgi_live_server, alice)
    try:
        page = open_flow(ctx, asgi_live_server, tutorial.sid)
        centre = page.evaluate(
            """() => {
                const r = document.querySelector('.cv-canvas').getBoundingClientRect();
                return window.__canvas.flow.screenToFlowPosition(
                    {x: r.left + r.width / 2, y: r.top + r.height / 2});
            }"""
        )
        for name in ("send_message_4", "send_message_5"):
            page.dblclick("[data-testid='library-send-message']")
            page.wait_for_selector(f"[data-testid='widget-{name}']")
        select(page, "split_1")
        select(page, "send_message_1", modifiers=["Shift"])
        page.keyboard.press("Control+c")
        page.wait_for_selector("[data-testid='notice']")
        page.locator(".react-flow__pane").click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+v")
        page.wait_for_selector("[data-testid='widget-split_2']")
        select(page, "send_and_reply_1")
        page.keyboard.press("Control+d")
        page.wait_for_selector("[data-testid='widget-send_and_reply_2']")
        wait_saved(page)
        page.wait_for_function("() => document.querySelectorAll('.react-flow__node').length === 11")
        assert overlapping(node_boxes(page)) == []
    finally:
        ctx.close()

    states = exported(tutorial)
    offsets = {name: s["properties"]["offset"] for name, s in states.items()}
    for added in ("send_message_4", "send_message_5"):
        middle = (offsets[added]["x"] + 110, offsets[added]["y"] + 42)
        assert math.dist(middle, (centre["x"], centre["y"])) < 600, added
    original, copy = offsets["send_and_reply_1"], offsets["send_and_reply_2"]
    assert math.dist((original["x"], original["y"]), (copy["x"], copy["y"])) < 400


def test_outputs_read_like_the_console_split_conditions_and_trigger_events(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    assert output_labels(page, "Trigger") == [
        "Incoming Message",
        "Incoming Call",
        "Incoming Conversation",
        "REST API",
        "Subflow",
    ]
    # Studio's generated "If value matches_any_of yes,…" reads as the predicate and value.
    assert output_labels(page, "split_1") == [
        "No Match",
        "Matches Any Of yes,yeah,yup,y",
        "Matches Any Of no,nope,nah,n",
    ]
    select(page, "split_1")
    fill(page, "condition-name-0", "Likes bots")
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='widget-split_1'] .w-out:nth-child(2)\")"
        ".innerText === 'Likes bots'"
    )
    wait_saved(page)
    condition = exported(tutorial)["split_1"]["transitions"][1]["conditions"][0]
    assert condition["friendly_name"] == "Likes bots"

    # Clearing the name brings back Studio's own, so the export stays as Studio writes it.
    fill(page, "condition-name-0", "")
    wait_saved(page)
    condition = exported(tutorial)["split_1"]["transitions"][1]["conditions"][0]
    assert condition["friendly_name"] == "If value matches_any_of yes,yeah,yup,y"
    assert output_labels(page, "split_1")[1] == "Matches Any Of yes,yeah,yup,y"


def dot_colour(state) -> str:
    """The colour of the dot before the save state's words (canvas.css, .cv-save::before)."""
    return state.evaluate("(el) => getComputedStyle(el, '::before').backgroundColor")


def test_counts_of_changes_queued_offline_read_in_words(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    state = page.locator("[data-testid='save-state']")
    saved_dot = dot_colour(state)
    context.set_offline(True)
    select(page, "send_message_3")
    page.keyboard.press("Delete")
    expect(state).to_have_text("Offline — 1 change queued")
    assert dot_colour(state) != saved_dot, "the dot stays the green of Saved while offline"
    select(page, "send_message_2")
    page.keyboard.press("Delete")
    expect(state).to_have_text("Offline — 2 changes queued")
    assert {"send_message_2", "send_message_3"} <= set(exported(tutorial))
    context.set_offline(False)
    wait_saved(page)
    assert not {"send_message_2", "send_message_3"} & set(exported(tutorial))


def test_a_file_over_the_size_limit_is_refused_before_uploading(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    imports = []
    page.on("request", lambda r: imports.append(r.url) if r.url.endswith("/import") else None)
    page.click("[data-testid='tab-io']")
    big = b'{"description": "' + b"x" * int(5.2 * 1024 * 1024) + b'"}'
    page.set_input_files(
        "[data-testid='import-file']",
        files=[{"name": "big.json", "mimeType": "application/json", "buffer": big}],
    )
    error = page.locator("[data-testid='import-error']")
    error.wait_for()
    assert error.inner_text().startswith("The file is 5.2 MB; flows can be at most 1 MB.")
    assert page.locator("[data-testid='import-anyway']").count() == 0
    assert page.locator("[data-testid='import-text']").input_value() == ""
    assert imports == []


def test_unreadable_json_offers_no_import_anyway(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.click("[data-testid='tab-io']")
    page.fill("[data-testid='import-text']", '{"states": [}')
    page.click("[data-testid='import-submit']")
    error = page.locator("[data-testid='import-error']")
    error.wait_for()
    assert "The flow definition is not valid JSON" in error.inner_text()
    assert page.locator("[data-testid='import-blocked']").count() == 1
    assert page.locator("[data-testid='import-anyway']").count() == 0


def test_a_server_error_without_a_message_is_explained(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.route(
        "**/save",
        lambda route: route.fulfill(
            status=502, body="<h1>Bad gateway</h1>", content_type="text/html"
        ),
    )
    page.click("[data-testid='save-draft']")
    notice = page.locator("[data-testid='notice']")
    expect(notice).to_contain_text("The server failed (error 502). Try again")
    assert "answered" not in notice.inner_text()
    page.unroute("**/save")
    page.click("[data-testid='notice'] button")
    page.click("[data-testid='save-draft']")
    # Nothing was edited: the save answers, and makes no revision (docs/revisions.md).
    expect(notice).to_contain_text("Nothing changed since the latest revision: no new revision.")


def test_warnings_show_while_typing_apart_from_errors_and_never_block_publishing(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_2")
    body = inspector_field(page, "field-body")
    body.fill("")
    body.press_sequentially(HUGE_LOOP, delay=5)
    # Saved after a pause in typing: the warning shows while the field still has focus.
    shown = page.locator("[data-testid='field-warning-body']")
    shown.first.wait_for()
    # The Liquid checks (editor/engine/liquid_hazards.py): a huge range, a loop past 15.
    texts = shown.all_inner_texts()
    assert len(texts) == 2 and "100,000,000 items" in texts[0] and "15 iterations" in texts[1]
    assert page.evaluate("document.activeElement.dataset.testid") == "field-body"
    assert page.locator("[data-testid='widget-warnings-send_message_2']").inner_text() == "2"
    assert page.locator("[data-testid='widget-problems-send_message_2']").count() == 0
    assert "has-warnings" in page.locator("[data-testid='widget-send_message_2']").get_attribute(
        "class"
    )
    assert page.locator("[data-testid='warning-count']").inner_text() == "2"
    assert page.locator("[data-testid='problem-count']").count() == 0

    page.locator(".react-flow__pane").click(position={"x": 5, "y": 5})
    page.click("[data-testid='tab-problems']")
    group = page.locator("[data-testid='problems-warnings']")
    assert "2 warnings:" in group.text_content()
    assert page.locator("[data-testid='problem-place-0']").inner_text() == " · Message body"
    assert page.locator("[data-testid='problems-errors']").count() == 0

    page.click("[data-testid='publish-open']")
    assert "2 warnings to look at" in page.locator("[data-testid='publish-warnings']").inner_text()
    page.click("[data-testid='publish']")
    page.wait_for_selector("[data-testid='flow-status']:has-text('Published')")
    tutorial.refresh_from_db()
    assert exported(tutorial)["send_message_2"]["properties"]["body"] == HUGE_LOOP


def test_errors_name_the_widget_and_field_and_block_publishing(context, asgi_live_server, team):
    definition = load_sample("conversations-tutorial")
    del definition["states"][2]["properties"]["input"]
    flow = services.create_flow(
        team, friendly_name="No input", definition=definition, allow_problems=True
    )
    page = open_flow(context, asgi_live_server, flow.sid)
    page.wait_for_selector("[data-testid='widget-problems-split_1']")
    page.click("[data-testid='tab-problems']")
    errors = page.locator("[data-testid='problems-errors']")
    assert "split_1 · Variable to test" in errors.inner_text()
    page.click("[data-testid='problem-0']")
    # "input is missing" is reported on the properties; it shows under its field.
    problem = page.locator("[data-testid='field-problem-input']")
    assert "needs input" in problem.inner_text()
    assert problem.locator("code").all_inner_texts() == ["split_1", "input"]
    assert "`" not in problem.inner_text()
    page.click("[data-testid='publish-open']")
    assert page.locator("[data-testid='publish-blocked']").count() == 1
    assert page.locator("[data-testid='publish']").is_disabled()
