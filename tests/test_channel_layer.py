"""studio_clone/channel_layer.py: the Redis layer's group send that leaves the sender out
(a tester's own run broadcast, editor/realtime.py `send_from`)."""

from __future__ import annotations

import asyncio
import os

import pytest
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings

from editor import realtime
from tests.live_support import run

IN_CI = os.environ.get("CI", "").lower() == "true"
RUN = {"type": "run.changed", "execution": {"sid": "FN1"}, "entries": []}


def redis_layer():
    if not settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("RedisChannelLayer"):
        assert not IN_CI
        pytest.skip("the in-memory layer sends to the sender too; REDIS_URL is unset")
    return get_channel_layer()


def test_a_run_broadcast_reaches_every_watcher_but_its_sender():
    layer = redis_layer()

    async def scenario():
        sender, other = await layer.new_channel(), await layer.new_channel()
        for channel in (sender, other):
            await layer.group_add("execution.FN1", channel)
        await realtime.send_from(layer, "execution.FN1", RUN, sender)
        got = await asyncio.wait_for(layer.receive(other), 5)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(layer.receive(sender), 0.5)
        for channel in (sender, other):
            await layer.group_discard("execution.FN1", channel)
        return got

    assert run(scenario) == RUN


def test_a_group_of_the_sender_alone_stores_nothing_in_redis():
    layer = redis_layer()

    async def scenario():
        sender = await layer.new_channel()
        await layer.group_add("execution.FN2", sender)
        await layer.group_send_except("execution.FN2", RUN, sender)
        key = layer.prefix + layer.non_local_name(sender)
        stored = await layer.connection(0).exists(key)
        await layer.group_discard("execution.FN2", sender)
        return stored

    assert run(scenario) == 0


def test_other_broadcasts_still_reach_the_sender():
    """mocks.set answers its sender through the flow's broadcast (tests/test_live_limits.py)."""
    layer = InMemoryChannelLayer()
    mocks = {"type": "mocks.changed", "mocks": {}, "by": "alice"}

    async def scenario():
        sender = await layer.new_channel()
        await layer.group_add("flow.FW1", sender)
        await realtime.send_from(layer, "flow.FW1", mocks, sender)
        await realtime.send_from(layer, "flow.FW1", RUN, sender)  # no such method here: sent
        return [await layer.receive(sender), await layer.receive(sender)]

    assert run(scenario) == [mocks, RUN]


def test_a_cancel_that_arrives_while_a_command_is_written_is_not_lost():
    """redis-py writes each command under asyncio.wait_for (its socket timeout), which on
    Python 3.11 drops a cancel that arrives as the write ends. A consumer's receive, cancelled
    when its socket closed, then went on popping its channel every 5 s for ever, and the
    event loop that waited for it never ended (tests/test_permission_matrix_live.py hung)."""
    layer = redis_layer()

    async def scenario():
        pool = layer.connection(0).connection_pool
        connection = await pool.get_connection()
        task, write = asyncio.current_task(), connection._send_packed_command

        async def write_while_cancelled(command):
            task.cancel()  # as asyncio.run cancels what a scenario left behind
            await write(command)

        connection._send_packed_command = write_while_cancelled
        try:
            await connection.send_command("PING")
            outcome = "went on"
        except asyncio.CancelledError:
            task.uncancel()
            outcome = "cancelled"
        finally:
            del connection._send_packed_command
            await pool.release(connection)
        # Its answer unread, the connection is closed, not lent to the next command.
        return outcome, connection.is_connected

    assert run(scenario) == ("cancelled", False)
