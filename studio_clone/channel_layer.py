"""The Redis channel layer (channels-redis) with one addition: a group send that leaves one
channel out, for a broadcast whose sender already has what it says.

A tester's input answers the tester with the new transcript entries and then broadcasts the
same entries to the execution's group (editor/consumers/flow.py `broadcast_pending`), for
other tabs and other server processes. The tester's own connection is in that group, and
channels-redis would carry the broadcast through Redis back to it (a Lua script that stores
it, then the receiving side's pop, backup and clean-up: about six Redis round trips and a
msgpack decode in the event loop) only for the consumer to drop it. Leaving the sender out
costs nothing: when the group holds no one else, nothing is stored at all (bench B3).

And its Redis connections keep a cancel that arrives while a command is written. redis-py
writes each command under asyncio.wait_for (the socket timeout, REDIS_SOCKET_TIMEOUT), and
on Python 3.11 wait_for returns normally when the task is cancelled just as the write ends:
the cancel is lost. A consumer's receive, cancelled when its socket closes, then pops its
channel every 5 s for ever, and whatever waits for the consumer waits for ever (an event
loop's end: tests/test_permission_matrix_live.py hung in CI). Python 3.12's wait_for keeps
the cancel; there the check below never fires.
"""

from __future__ import annotations

import asyncio
import functools
from contextvars import ContextVar
from typing import Any

from channels_redis import core

_left_out: ContextVar[str | None] = ContextVar("left_out", default=None)


class KeepsCancels:
    """A redis-py connection class whose command writes do not lose a cancel."""

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        task = asyncio.current_task()
        cancels = task.cancelling() if task else 0
        await super().send_packed_command(command, check_health)  # type: ignore[misc]
        if task is not None and task.cancelling() > cancels:
            # Cancelled during the write and carried on: the answer will not be read, so
            # the connection must not serve another command (redis-py does the same when
            # the cancel does come through).
            await self.disconnect(nowait=True)  # type: ignore[attr-defined]
            raise asyncio.CancelledError


@functools.cache
def keeping_cancels(connection_class: type) -> type:
    return type(f"CancelKeeping{connection_class.__name__}", (KeepsCancels, connection_class), {})


class RedisChannelLayer(core.RedisChannelLayer):
    def create_pool(self, index: int) -> Any:
        pool = super().create_pool(index)
        # Whatever class the address chose (TCP, TLS, a Unix socket).
        pool.connection_class = keeping_cancels(pool.connection_class)
        return pool

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
