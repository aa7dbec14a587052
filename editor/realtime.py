"""Group names and the only place that broadcasts to websockets (docs/protocol.md).

A broadcast is sent after the transaction that wrote what it announces has committed, so a
watcher never sees an entry the database does not have. With Redis as the channel layer it
reaches every server process; with the embedded default's in-memory layer it reaches this
process only, and consumers catch up on timers fired by the worker from the database
(editor/consumers.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def execution_group(sid: str) -> str:
    return f"execution.{sid}"


def flow_group(sid: str) -> str:
    return f"flow.{sid}"


def user_group(user_id: int) -> str:
    """Every flow socket a user has open, whatever the flow (their access changed)."""
    return f"user.{user_id}"


_local = threading.local()


@contextlib.contextmanager
def deferred() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Broadcasts made in this thread inside the block are collected, not sent: the caller
    sends them from its event loop once it has answered (editor/consumers/flow.py, a
    tester's input), which spares the database thread a trip into the loop and Redis.
    If the block raises, what it collected is sent here before the error goes on."""
    pending: list[tuple[str, dict[str, Any]]] = []
    previous = getattr(_local, "pending", None)
    _local.pending = pending
    try:
        yield pending
    except BaseException:
        _local.pending = previous
        for group, message in pending:
            send(group, message)
        pending.clear()
        raise
    finally:
        _local.pending = previous


def send(group: str, message: dict[str, Any]) -> None:
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending.append((group, message))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is not None:
        # Called from a thread that runs an event loop (async_to_sync cannot run there).
        loop.create_task(layer.group_send(group, message))
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # a broadcast lost is caught up later; the write has committed
        log.exception("broadcast to %s failed", group)


async def send_from(layer: Any, group: str, message: dict[str, Any], sender: str) -> None:
    """Send, from the event loop, a broadcast that `deferred` collected for the consumer
    whose message made it (channel `sender`). A run's new entries are in that consumer's
    answer already, so they go to every other watcher but not back to it, where the
    Redis layer would carry them through Redis only to be dropped
    (studio_clone/channel_layer.py)."""
    if message["type"] == "run.changed" and hasattr(layer, "group_send_except"):
        await layer.group_send_except(group, message, sender)
    else:
        await layer.group_send(group, message)


def on_commit(group: str, message: dict[str, Any]) -> None:
    transaction.on_commit(lambda: send(group, message))


def execution_changed(sid: str, execution: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    """New transcript entries of an execution (and the execution as they left it)."""
    message = {"type": "run.changed", "execution": execution, "entries": entries}
    on_commit(execution_group(sid), message)


def mocks_changed(flow_sid: str, mocks: dict[str, Any], changed_by: str) -> None:
    on_commit(flow_group(flow_sid), {"type": "mocks.changed", "mocks": mocks, "by": changed_by})


def flow_changed(flow_sid: str, change: dict[str, Any]) -> None:
    """A change to the flow's working copy (docs/protocol.md, `doc.changed`)."""
    on_commit(flow_group(flow_sid), {"type": "doc.changed", "change": change})


def flow_updated(flow_sid: str, fields: dict[str, Any]) -> None:
    """The flow's name, status, revisions or test users changed (`flow.updated`)."""
    on_commit(flow_group(flow_sid), {"type": "flow.updated", "fields": fields})


def access_changed(user_id: int) -> None:
    """A member's role in a team changed, or they left it: each flow socket they have open
    asks for their role again (and closes if they may no longer see the flow)."""
    on_commit(user_group(user_id), {"type": "access.changed"})


def flow_moved(flow_sid: str) -> None:
    """The flow changed team: every socket on it asks for its user's role again."""
    on_commit(flow_group(flow_sid), {"type": "access.changed"})
