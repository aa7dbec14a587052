"""Who is on a flow now (docs/protocol.md, presence): kept in the channel layer only, so it
works across server processes and nothing is left behind in the database when one dies.

A connection announces itself to the flow's group when it opens and whenever its selection
or typing changes; every other connection answers a newcomer with its own state, sent to the
newcomer's channel alone; a closing connection says it has left.
"""

from __future__ import annotations

import contextlib
from typing import Any

from channels.exceptions import ChannelFull

from ..realtime import flow_group


class PresenceMixin:
    """For FlowConsumer: needs `flow`, `role`, `member_user` (the protocol's user object),
    `connection`, `channel_layer`, `channel_name` and `send_frame`."""

    selection: list[str]
    typing: dict[str, Any] | None

    def member(self) -> dict[str, Any]:
        return {
            "type": "presence.updated",
            "connection": self.connection,
            "user": self.member_user,
            "role": self.role,
            "selection": self.selection,
            "typing": self.typing,
        }

    async def announce(self, kind: str = "presence.join") -> None:
        message = {"type": kind, "from": self.channel_name, "member": self.member()}
        await self.channel_layer.group_send(flow_group(self.flow.sid), message)

    async def presence_update(self, frame: dict[str, Any]) -> None:
        self.selection = frame["selection"]
        self.typing = frame["typing"]
        await self.announce("presence.change")

    async def depart(self) -> None:
        message = {
            "type": "presence.leave",
            "from": self.channel_name,
            "connection": self.connection,
        }
        await self.channel_layer.group_send(flow_group(self.flow.sid), message)

    # From the channel layer.
    async def presence_join(self, message: dict[str, Any]) -> None:
        if message["from"] == self.channel_name:
            return
        await self.send_frame(message["member"])
        reply = {"type": "presence.reply", "member": self.member()}
        # Many joining at once (a team opening one flow) can fill the newcomer's channel:
        # presence is best effort, and it hears of this member at its next refresh (20 s).
        with contextlib.suppress(ChannelFull):
            await self.channel_layer.send(message["from"], reply)

    async def presence_reply(self, message: dict[str, Any]) -> None:
        await self.send_frame(message["member"])

    async def presence_change(self, message: dict[str, Any]) -> None:
        if message["from"] != self.channel_name:
            await self.send_frame(message["member"])

    async def presence_leave(self, message: dict[str, Any]) -> None:
        if message["from"] != self.channel_name:
            await self.send_frame({"type": "presence.left", "connection": message["connection"]})
