"""Co-editing and presence on the flow websocket (docs/protocol.md, "Co-editing")."""

from __future__ import annotations

import base64
import json
from concurrent.futures import ThreadPoolExecutor, wait

import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.test import Client

from editor import services
from editor.models import Flow
from editor.services.changes import changes_after
from tests.live_support import Live, run

pytestmark = pytest.mark.django_db(transaction=True)


def move(name: str, x: int, y: int) -> dict:
    return {"op": "move_widgets", "offsets": {name: {"x": x, "y": y}}}


def body(name: str, text: str) -> dict:
    return {"op": "set_properties", "name": name, "set": {"body": text}, "unset": []}


async def next_of(live: Live, kind: str) -> dict:
    while True:
        frame = await live.receive()
        if frame["type"] == kind:
            return frame


def test_an_edit_reaches_every_canvas_of_the_flow_with_its_author(tutorial, alice, bob):
    async def scenario():
        one, two = Live(alice, tutorial.sid), Live(bob, tutorial.sid)
        hello = await one.open()
        await two.open()
        ack = await one.ask(
            {"type": "doc.edit", "base": hello["version"], "ops": [move("split_1", 7, 8)]}
        )
        seen = await next_of(two, "doc.changed")
        echo = await next_of(one, "doc.changed")
        await one.close()
        await two.close()
        return hello, ack, seen, echo

    hello, ack, seen, echo = run(scenario)
    assert ack["type"] == "doc.ack" and ack["version"] == hello["version"] + 1
    assert ack["dropped"] == [] and ack["ops"] == [move("split_1", 7, 8)]
    assert seen["version"] == ack["version"] and seen["ops"] == ack["ops"]
    assert seen["author"]["name"] == "alice" and seen["summary"] == "moved split_1"
    assert seen["source"] == "canvas" and echo["version"] == ack["version"]


def test_concurrent_edits_of_different_fields_both_apply_and_the_same_field_goes_to_the_first(
    tutorial, alice, bob
):
    async def scenario():
        one, two = Live(alice, tutorial.sid), Live(bob, tutorial.sid)
        base = (await one.open())["version"]
        await two.open()
        first = await one.ask(
            {"type": "doc.edit", "base": base, "ops": [body("send_message_1", "Alice's")]}
        )
        second = await two.ask(
            {
                "type": "doc.edit",
                "base": base,
                "ops": [body("send_message_1", "Bob's"), body("send_message_2", "Bob's too")],
            }
        )
        await one.close()
        await two.close()
        return first, second

    first, second = run(scenario)
    assert second["version"] == first["version"] + 1
    [lost] = second["dropped"]
    assert (lost["index"], lost["field"], lost["by"]) == (
        0,
        "send_message_1/properties/body",
        "alice",
    )
    assert lost["value"] == "Alice's"
    states = {
        s["name"]: s for s in services.export_flow(Flow.objects.get(pk=tutorial.pk))["states"]
    }
    assert states["send_message_1"]["properties"]["body"] == "Alice's"
    assert states["send_message_2"]["properties"]["body"] == "Bob's too"


def test_an_edit_made_before_a_rename_follows_the_new_name(tutorial, alice, bob):
    async def scenario():
        one, two = Live(alice, tutorial.sid), Live(bob, tutorial.sid)
        base = (await one.open())["version"]
        await two.open()
        rename = {"op": "rename_widget", "name": "split_1", "new_name": "check_answer"}
        await one.ask({"type": "doc.edit", "base": base, "ops": [rename]})
        input_ = {
            "op": "set_properties",
            "name": "split_1",
            "set": {"input": "{{widgets.split_1.x}}"},
        }
        later = await two.ask({"type": "doc.edit", "base": base, "ops": [input_]})
        await one.close()
        await two.close()
        return later

    later = run(scenario)
    assert later["dropped"] == []
    assert later["ops"][0]["name"] == "check_answer"
    assert later["ops"][0]["set"]["input"] == "{{widgets.check_answer.x}}"


def test_a_viewer_follows_edits_but_cannot_make_them(tutorial, alice, carol):
    async def scenario():
        editor, viewer = Live(alice, tutorial.sid), Live(carol, tutorial.sid)
        base = (await editor.open())["version"]
        await viewer.open()
        refused = await viewer.ask(
            {"type": "doc.edit", "base": base, "ops": [move("split_1", 1, 1)]}
        )
        await editor.ask({"type": "doc.edit", "base": base, "ops": [move("split_1", 2, 2)]})
        seen = await next_of(viewer, "doc.changed")
        await editor.close()
        await viewer.close()
        return refused, seen

    refused, seen = run(scenario)
    assert refused["code"] == "forbidden"
    assert seen["ops"] == [move("split_1", 2, 2)]


def test_a_canvas_that_was_away_catches_up_from_the_log(tutorial, alice):
    async def scenario():
        live = Live(alice, tutorial.sid)
        base = (await live.open())["version"]
        for n in range(3):
            await live.ask({"type": "doc.edit", "base": base + n, "ops": [move("split_1", n, n)]})
        caught = await live.ask({"type": "doc.sync", "after": base})
        await live.close()
        return base, caught

    base, caught = run(scenario)
    assert caught["reload"] is False and caught["version"] == base + 3
    assert [c["version"] for c in caught["changes"]] == [base + 1, base + 2, base + 3]
    assert caught["changes"][-1]["ops"] == [move("split_1", 2, 2)]


def test_a_rest_update_reaches_open_canvases_and_asks_them_to_reload(tutorial, alice, client):
    key, secret = services.create_api_key(tutorial.team, created_by=alice)
    token = base64.b64encode(f"{key.sid}:{secret}".encode()).decode()
    definition = services.export_flow(tutorial)
    definition["description"] = "Changed over the API"

    def update() -> int:
        response = client.post(
            f"/v2/Flows/{tutorial.sid}",
            {"Status": "draft", "Definition": json.dumps(definition)},
            HTTP_AUTHORIZATION=f"Basic {token}",
        )
        return response.status_code

    async def scenario():
        live = Live(alice, tutorial.sid)
        base = (await live.open())["version"]
        assert await database_sync_to_async(update)() == 200
        changed = await next_of(live, "doc.changed")
        updated = await next_of(live, "flow.updated")
        caught = await live.ask({"type": "doc.sync", "after": base})
        await live.close()
        return changed, updated, caught

    changed, updated, caught = run(scenario)
    assert changed["ops"] is None and changed["source"] == "api"
    assert changed["summary"] == "replaced the flow through the REST API"
    assert updated["revision"] == 2 and updated["status"] == "draft"
    assert caught["reload"] is True


def test_presence_shows_who_is_here_what_they_select_and_when_they_leave(tutorial, alice, bob):
    async def scenario():
        one, two = Live(alice, tutorial.sid), Live(bob, tutorial.sid)
        hello = await one.open()
        bobs = await two.open()
        joined = await one.receive(presence=True)
        already = await two.receive(presence=True)
        await two.send(
            {
                "type": "presence.update",
                "selection": ["split_1"],
                "typing": {"widget": "split_1", "field": "input"},
            }
        )
        selected = await one.receive(presence=True)
        await two.close()
        left = await one.receive(presence=True)
        await one.close()
        return hello, bobs, joined, already, selected, left

    hello, bobs, joined, already, selected, left = run(scenario)
    assert joined["connection"] == bobs["connection"] and joined["user"]["name"] == "bob"
    assert already["connection"] == hello["connection"] and already["user"]["name"] == "alice"
    assert joined["user"]["colour"].startswith("#")
    assert selected["selection"] == ["split_1"] and selected["typing"]["field"] == "input"
    assert left == {"type": "presence.left", "connection": bobs["connection"]}


def test_a_reloaded_document_is_the_one_its_version_names(tutorial, alice, bob, monkeypatch):
    """A canvas that reloads (docs/protocol.md, "Catching up") applies every change after the
    version it fetched: an edit that commits while the document is being read must not be
    in a document that names the version before it."""
    client = Client()
    client.force_login(alice)
    before = services.export_flow(tutorial)
    base = tutorial.version
    meanwhile = ThreadPoolExecutor(1)
    read = Flow.definition

    def edit() -> None:
        try:
            services.apply_edit(tutorial, base_version=base, ops=[move("split_1", 3, 3)], user=bob)
        finally:
            connections.close_all()

    def definition_as_an_edit_commits(flow: Flow) -> dict:
        monkeypatch.setattr(Flow, "definition", read)
        # Give the edit (its own connection) time to commit; a reader that holds the flow
        # still makes it wait its turn.
        wait([meanwhile.submit(edit)], timeout=0.5)
        return read(flow)

    monkeypatch.setattr(Flow, "definition", definition_as_an_edit_commits)
    fetched = client.get(f"/api/editor/flows/{tutorial.sid}").json()
    meanwhile.shutdown(wait=True)

    after = services.export_flow(Flow.objects.get(pk=tutorial.pk))
    assert after != before, "the edit was made"
    assert (fetched["version"], fetched["definition"]) in [(base, before), (base + 1, after)]


def test_catching_up_reads_the_log_up_to_the_version_it_answers_with(tutorial, alice):
    """An edit that commits while a doc.sync is answered reaches the canvas as a broadcast;
    it must not make the answer look like a gap the log cannot bridge (a needless reload)."""
    for n in range(3):
        if n == 2:
            read = Flow.objects.get(pk=tutorial.pk)  # at version 3, as a sync reads it
        base = tutorial.version + n
        services.apply_edit(tutorial, base_version=base, ops=[move("split_1", n, n)], user=alice)

    assert changes_after(read, read.version) == ([], False)
    changes, reload = changes_after(read, read.version - 1)
    assert [c["version"] for c in changes] == [read.version] and reload is False


def test_many_joining_at_once_never_closes_a_connection(tutorial, alice, bob, carol, settings):
    """Each newcomer gets a presence reply from every member: with a small channel
    capacity some replies find its channel full, and presence is simply best effort."""
    from tests.asgi_server import fresh_channel_layer

    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1}}
    }
    fresh_channel_layer()

    async def scenario():
        tabs = [Live(user, tutorial.sid) for user in (alice, bob, carol, alice, bob)]
        for tab in tabs:
            await tab.open()
        pongs = [await tab.ask({"type": "ping"}) for tab in tabs]
        for tab in tabs:
            await tab.close()
        return pongs

    try:
        assert [p["type"] for p in run(scenario)] == ["pong"] * 5
    finally:
        fresh_channel_layer()
