"""The flow websocket (docs/protocol.md): one per open flow page, for its test runs today
and its co-editing next.

An async consumer, so that an idle connection costs a small object and no thread, and so it
can wait for a timer; each message's work (one service call) runs in one of a few database
threads (runs.py `sync`), so that connections do not queue behind each other's database
work. Messages of one connection are handled one at a time, in order.
This module holds the connection's life and the dispatch of its messages; driving and
watching test runs is runs.py's, presence presence.py's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from datetime import datetime
from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from .. import realtime
from ..flowspec import jsontext
from ..realtime import execution_group, flow_group, user_group
from ..services import debugger, test_runs
from ..services.changes import person
from . import commands, documents
from .commands import Refused
from .limits import BadFrame, Bucket, max_frame_bytes, parse, rate
from .presence import PresenceMixin
from .runs import RunsMixin, sync
from .sessions import SessionWatch, session_key_of

log = logging.getLogger(__name__)

PROTOCOL = 1
NOT_SIGNED_IN = 4401
NOT_FOUND = 4404
# The embedded default's catch-up on timers fired by the worker (another process, which
# the in-memory channel layer cannot reach): look shortly after the timer is due, then
# every second for a minute.
TIMER_GRACE = 0.5
TIMER_POLLS = 60
DRIVE = {"run.reply", "run.gather", "run.event", "run.hangup", "run.end", *commands.DEBUG_CONTROLS}


def hello_data(flow: Any, user: Any) -> tuple[dict[str, Any], int, dict[str, Any], list]:
    """What `hello` needs from the database, in one thread hop."""
    mocks, breakpoints = test_runs.mocks_of(flow), debugger.breakpoints_of(flow, user)
    return person(user) or {}, documents.version_of(flow), mocks, breakpoints


class FlowConsumer(RunsMixin, PresenceMixin, AsyncWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if not user or not user.is_authenticated:
            await self.close(code=NOT_SIGNED_IN)
            return
        found = await sync(commands.open_flow)(user, self.scope["url_route"]["kwargs"]["sid"])
        if found is None:
            await self.close(code=NOT_FOUND)
            return
        self.flow, self.role = found
        self.session = SessionWatch(session_key_of(self.scope))
        self.connection = secrets.token_hex(8)
        self.selection: list[str] = []
        self.typing: dict[str, Any] | None = None
        self.watching: dict[str, int] = {}
        self.timers: dict[str, asyncio.Task] = {}
        self.pending: list[tuple[str, dict[str, Any]]] = []  # broadcasts not yet sent
        per_second, burst = rate()
        self.bucket = Bucket(per_second, burst)
        await self.accept()
        await self.channel_layer.group_add(flow_group(self.flow.sid), self.channel_name)
        await self.channel_layer.group_add(user_group(user.pk), self.channel_name)
        self.member_user, version, mocks, breakpoints = await sync(hello_data)(self.flow, user)
        await self.send_frame(
            {
                "type": "hello",
                "protocol": PROTOCOL,
                "connection": self.connection,
                "version": version,
                "flow": {"sid": self.flow.sid, "friendly_name": self.flow.friendly_name},
                "user": self.member_user,
                "role": self.role,
                "can_edit": commands.can_edit(self.role),
                "mocks": mocks,
                "breakpoints": breakpoints,
                "limits": {
                    "max_frame_bytes": max_frame_bytes(),
                    "rate_per_second": per_second,
                    "burst": burst,
                },
            }
        )
        await self.announce()

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' dispatch without the close_old_connections it makes before every
        message: that call runs in the process's one thread-sensitive thread, so every
        frame and broadcast of every connection queued there behind whatever database work
        held it (bench B3: a bare echo took 0.7 s under load). This consumer's database
        work gives its connection back itself (runs.py `sync`)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "flow"):
            return
        for task in self.timers.values():
            task.cancel()
        await self.depart()
        await self.channel_layer.group_discard(flow_group(self.flow.sid), self.channel_name)
        await self.channel_layer.group_discard(user_group(self.scope["user"].pk), self.channel_name)
        for sid in self.watching:
            await self.channel_layer.group_discard(execution_group(sid), self.channel_name)

    async def closed_out(self, role: str | None) -> bool:
        """Closes the socket, and says so, when `role` (commands.role_now's) says the user
        may no longer see the flow: 4401 once the session no longer signs them in, else
        4404 (removed from the team, the flow gone or moved). Nothing more of the flow
        reaches this socket, whatever is already queued for it."""
        if role is not None and role != commands.SIGNED_OUT:
            return False
        await self.channel_layer.group_discard(flow_group(self.flow.sid), self.channel_name)
        for sid in self.watching:
            await self.channel_layer.group_discard(execution_group(sid), self.channel_name)
        await self.close(code=NOT_SIGNED_IN if role == commands.SIGNED_OUT else NOT_FOUND)
        return True

    async def send_frame(self, frame: dict[str, Any]) -> None:
        await self.send(text_data=jsontext.dumps(frame, default=str))

    async def refuse(self, code: str, message: str, ref: str | None, **more: Any) -> None:
        frame = {"type": "error", "code": code, "message": message, **more}
        if ref is not None:
            frame["ref"] = ref
        await self.send_frame(frame)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.bucket.take():
            limit = f"{self.bucket.per_second:g} a second"
            await self.refuse("rate_limited", f"Too many messages: at most {limit}", None)
            return
        try:
            frame = parse(text_data, bytes_data)
        except BadFrame as exc:
            await self.refuse(exc.code, exc.message, exc.ref)
            return
        try:
            await self.answer(frame)
        finally:
            await self.broadcast_pending()

    async def broadcast_pending(self) -> None:
        """What the message's own database work announced to other watchers (realtime.py's
        `deferred`): sent after this connection's answer, from the event loop, and not back
        to this connection when its answer holds it (realtime.py `send_from`)."""
        pending, self.pending = self.pending, []
        for group, message in pending:
            try:
                await realtime.send_from(self.channel_layer, group, message, self.channel_name)
            except Exception:  # a broadcast lost is caught up later; the write has committed
                log.exception("broadcast to %s failed", group)

    async def answer(self, frame: dict[str, Any]) -> None:
        ref = frame.get("ref")
        try:
            answer = await self.handle(frame)
        except Refused as exc:
            extra = {"execution": exc.execution} if exc.execution else {}
            await self.refuse(exc.code, exc.message, ref, **extra)
            return
        except Exception:
            log.exception("websocket message %s failed", frame["type"])
            await self.refuse("internal", "The server could not do that; try again", ref)
            return
        if answer is not None:
            if ref is not None:
                answer["ref"] = ref
            await self.send_frame(answer)

    async def handle(self, frame: dict[str, Any]) -> dict[str, Any] | None:
        kind = frame["type"]
        if kind == "ping":
            return {"type": "pong"}
        if kind in DRIVE:
            return await self.drive(frame)
        # Roles change (a member removed, made a viewer): ask again on every message.
        self.role = await sync(commands.role_now)(self.scope["user"], self.flow, self.session.due())
        if await self.closed_out(self.role):
            return None
        if kind == "run.start":
            execution = await sync(commands.start)(self.flow, frame, self.scope["user"])
            return await self.watch(execution.sid, None)
        if kind == "run.watch":
            return await self.watch(frame["execution"], frame.get("after"))
        if kind == "run.unwatch":
            await self.unwatch(frame["execution"])
            return None
        if kind == "step.context":
            return await sync(commands.step_context)(self.flow, frame)
        if kind == "doc.edit":
            if not commands.can_edit(self.role):
                raise Refused("forbidden", "Viewers cannot change the flow; ask an editor")
            return await sync(documents.edit)(self.flow, frame, self.scope["user"])
        if kind == "doc.sync":
            return await sync(documents.sync)(self.flow, frame["after"])
        if kind == "debug.breakpoint":  # anyone who may test may debug their own runs
            return await sync(commands.set_breakpoint)(self.flow, frame, self.scope["user"])
        if kind == "presence.update":
            await self.presence_update(frame)
            return None
        if kind == "mocks.set":
            if not commands.can_edit(self.role):
                raise Refused("forbidden", "Viewers cannot change mocks; ask an editor")
            await sync(commands.set_mock)(self.flow, frame, self.scope["user"])
            return None
        raise Refused("bad_message", f"Unknown message type {kind!r}")

    # Broadcasts (editor/realtime.py).
    async def doc_changed(self, message: dict[str, Any]) -> None:
        await self.send_frame({"type": "doc.changed", **message["change"]})

    async def flow_updated(self, message: dict[str, Any]) -> None:
        await self.send_frame({"type": "flow.updated", **message["fields"]})

    async def access_changed(self, message: dict[str, Any]) -> None:
        """The user's role changed, they left the team, signed out or the flow moved: a
        member who may no longer see the flow is closed out before another change reaches
        them; one whose role changed is told (the canvas turns read-only or says to reload)
        and shows so to the others."""
        role = await sync(commands.role_now)(self.scope["user"], self.flow, self.session.now())
        if await self.closed_out(role):
            return
        if role == self.role:
            return
        self.role = role
        can_edit = commands.can_edit(role)
        await self.send_frame({"type": "access.changed", "role": role, "can_edit": can_edit})
        await self.announce("presence.change")

    async def mocks_changed(self, message: dict[str, Any]) -> None:
        await self.send_frame(
            {"type": "mocks", "mocks": message["mocks"], "changed_by": message["by"]}
        )

    # Timers fired by a worker this process cannot hear from.
    def arm_timer(self, sid: str, execution: dict[str, Any]) -> None:
        wait = execution.get("wait") or {}
        due = wait.get("timeout_at")
        current = self.timers.pop(sid, None)
        if current:
            current.cancel()
        if due and execution["status"] == "active":
            self.timers[sid] = asyncio.ensure_future(self.await_timer(sid, due))

    async def await_timer(self, sid: str, due: str) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            delay = (datetime.fromisoformat(due) - timezone.now()).total_seconds()
            await asyncio.sleep(max(0.0, delay) + TIMER_GRACE)
            for _ in range(TIMER_POLLS):
                last_seq, timer = await sync(commands.progress)(self.flow, sid)
                if last_seq > self.watching.get(sid, 0):
                    self.timers.pop(sid, None)
                    await self.send_frame(await self.catch_up(sid))
                    return
                if timer != due:
                    return
                await asyncio.sleep(1)
