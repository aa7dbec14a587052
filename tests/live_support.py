"""Talking to the flow websocket in tests: a communicator whose every received frame is
checked against docs/protocol.schema.json (the schema the docs publish)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.db import connections
from jsonschema import Draft7Validator

from studio_clone.asgi import application
from tests.asgi_server import fresh_channel_layer

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "docs/protocol.schema.json").read_text())
SERVER = Draft7Validator({**SCHEMA["definitions"]["server"], "definitions": SCHEMA["definitions"]})
CLIENT = Draft7Validator({**SCHEMA["definitions"]["client"], "definitions": SCHEMA["definitions"]})
ORIGIN = (b"origin", b"http://testserver")
HOST = (b"host", b"testserver")  # a browser's socket names its host, as its page's requests


def check_frame(frame: dict[str, Any]) -> dict[str, Any]:
    errors = sorted(SERVER.iter_errors(frame), key=lambda e: e.path)
    assert not errors, f"frame {frame.get('type')} breaks the protocol: {errors[0].message}"
    return frame


class Live:
    """One connection, as one browser tab of `user` on `flow_sid`."""

    def __init__(self, user: Any, flow_sid: str, *, origin: tuple | None = ORIGIN) -> None:
        headers = [HOST, origin] if origin else [HOST]
        self.socket = WebsocketCommunicator(application, f"/ws/flows/{flow_sid}/", headers)
        self.socket.scope["user"] = user
        self.user = user
        self.presence: list[dict[str, Any]] = []

    async def open(self) -> dict[str, Any]:
        connected, code = await self.socket.connect(timeout=5)
        assert connected, f"refused with {code}"
        hello = await self.receive()
        assert hello["type"] == "hello"
        return hello

    async def refused(self) -> int:
        connected, code = await self.socket.connect(timeout=5)
        assert not connected
        return code

    async def send(self, frame: dict[str, Any]) -> None:
        await self.socket.send_json_to(frame)

    async def receive(self, timeout: float = 10, *, presence: bool = False) -> dict[str, Any]:
        """The next frame; presence frames are set aside in `self.presence` unless asked
        for (others joining and leaving would otherwise interleave every scenario)."""
        while True:
            frame = check_frame(await self.socket.receive_json_from(timeout=timeout))
            if presence or not frame["type"].startswith("presence."):
                return frame
            self.presence.append(frame)

    async def ask(self, frame: dict[str, Any], timeout: float = 10) -> dict[str, Any]:
        """Send a frame with a ref and return the answer that carries it."""
        ref = f"r{id(frame)}"
        await self.send({**frame, "ref": ref})
        while True:
            answer = await self.receive(timeout)
            if answer.get("ref") == ref:
                return answer

    async def nothing(self, timeout: float = 0.3) -> bool:
        """True if nothing but presence arrives within `timeout`."""
        while not await self.socket.receive_nothing(timeout=timeout):
            frame = check_frame(await self.socket.receive_json_from())
            if not frame["type"].startswith("presence."):
                return False
            self.presence.append(frame)
        return True

    async def close(self) -> None:
        await self.socket.disconnect()


def run(scenario: Any, *args: Any) -> Any:
    """Run an async scenario to its end from a test. In a thread of its own: a browser test
    earlier in the same process leaves Playwright's event loop in the main thread, where
    async_to_sync refuses to run (the tests' data is committed, so any thread sees it)."""

    def body() -> Any:
        fresh_channel_layer()
        try:
            return async_to_sync(scenario)(*args)
        finally:
            connections.close_all()  # this thread's own, or the test database stays busy

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(body).result()


def texts(entries: list[dict[str, Any]], kind: str = "message") -> list[str]:
    return [entry["body"] for entry in entries if entry["kind"] == kind]
