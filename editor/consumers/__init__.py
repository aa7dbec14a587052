"""Websocket consumers and their routes (docs/protocol.md)."""

from __future__ import annotations

from channels.generic.websocket import WebsocketConsumer
from django.urls import re_path

from .flow import NOT_FOUND, FlowConsumer


class NoSuchSocket(WebsocketConsumer):
    """Any other path: refused as an unknown flow is, not with a server error."""

    def connect(self) -> None:
        self.close(code=NOT_FOUND)


websocket_urlpatterns = [
    re_path(r"^ws/flows/(?P<sid>FW[0-9a-fA-F]{32})/$", FlowConsumer.as_asgi()),
    re_path(r"", NoSuchSocket.as_asgi()),
]
