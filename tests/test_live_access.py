"""A member's access changes while their canvas is open (docs/protocol.md, "Connecting"):
a member removed from the team, or whose flow moved to a team they are not in, is closed
out at once and hears nothing more of the flow; one whose role changed is told, and the
others see the new role."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from editor import services
from editor.models import Role
from tests.live_support import Live, check_frame, run

pytestmark = pytest.mark.django_db(transaction=True)

NOT_FOUND = 4404


def body(name: str, text: str) -> dict:
    return {"op": "set_properties", "name": name, "set": {"body": text}, "unset": []}


async def until_closed(live: Live, timeout: float = 5) -> tuple[int, list[dict]]:
    """The close code, and the frames (presence aside) that came before it."""
    frames = []
    while True:
        output = await live.socket.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code"), frames
        frame = check_frame(json.loads(output["text"]))
        if not frame["type"].startswith("presence."):
            frames.append(frame)


async def next_of(live: Live, kind: str, *, presence: bool = False) -> dict:
    while True:
        frame = await live.receive(presence=presence)
        if frame["type"] == kind:
            return frame


def test_a_member_removed_from_the_team_is_closed_out_before_the_next_change(
    tutorial, team, alice, carol
):
    async def scenario():
        owner, viewer = Live(alice, tutorial.sid), Live(carol, tutorial.sid)
        base = (await owner.open())["version"]
        carols = await viewer.open()
        await database_sync_to_async(services.remove_member)(team, carol)
        code, heard = await until_closed(viewer)
        await viewer.close()  # as the server does once the socket has closed
        await owner.ask({"type": "doc.edit", "base": base, "ops": [body("send_message_1", "x")]})
        await owner.close()
        return carols, code, heard, owner.presence

    carols, code, heard, presence = run(scenario)
    assert code == NOT_FOUND
    assert heard == [], "a removed member heard of the flow"
    left = {"type": "presence.left", "connection": carols["connection"]}
    assert left in presence


def test_an_editor_made_a_viewer_is_told_and_the_others_see_the_new_role(
    tutorial, team, alice, bob
):
    async def scenario():
        owner, editor = Live(alice, tutorial.sid), Live(bob, tutorial.sid)
        await owner.open()
        hello = await editor.open()
        await database_sync_to_async(services.change_role)(team, bob, Role.VIEWER)
        told = await next_of(editor, "access.changed")
        seen = await next_of(owner, "presence.updated", presence=True)
        while seen["user"]["name"] != "bob" or seen["role"] != "viewer":
            seen = await next_of(owner, "presence.updated", presence=True)
        refused = await editor.ask(
            {"type": "doc.edit", "base": hello["version"], "ops": [body("send_message_1", "x")]}
        )
        await owner.close()
        await editor.close()
        return told, seen, refused

    told, seen, refused = run(scenario)
    assert told == {"type": "access.changed", "role": "viewer", "can_edit": False}
    assert seen["role"] == "viewer"
    assert refused["code"] == "forbidden"


def test_moving_the_flow_closes_out_members_of_the_old_team(tutorial, other_team, alice, dave):
    async def scenario():
        owner = Live(alice, tutorial.sid)
        await owner.open()
        await database_sync_to_async(services.move_flow)(tutorial, other_team, dave)
        code, heard = await until_closed(owner)
        return code, heard

    code, heard = run(scenario)
    assert code == NOT_FOUND and heard == []
