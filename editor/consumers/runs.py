"""The flow websocket's test runs (docs/protocol.md, run.*): a tester's input to a run,
the executions a connection watches, and their broadcasts, with what a connection missed
read from the database. A part of FlowConsumer (editor/consumers/flow.py).
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from ..realtime import execution_group
from . import commands
from .commands import Refused


def sync(function: Any) -> Any:
    return database_sync_to_async(function)


class RunsMixin:
    """For FlowConsumer: needs `flow`, `role`, `scope`, `watching` (execution SID → the last
    entry sent), `pending`, `channel_layer`, `channel_name`, `send_frame`, `close_not_found` and
    `arm_timer`."""

    watching: dict[str, int]
    pending: list[tuple[str, dict[str, Any]]]

    async def drive(self, frame: dict[str, Any]) -> dict[str, Any] | None:
        """A tester's input (the hot path): role, event and answer in one thread trip."""
        sid = frame["execution"]
        have = self.watching.get(sid, 0)
        role, answer, pending = await sync(commands.drive_now)(
            self.scope["user"], self.flow, frame, have
        )
        self.pending += pending  # sent by `receive` after the answer
        self.role = role
        if role is None or answer is None:
            await self.close_not_found()
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
