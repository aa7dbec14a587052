"""Websocket consumers and their routes (docs/protocol.md)."""

from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import re_path

from .flow import NOT_FOUND, FlowConsumer


class NoSuchSocket(AsyncWebsocketConsumer):
    """Any other path: refused as an unknown flow is, not with a server error. With no
    channel layer (an alias that names none) and no thread: a refusal needs neither, and a
    consumer that joined the layer only to refuse left a receive on it behind."""

    channel_layer_alias = "none: a refused socket joins no channel layer"

    async def connect(self) -> None:
        await self.close(code=NOT_FOUND)


websocket_urlpatterns = [
    re_path(r"^ws/flows/(?P<sid>FW[0-9a-fA-F]{32})/$", FlowConsumer.as_asgi()),
    re_path(r"", NoSuchSocket.as_asgi()),
]
