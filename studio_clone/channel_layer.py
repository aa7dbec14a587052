"""The Redis channel layer (channels-redis) with one addition: a group send that leaves one
channel out, for a broadcast whose sender already has what it says.

A tester's input answers the tester with the new transcript entries and then broadcasts the
same entries to the execution's group (editor/consumers/flow.py `broadcast_pending`), for
other tabs and other server processes. The tester's own connection is in that group, and
channels-redis would carry the broadcast through Redis back to it (a Lua script that stores
it, then the receiving side's pop, backup and clean-up: about six Redis round trips and a
msgpack decode in the event loop) only for the consumer to drop it. Leaving the sender out
costs nothing: when the group holds no one else, nothing is stored at all (bench B3).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from channels_redis import core

_left_out: ContextVar[str | None] = ContextVar("left_out", default=None)


class RedisChannelLayer(core.RedisChannelLayer):
    async def group_send_except(self, group: str, message: dict[str, Any], channel: str) -> None:
        """group_send to every channel of the group but `channel`."""
        token = _left_out.set(channel)
        try:
            await self.group_send(group, message)
        finally:
            _left_out.reset(token)

    def _map_channel_keys_to_connection(self, channel_names: list[str], message: Any) -> Any:
        # channels-redis 4.3 (pinned): group_send reads the group's channels, then maps
        # them to Redis keys here; a channel not mapped is not sent to, and with none left
        # group_send stores nothing (tests/test_channel_layer.py).
        left_out = _left_out.get()
        if left_out is not None:
            channel_names = [name for name in channel_names if name != left_out]
        return super()._map_channel_keys_to_connection(channel_names, message)
