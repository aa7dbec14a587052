"""The benchmark server's ASGI application: the product's own (studio_clone/asgi.py) plus a
bare echo websocket at /ws/echo/, the baseline of B2 and B3, and at /ws/floor/ the echo
with the least database work a reply could do (B2 reports it for information). Both
routes exist only here, never in the product.

The echo consumer is a Channels consumer like the flow consumer (editor/consumers/flow.py),
so both pay for Channels' dispatch and a channel-layer channel per connection; it has no
Origin check, no session lookup, no database and no groups: the floor a websocket costs on
this server. The floor consumer echoes too, after one trip to the flow consumer's database
threads (editor/consumers/runs.py `sync`) for one committed write there: a reply must do at
least that much (it also reads, runs the engine, and writes several rows).
"""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import connection

from studio_clone.asgi import application as studio

ECHO_PATH = "/ws/echo/"
FLOOR_PATH = "/ws/floor/"


class Echo(AsyncWebsocketConsumer):
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.send(text_data=text_data, bytes_data=bytes_data)


def write_once() -> None:
    """One committed write that changes nothing: the team row of whichever benchmark runs
    (B2's or B3's) set to what it is."""
    from editor.models import Team

    table = connection.ops.quote_name(Team._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET slug = slug WHERE slug LIKE %s", ["bench-b%"])  # noqa: S608


class Floor(AsyncWebsocketConsumer):
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        from editor.consumers.runs import sync

        await sync(write_once)()
        await self.send(text_data=text_data, bytes_data=bytes_data)


ROUTES = {ECHO_PATH: Echo.as_asgi(), FLOOR_PATH: Floor.as_asgi()}


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    route = ROUTES.get(scope["path"]) if scope["type"] == "websocket" else None
    await (route or studio)(scope, receive, send)
