"""The canvas in a real browser: build, import, rename, undo/redo, copy/paste, two tabs.

Playwright (sync API) drives Debian's chromium against the ASGI live server (the canvas
saves over the flow's websocket); see
tests/browser_support.py. Results are checked through the ORM, not pixels.
"""

from __future__ import annotations

import json

import pytest

from editor import services
from editor.samples import load_sample
from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401
    clipboard_context,
    exported,
    fill,
    new_context,
    open_flow,
    select,
    wait_saved,
)
from tests.conftest import corpus_files

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


TRIGGER_EVENTS = [
    "incomingMessage",
    "incomingCall",
    "incomingConversationMessage",
    "incomingRequest",
    "incomingParent",
]


def blank_definition() -> dict:
    return {
        "description": "A new flow",
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "transitions": [{"event": e} for e in TRIGGER_EVENTS],
                "properties": {"offset": {"x": 0, "y": 0}},
            }
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }


def drop(page, widget_type: str, x: float, y: float) -> None:
    """Drag a widget from the library onto the canvas at (x, y) within the pane."""
    page.drag_and_drop(
        f"[data-testid='library-{widget_type}']",
        ".react-flow__pane",
        target_position={"x": x, "y": y},
    )


def connect(page, source: str, index: int, target: str) -> None:
    page.locator(f"[data-testid='handle-{source}-{index}']").drag_to(
        page.locator(f"[data-testid='widget-{target}'] .w-handle-in")
    )


def test_building_the_conversations_tutorial_by_dragging_and_connecting(
    context, asgi_live_server, team
):
    flow = services.create_flow(team, friendly_name="Built", definition=blank_definition())
    page = open_flow(context, asgi_live_server, flow.sid)
    page.locator(".react-flow__controls-zoomout").click()
    page.locator(".react-flow__controls-zoomout").click()

    drop(page, "send-and-wait-for-reply", 500, 220)
    page.wait_for_selector("[data-testid='widget-send_and_reply_1']")
    fill(page, "field-body", "Hi, do you like bots?")
    connect(page, "Trigger", 0, "send_and_reply_1")
    connect(page, "Trigger", 2, "send_and_reply_1")  # Conversations start it too

    drop(page, "split-based-on", 500, 380)
    page.wait_for_selector("[data-testid='widget-split_1']")
    fill(page, "field-input", "{{widgets.send_and_reply_1.inbound.Body}}")
    for n, value in enumerate(["yes,yeah,yup,y", "no,nope,nah,n"]):
        page.click("[data-testid='condition-add']")
        page.select_option(f"[data-testid='condition-type-{n}']", "matches_any_of")
        fill(page, f"condition-value-{n}", value)
    connect(page, "send_and_reply_1", 0, "split_1")

    bodies = {
        "send_message_1": "Great! We like you too.",
        "send_message_2": "That's okay. Have a nice day!",
        "send_message_3": "Sorry, I did not understand.",
    }
    for n, (name, body) in enumerate(bodies.items()):
        drop(page, "send-message", 250 + n * 250, 580)
        page.wait_for_selector(f"[data-testid='widget-{name}']")
        fill(page, "field-body", body)
    connect(page, "split_1", 1, "send_message_1")
    connect(page, "split_1", 2, "send_message_2")
    connect(page, "split_1", 0, "send_message_3")
    wait_saved(page)

    states = exported(flow)
    expected = load_sample("conversations-tutorial")["states"]
    assert list(states) == [s["name"] for s in expected]
    for want in expected:
        got = states[want["name"]]
        assert got["type"] == want["type"]
        assert [(t["event"], t.get("next")) for t in got["transitions"]] == [
            (t["event"], t.get("next")) for t in want["transitions"]
        ]
        assert [t.get("conditions") for t in got["transitions"]] == [
            t.get("conditions") for t in want["transitions"]
        ]
        for key in ("from", "to", "input", "timeout"):
            assert got["properties"].get(key) == want["properties"].get(key)
    assert states["send_and_reply_1"]["properties"]["body"] == "Hi, do you like bots?"
    assert states["send_message_2"]["properties"]["body"] == bodies["send_message_2"]
    assert flow.errors == []

    page.reload()
    page.wait_for_function("() => document.querySelectorAll('.react-flow__edge').length === 6")


def test_an_imported_corpus_flow_shows_every_widget_and_transition(context, asgi_live_server, team):
    source = next(p for p in corpus_files("flows") if "byteofprash" in p.name and "ivr" in p.name)
    text = source.read_text()
    flow = services.create_flow(team, friendly_name="Import here", definition=blank_definition())
    page = open_flow(context, asgi_live_server, flow.sid)
    page.click("[data-testid='tab-io']")
    page.fill("[data-testid='import-text']", text)
    page.click("[data-testid='import-submit']")
    anyway = page.locator("[data-testid='import-anyway']")
    if anyway.count():
        anyway.click()
    states = json.loads(text)["states"]
    names = {s["name"] for s in states}
    wired = sum(1 for s in states for t in s["transitions"] if t.get("next") in names)
    page.wait_for_function(
        "n => document.querySelectorAll('.react-flow__node').length === n", arg=len(states)
    )
    page.wait_for_function(
        "n => document.querySelectorAll('.react-flow__edge').length === n", arg=wired
    )
    for state in states:
        assert page.locator(f"[data-testid='widget-{state['name']}']").count() == 1
    assert len(exported(flow)) == len(states)


def test_renaming_a_widget_rewrites_references_to_it(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_and_reply_1")
    fill(page, "widget-name", "ask")
    page.wait_for_selector("[data-testid='widget-ask']")
    wait_saved(page)
    states = exported(tutorial)
    assert "send_and_reply_1" not in states
    assert states["Trigger"]["transitions"][0]["next"] == "ask"
    assert states["split_1"]["properties"]["input"] == "{{widgets.ask.inbound.Body}}"
    # The canvas rewrites the references itself (src/ops.js does what edits.py does).
    page.wait_for_function(
        "() => window.__canvas.getDoc().states[2].properties.input"
        " === '{{widgets.ask.inbound.Body}}'"
    )
    select(page, "split_1")
    field = page.locator("[data-testid='inspector'] [data-testid='field-input']")
    assert field.input_value() == "{{widgets.ask.inbound.Body}}"


def test_undo_and_redo_are_saved_as_edits(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_3")
    page.keyboard.press("Delete")
    page.wait_for_selector("[data-testid='widget-send_message_3']", state="detached")
    wait_saved(page)
    assert "send_message_3" not in exported(tutorial)

    page.locator(".react-flow__pane").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+z")
    page.wait_for_selector("[data-testid='widget-send_message_3']")
    wait_saved(page)
    states = exported(tutorial)
    assert "send_message_3" in states
    assert states["split_1"]["transitions"][0]["next"] == "send_message_3"

    page.keyboard.press("Control+Shift+z")
    page.wait_for_selector("[data-testid='widget-send_message_3']", state="detached")
    wait_saved(page)
    assert "send_message_3" not in exported(tutorial)

    page.keyboard.press("Control+z")
    wait_saved(page)
    page.keyboard.press("Control+y")
    wait_saved(page)
    assert "send_message_3" not in exported(tutorial)


def copy_widgets(page, first: str, second: str) -> None:
    """Select two widgets and copy them to the system clipboard."""
    select(page, first)
    select(page, second, modifiers=["Shift"])
    page.wait_for_function(
        "() => document.querySelectorAll('.react-flow__node.selected').length === 2"
    )
    page.keyboard.press("Control+c")
    page.wait_for_selector("[data-testid='notice']")


def paste(page, expected: str, *, click_pane: bool = True) -> None:
    if click_pane:
        page.locator(".react-flow__pane").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+v")
    page.wait_for_selector(f"[data-testid='widget-{expected}']")
    wait_saved(page)


def test_copy_from_one_flow_and_paste_into_another(
    chromium, asgi_live_server, alice, tutorial, team
):
    other = services.create_flow(team, friendly_name="Target", definition=blank_definition())
    ctx = clipboard_context(chromium, asgi_live_server, alice)
    try:
        copy_widgets(open_flow(ctx, asgi_live_server, tutorial.sid), "split_1", "send_message_1")
        target = open_flow(ctx, asgi_live_server, other.sid)
        paste(target, "split_1")
        # Pasting again de-duplicates names and keeps the copies' own wiring.
        paste(target, "split_2", click_pane=False)
    finally:
        ctx.close()
    states = exported(other)
    assert set(states) == {"Trigger", "split_1", "send_message_1", "split_2", "send_message_2"}
    for split, message in (("split_1", "send_message_1"), ("split_2", "send_message_2")):
        assert [t.get("next") for t in states[split]["transitions"]] == [None, message, None]
    assert states["split_2"]["transitions"][1]["conditions"][0]["value"] == "yes,yeah,yup,y"


def test_pasted_copies_refer_to_each_other_not_to_the_originals(
    chromium, asgi_live_server, alice, tutorial
):
    ctx = clipboard_context(chromium, asgi_live_server, alice)
    try:
        page = open_flow(ctx, asgi_live_server, tutorial.sid)
        copy_widgets(page, "send_and_reply_1", "split_1")
        paste(page, "split_2")
    finally:
        ctx.close()
    states = exported(tutorial)
    copy = "send_and_reply_2"
    assert states[copy]["transitions"][0]["next"] == "split_2"
    split = json.dumps(states["split_2"])
    assert f"widgets.{copy}.inbound.Body" in split
    assert "widgets.send_and_reply_1." not in split
    # The originals are untouched.
    assert "widgets.send_and_reply_1.inbound.Body" in json.dumps(states["split_1"])


def test_an_edit_from_a_second_tab_is_rebased_onto_the_first_not_refused(
    context, asgi_live_server, tutorial
):
    """Edits are sent over the flow's websocket and rebased onto what changed meanwhile
    (docs/protocol.md, "Concurrent edits"): a second tab's delete of another widget applies
    too, and each tab shows the other's change without reloading."""
    first = open_flow(context, asgi_live_server, tutorial.sid)
    second = open_flow(context, asgi_live_server, tutorial.sid)
    select(first, "send_message_3")
    first.keyboard.press("Delete")
    select(second, "send_message_2")
    second.keyboard.press("Delete")
    wait_saved(first)
    wait_saved(second)
    states = exported(tutorial)
    assert "send_message_2" not in states and "send_message_3" not in states
    second.wait_for_selector("[data-testid='widget-send_message_3']", state="detached")
    first.wait_for_selector("[data-testid='widget-send_message_2']", state="detached")
    assert second.locator("[data-testid='error-banner']").count() == 0


def test_problems_show_on_the_widget_the_field_and_the_panel(context, asgi_live_server, tutorial):
    """Broken Liquid is a warning (Twilio stores such flows; the widget fails when it runs)."""
    page = open_flow(context, asgi_live_server, tutorial.sid)
    select(page, "send_message_2")
    fill(page, "field-body", "Bye {{ flow.variables.name ")
    page.wait_for_selector("[data-testid='widget-warnings-send_message_2']")
    assert "Liquid" in page.locator("[data-testid='field-warning-body']").inner_text()
    # The linter finds the same template (its badge); the field says it once, not twice.
    page.wait_for_selector("[data-testid='lint-badge-send_message_2']")
    inspector = page.locator("[data-testid='inspector']")
    assert inspector.locator("[data-testid='liquid-lint-liquid-syntax']").count() == 0
    assert inspector.locator("[data-testid='field-warning-body']").count() == 1
    page.locator(".react-flow__pane").click(position={"x": 5, "y": 5})
    page.click("[data-testid='tab-problems']")
    page.click("[data-testid='problem-0']")
    page.wait_for_selector("[data-testid='inspector'] [data-testid='field-warning-body']")
    assert page.locator("[data-testid='widget-name']").input_value() == "send_message_2"
    assert page.locator("[data-testid='warning-count']").inner_text() == "1"
    assert page.locator("[data-testid='problem-count']").count() == 0


def test_viewers_see_the_canvas_read_only(chromium, asgi_live_server, carol, tutorial):
    ctx = new_context(chromium, asgi_live_server, carol)
    try:
        page = open_flow(ctx, asgi_live_server, tutorial.sid)
        assert page.locator("[data-testid='library']").count() == 0
        assert page.locator("[data-testid='publish-open']").count() == 0
        select(page, "send_message_3")
        body = page.locator("[data-testid='inspector'] [data-testid='field-body']")
        assert body.is_disabled()
        # And looks it: not the white, solid-bordered box of a field that takes typing.
        look = body.evaluate(
            "(e) => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderTopStyle]"
        )
        assert look == ["rgb(245, 246, 248)", "dashed"], look
        page.keyboard.press("Delete")
        page.wait_for_timeout(300)
        assert page.locator("[data-testid='widget-send_message_3']").count() == 1
    finally:
        ctx.close()
    assert "send_message_3" in exported(tutorial)


def test_publish_then_open_an_old_revision_read_only_and_restore_it(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.click("[data-testid='publish-open']")
    page.fill("[data-testid='commit-message']", "First release")
    page.click("[data-testid='publish']")
    page.wait_for_selector("[data-testid='flow-status']:has-text('Published')")
    tutorial.refresh_from_db()
    published = tutorial.revision

    select(page, "send_message_3")
    page.keyboard.press("Delete")
    wait_saved(page)
    page.click("[data-testid='tab-revisions']")
    page.click(f"[data-testid='revision-view-{published}']")
    banner = page.locator("[data-testid='revision-banner']")
    assert f"Viewing revision {published}" in banner.inner_text()
    page.wait_for_selector("[data-testid='widget-send_message_3']")
    assert page.locator("[data-testid='library']").count() == 0

    page.click("[data-testid='revision-restore']")
    page.wait_for_selector("[data-testid='revision-banner']", state="detached")
    wait_saved(page)
    assert "send_message_3" in exported(tutorial)
    assert page.locator("[data-testid='library']").count() == 1


def test_tidy_up_and_duplicate_are_single_undoable_edits(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    before = {name: s["properties"]["offset"] for name, s in exported(tutorial).items()}
    page.click("[data-testid='tidy']")
    wait_saved(page)
    tidied = {name: s["properties"]["offset"] for name, s in exported(tutorial).items()}
    assert tidied != before
    page.click("[data-testid='undo']")
    wait_saved(page)
    assert {name: s["properties"]["offset"] for name, s in exported(tutorial).items()} == before

    page.keyboard.press("?")
    page.wait_for_selector("[data-testid='help-overlay']")
    page.keyboard.press("Escape")
    page.wait_for_selector("[data-testid='help-overlay']", state="detached")

    page.keyboard.press("Control+f")
    page.keyboard.type("Great! We like")  # text inside send_message_1's body
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid='inspector']")
    assert page.locator("[data-testid='widget-name']").input_value() == "send_message_1"
    page.keyboard.press("Control+d")
    page.wait_for_selector("[data-testid='widget-send_message_4']")
    wait_saved(page)
    assert exported(tutorial)["send_message_4"]["properties"]["body"].startswith("Great!")
    page.click("[data-testid='undo']")
    page.wait_for_selector("[data-testid='widget-send_message_4']", state="detached")
    wait_saved(page)
    assert "send_message_4" not in exported(tutorial)


def test_removing_a_transition_and_a_refused_edit_is_reported(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    edge = page.locator("[data-testid='rf__edge-split_1:0'] .react-flow__edge-interaction")
    edge.click(force=True)
    page.keyboard.press("Delete")
    page.wait_for_selector("[data-testid='rf__edge-split_1:0']", state="detached")
    wait_saved(page)
    assert "next" not in exported(tutorial)["split_1"]["transitions"][0]

    # Re-wire by dragging the end of a transition onto another widget.
    end = page.locator("[data-testid='rf__edge-split_1:1'] .react-flow__edgeupdater-target")
    end.drag_to(page.locator("[data-testid='widget-send_message_2'] .w-handle-in"), force=True)
    wait_saved(page)
    assert exported(tutorial)["split_1"]["transitions"][1]["next"] == "send_message_2"

    # A rename to a taken name, sent anyway (the inspector would say so and send nothing).
    rename = "[{op: 'rename_widget', name: 'send_message_1', new_name: 'send_message_2'}]"
    assert page.evaluate(f"window.__canvas.sync.edit({rename})") is False
    banner = page.locator("[data-testid='error-banner']")
    banner.wait_for()
    assert "There is already a widget named send_message_2" in banner.inner_text()
    page.click("[data-testid='error-retry']")
    wait_saved(page)
    assert page.locator("[data-testid='widget-send_message_1']").count() == 1
    assert set(exported(tutorial)) >= {"send_message_1", "send_message_2"}


def test_flow_settings_and_an_import_with_problems(context, asgi_live_server, tutorial):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    page.click("[data-testid='tab-settings']")
    page.fill("[data-testid='settings-name']", "Bots, renamed")
    page.fill("[data-testid='settings-description']", "Asks about bots")
    page.fill("[data-testid='settings-test-users']", "+15550001111\n+15550002222")
    page.click("[data-testid='settings-save']")
    page.wait_for_selector("[data-testid='flow-name']:has-text('Bots, renamed')")
    page.click("[data-testid='settings-concurrent']")
    wait_saved(page)
    tutorial.refresh_from_db()
    assert tutorial.friendly_name == "Bots, renamed"
    assert tutorial.test_users == ["+15550001111", "+15550002222"]
    assert tutorial.description == "Asks about bots"
    assert tutorial.allow_concurrent_calls is False

    broken = load_sample("conversations-tutorial")
    broken["states"][0]["transitions"][0]["next"] = "nowhere"
    page.click("[data-testid='tab-io']")
    page.fill("[data-testid='import-text']", json.dumps(broken))
    page.click("[data-testid='import-submit']")
    problems = page.locator("[data-testid='import-error']")
    problems.wait_for()
    assert "Trigger · Transition “Incoming Message”" in problems.inner_text()
    assert page.locator("[data-testid='import-text']").input_value()  # nothing lost
    page.click("[data-testid='import-anyway']")
    page.wait_for_selector("[data-testid='problem-count']")
    tutorial.refresh_from_db()
    assert tutorial.errors


def test_the_library_is_grouped_searchable_and_offers_only_palette_widgets(
    context, asgi_live_server, tutorial
):
    page = open_flow(context, asgi_live_server, tutorial.sid)
    library = page.locator("[data-testid='library']")
    for label in ("Flow Control", "Voice", "Messaging"):
        assert label.lower() in library.inner_text().lower()
    assert library.locator("[data-testid='library-send-message']").count() == 1
    # Legacy and undocumented types import and export, but are not offered.
    assert library.locator("[data-testid='library-send-to-auto-pilot']").count() == 0
    assert library.locator("[data-testid='library-create-task']").count() == 0
    page.locator("[data-testid='library-search']").fill("wait")
    page.wait_for_function("() => !document.querySelector(\"[data-testid='library-say-play']\")")
    assert library.locator("[data-testid='library-send-and-wait-for-reply']").count() == 1
    assert library.locator("[data-testid='library-send-message']").count() == 0
    # The minimap can be hidden.
    assert page.locator(".react-flow__minimap").count() == 1
    page.locator("[data-testid='minimap']").uncheck()
    page.wait_for_selector(".react-flow__minimap", state="detached")
