"""The benchmark server's ASGI application: the product's own (studio_clone/asgi.py) plus a
bare echo websocket at /ws/echo/, the baseline of B2 and B3. The echo route exists only
here, never in the product.

The echo consumer is a Channels consumer like the flow consumer (editor/consumers/flow.py),
so both pay for Channels' dispatch and a channel-layer channel per connection; it has no
Origin check, no session lookup, no database and no groups: the floor a websocket costs on
this server.
"""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer

from studio_clone.asgi import application as studio

ECHO_PATH = "/ws/echo/"


class Echo(AsyncWebsocketConsumer):
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.send(text_data=text_data, bytes_data=bytes_data)


echo = Echo.as_asgi()


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "websocket" and scope["path"] == ECHO_PATH:
        await echo(scope, receive, send)
    else:
        await studio(scope, receive, send)
