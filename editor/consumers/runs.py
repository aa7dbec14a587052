"""The flow websocket's test runs (docs/protocol.md, run.*): a tester's input to a run,
the executions a connection watches, and their broadcasts, with what a connection missed
read from the database. A part of FlowConsumer (editor/consumers/flow.py).
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import SyncToAsync
from django.conf import settings
from django.db import close_old_connections

from ..realtime import execution_group
from . import commands
from .commands import Refused


def database_threads() -> int:
    """How many of a process's websocket messages may do database work at once. Under the
    PostgreSQL pool each takes a connection of its own: keep it below DATABASE_POOL_MAX,
    leaving one for HTTP (studio_clone/handler.py, thread-sensitive)."""
    return int(settings.WEBSOCKET_DATABASE_THREADS)


@functools.cache
def executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(database_threads(), thread_name_prefix="websocket-db")


class DatabaseCall(SyncToAsync):
    """A consumer's database work, in one of the websocket threads (executor()) instead of
    the one thread asgiref gives all thread-sensitive work of a process: one connection's
    slow message no longer queues every other connection's. A connection's own messages
    still run one at a time and in order (the consumer awaits each before the next).

    The thread's database connection is given back when the call ends (to the PostgreSQL
    pool, or closed) as channels' database_sync_to_async does; but through
    django.db.close_old_connections itself, which channels' test communicator leaves alone
    (it turns channels' own call off for thread-sensitive tests, whose connection is the
    test's), so these threads cannot keep pooled connections in tests either."""

    def thread_handler(self, loop: Any, *args: Any, **kwargs: Any) -> Any:
        close_old_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            close_old_connections()


def sync(function: Any) -> Any:
    return DatabaseCall(function, thread_sensitive=False, executor=executor())


class RunsMixin:
    """For FlowConsumer: needs `flow`, `role`, `scope`, `session`, `watching` (execution
    SID → the last entry sent), `pending`, `channel_layer`, `channel_name`, `send_frame`,
    `closed_out` and `arm_timer`."""

    watching: dict[str, int]
    pending: list[tuple[str, dict[str, Any]]]

    async def drive(self, frame: dict[str, Any]) -> dict[str, Any] | None:
        """A tester's input (the hot path): role, event and answer in one thread trip."""
        sid = frame["execution"]
        have = self.watching.get(sid, 0)
        role, answer, pending = await sync(commands.drive_now)(
            self.scope["user"], self.flow, frame, have, self.session.due()
        )
        self.pending += pending  # sent by `receive` after the answer
        self.role = role
        if await self.closed_out(role) or answer is None:
            return None
        if sid not in self.watching:
            await self.channel_layer.group_add(execution_group(sid), self.channel_name)
        self.seen(sid, answer)
        return answer

    async def watch(self, sid: str, after: int | None) -> dict[str, Any]:
        """Join the execution's group first, then read: nothing can fall in between."""
        joined = sid not in self.watching
        if joined:
            await self.channel_layer.group_add(execution_group(sid), self.channel_name)
        try:
            execution = await sync(commands.find)(self.flow, sid)
        except Refused:
            if joined:
                await self.channel_layer.group_discard(execution_group(sid), self.channel_name)
            raise
        if after is None:
            frame = await sync(commands.snapshot)(execution)
        else:
            frame = await sync(commands.delta)(execution, after)
        self.seen(sid, frame)
        return frame

    async def unwatch(self, sid: str) -> None:
        if self.watching.pop(sid, None) is not None:
            await self.channel_layer.group_discard(execution_group(sid), self.channel_name)
        timer = self.timers.pop(sid, None)
        if timer:
            timer.cancel()

    async def catch_up(self, sid: str) -> dict[str, Any]:
        """The entries after the last one this connection has, from the database."""
        execution = await sync(commands.find)(self.flow, sid)
        frame = await sync(commands.delta)(execution, self.watching.get(sid, 0))
        if sid not in self.watching:
            await self.channel_layer.group_add(execution_group(sid), self.channel_name)
        self.seen(sid, frame)
        return frame

    def seen(self, sid: str, frame: dict[str, Any]) -> None:
        execution = frame["execution"]
        self.watching[sid] = max(self.watching.get(sid, 0), execution["last_seq"])
        self.arm_timer(sid, execution)

    # Broadcasts (editor/realtime.py).
    async def run_changed(self, message: dict[str, Any]) -> None:
        sid = message["execution"]["sid"]
        if sid not in self.watching:
            return
        entries = message["entries"]
        have = self.watching[sid]
        if entries and entries[-1]["seq"] <= have:
            return  # already sent (the answer to this connection's own message)
        if entries and entries[0]["seq"] > have + 1:
            await self.send_frame(await self.catch_up(sid))  # a gap: read what was missed
            return
        fresh = [entry for entry in entries if entry["seq"] > have]
        frame = {"type": "run.delta", "execution": message["execution"], "entries": fresh}
        self.seen(sid, frame)
        await self.send_frame(frame)
