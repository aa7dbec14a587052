"""realtime.deferred: broadcasts made inside it wait for the consumer to send them after
its answer (editor/consumers/flow.py); if the block fails they are sent on the way out.

Each scenario runs in one event loop (channels-redis binds its queues to the loop), the
broadcasting code in a thread as the database calls of a consumer run."""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer

from editor import realtime

GROUP = "deferred-test"


def listening(scenario):
    async def main():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(GROUP, channel)

        async def received() -> list[int]:
            found = []
            while True:
                try:
                    found.append((await asyncio.wait_for(layer.receive(channel), 0.3))["n"])
                except TimeoutError:
                    return found

        try:
            return await scenario(received)
        finally:
            await layer.group_discard(GROUP, channel)

    return async_to_sync(main)()


def message(n: int) -> dict:
    return {"type": "run.changed", "n": n}


def test_broadcasts_inside_the_block_are_handed_back_not_sent():
    def block():
        with realtime.deferred() as pending:
            realtime.send(GROUP, message(1))
        return pending

    async def scenario(received):
        pending = await sync_to_async(block)()
        held = await received()
        await sync_to_async(realtime.send)(GROUP, message(2))  # outside: sent at once
        return pending, held, await received()

    pending, held, sent = listening(scenario)
    assert pending == [(GROUP, message(1))]
    assert held == []
    assert sent == [2]


def test_a_failing_block_still_sends_what_it_committed():
    def block():
        try:
            with realtime.deferred() as pending:
                realtime.send(GROUP, message(3))
                raise RuntimeError("after the commit")
        except RuntimeError:
            return pending
        raise AssertionError("the error was swallowed")

    async def scenario(received):
        pending = await sync_to_async(block)()
        return pending, await received()

    pending, sent = listening(scenario)
    assert pending == []
    assert sent == [3]
