"""A canvas, reduced to the client rules of docs/protocol.md ("Co-editing", "Catching up"),
talking to a real server over a websocket: the tests' model of what the browser must do.

It holds the confirmed document and its version, and a queue of its own edits not yet
acknowledged; what the user sees (`view`) is the confirmed document with the queue applied
on top, each queued edit rebased over what was confirmed since it was made, and operations
that no longer apply dropped from the view. Changes (`doc.changed`, `doc.ack`,
`doc.changes`) are applied strictly in version order: one that arrives early waits for those
before it, one already applied is ignored, and a gap that stays open is closed with
`doc.sync`. A change that replaced the whole document, or a `doc.changes` that says
`reload`, makes it fetch the document again (GET /api/editor/flows/FW…), keeping its queue.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from editor.flowspec.edits import EditRefused, Working, apply
from editor.flowspec.rebase import Since, rebase
from editor.flowspec.studio_json import join_document, split_document
from tests.live_support import check_frame
from tests.process_support import page_address, socket_address, socket_headers

Document = dict[str, Any]
Ops = list[dict[str, Any]]
GAP_WAIT = 1.0  # seconds a gap in the versions may stay open before asking with doc.sync


def applied(document: Document, ops: Ops, *, whole: bool = True) -> Document:
    """The document after an edit: applied whole, as the server applies one made on the
    current version; or, `whole` False, each operation that still applies, the others left
    out (a rebased edit)."""
    head, states = split_document(copy.deepcopy(document))
    working = Working(states, head, positions={s.name: i for i, s in enumerate(states)})
    for part in [ops] if whole else [[op] for op in ops]:
        try:
            apply(working, copy.deepcopy(part))
        except EditRefused:
            if whole:
                raise
    return join_document(working.head, working.states)


def why(dropped: dict[str, Any], me: str) -> str:
    if "replaced" in dropped["reason"]:
        return "replaced"
    if dropped["by"] is None:
        return "no longer applies"
    return "own earlier edit" if dropped["by"] == me else "another's edit"


@dataclass
class Edit:
    ref: str
    base: int
    ops: Ops
    undo: bool = False
    sent: bool = False


@dataclass
class Ack:
    """One of this canvas's edits as the server acknowledged it."""

    edit: Edit
    version: int
    ops: Ops  # as applied; empty when nothing applied
    dropped: list[dict[str, Any]]


@dataclass
class Canvas:
    """One open flow page of `name` (whose session cookie is `session`) on a server."""

    name: str
    flow_sid: str
    session: str
    port: int
    document: Document = field(default_factory=dict)
    version: int = 0
    history: dict[int, Document] = field(default_factory=dict)  # version -> confirmed copy
    logged: dict[int, Ops | None] = field(default_factory=dict)  # version -> its ops
    seen: dict[int, Ops | None] = field(default_factory=dict)  # every change heard of
    early: dict[int, Ops | None] = field(default_factory=dict)  # held back until in order
    pending: list[Edit] = field(default_factory=list)
    acks: list[Ack] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)  # protocol breaches: fail the test
    stats: Counter = field(default_factory=Counter)
    socket: ClientConnection | None = None
    gap_since: float | None = None
    syncing: str | None = None  # the ref of the doc.sync in flight
    must_reload: bool = False
    refs: int = 0

    # The connection.
    async def open(self, port: int | None = None) -> None:
        self.port = port or self.port
        self.socket = await connect(
            socket_address(self.port, self.flow_sid),
            origin=page_address(self.port),  # type: ignore[arg-type]
            additional_headers=socket_headers(self.session),
            proxy=None,
            open_timeout=10,
        )
        hello = check_frame(json.loads(await self.socket.recv()))
        assert hello["type"] == "hello", hello

    async def start(self) -> None:
        await self.open()
        await self.fetch()

    async def leave(self) -> None:
        """Close the socket once no edit is in flight (its fate would be unknown)."""
        await self.pump_until(lambda: not any(e.sent for e in self.pending), "in-flight acks")
        assert self.socket is not None
        await self.socket.close()
        self.socket = None
        self.stats["disconnects"] += 1

    async def rejoin(self, port: int) -> None:
        """Reconnect, ask for every change since the version held, then send the queue."""
        await self.open(port)
        await self.sync()

    async def get_document(self) -> dict[str, Any]:
        """GET /api/editor/flows/FW… as the page does, with the session cookie."""
        url = f"{page_address(self.port)}/api/editor/flows/{self.flow_sid}"
        request = urllib.request.Request(url, headers=socket_headers(self.session))
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

        def get() -> dict[str, Any]:
            with opener.open(request, timeout=10) as response:
                return json.loads(response.read())

        return await asyncio.to_thread(get)

    async def fetch(self) -> None:
        """The document as the server has it now, keeping the queue."""
        found = await self.get_document()
        self.stats["fetches"] += 1
        self.must_reload = False
        if found["version"] >= self.version:
            self.document, self.version = found["definition"], found["version"]
            self.history[self.version] = copy.deepcopy(self.document)
        self.early = {v: ops for v, ops in self.early.items() if v > self.version}
        self.drain()

    async def send(self, frame: dict[str, Any]) -> None:
        assert self.socket is not None
        await self.socket.send(json.dumps(frame))

    def ref(self, kind: str) -> str:
        self.refs += 1
        return f"{self.name}-{kind}-{self.refs}"

    async def sync(self) -> None:
        self.syncing = self.ref("sync")
        self.stats["syncs"] += 1
        await self.send({"type": "doc.sync", "after": self.version, "ref": self.syncing})

    # Edits.
    async def edit(self, ops: Ops, *, base: int | None = None, undo: bool = False) -> Edit:
        """Queue an edit made on the view (or, for an undo, on version `base`); send it now
        if online and caught up, else when the queue is sent."""
        edit = Edit(self.ref("edit"), self.version if base is None else base, ops, undo)
        self.pending.append(edit)
        if self.socket is not None and self.syncing is None:
            await self.send_edit(edit)
        return edit

    async def send_edit(self, edit: Edit) -> None:
        edit.sent = True
        self.stats["sent"] += 1
        await self.send({"type": "doc.edit", "base": edit.base, "ops": edit.ops, "ref": edit.ref})

    def view(self) -> Document:
        document = self.document
        for edit in self.pending:
            document = applied(document, self.rebased(edit), whole=False)
        return document

    def rebased(self, edit: Edit) -> Ops:
        """An edit's operations over the changes confirmed since its base, as the server will
        rebase them (as they are when this canvas does not hold every change since)."""
        since = Since()
        for version in range(edit.base + 1, self.version + 1):
            ops = self.logged.get(version)
            if ops is None:
                return edit.ops
            since.add(ops, None)
        return [op for _, op in rebase(edit.ops, since)[0]]

    # Receiving.
    async def pump(self, seconds: float) -> None:
        """Handle what arrives for `seconds` (just wait when offline)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.socket is None:
                await asyncio.sleep(left)
                return
            try:
                text = await asyncio.wait_for(self.socket.recv(), min(left, 0.2))
            except TimeoutError:
                text = None
            if text is not None:
                await self.handle(check_frame(json.loads(text)))
            await self.mind_the_gap()

    async def pump_until(self, done: Any, what: str, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not done():
            assert time.monotonic() < deadline, f"{self.name} gave up waiting for {what}"
            await self.pump(0.05)

    async def mind_the_gap(self) -> None:
        if self.must_reload:
            await self.fetch()
        if not self.early:
            self.gap_since = None
            return
        now = time.monotonic()
        self.gap_since = self.gap_since or now
        if now - self.gap_since > GAP_WAIT and self.syncing is None and self.socket is not None:
            self.stats["gap syncs"] += 1
            self.gap_since = now
            await self.sync()

    async def handle(self, frame: dict[str, Any]) -> None:
        kind = frame["type"]
        if kind == "doc.changed":
            self.heard(frame["version"], frame["ops"])
        elif kind == "doc.ack":
            edit = self.answered(frame["ref"])
            self.acks.append(Ack(edit, frame["version"], frame["ops"], frame["dropped"]))
            if frame["ops"]:
                self.heard(frame["version"], frame["ops"])
            for item in frame["dropped"]:
                self.stats["dropped ops"] += 1
                self.stats[f"dropped: {why(item, self.name)}"] += 1
        elif kind == "doc.changes":
            await self.caught_up(frame)
        elif kind == "error":
            if frame.get("ref") is not None and frame["ref"] != self.syncing:
                self.answered(frame["ref"])
                self.refused.append(frame)
            else:
                self.faults.append(f"{self.name} was answered {frame}")

    def answered(self, ref: str) -> Edit:
        """The queued edit an answer is for: the oldest one sent (answers come in order)."""
        sent = [e for e in self.pending if e.sent]
        if not sent or sent[0].ref != ref:
            self.faults.append(f"{self.name}: answer {ref} out of order ({[e.ref for e in sent]})")
        edit = next(e for e in self.pending if e.ref == ref)
        self.pending.remove(edit)
        return edit

    async def caught_up(self, frame: dict[str, Any]) -> None:
        if frame.get("ref") != self.syncing:
            self.faults.append(f"{self.name}: unasked doc.changes {frame.get('ref')}")
        self.syncing = None
        if frame["reload"]:
            self.stats["reloads"] += 1
            await self.fetch()
        for change in frame["changes"]:
            self.heard(change["version"], change["ops"])
        for edit in self.pending:
            if not edit.sent and self.socket is not None:
                await self.send_edit(edit)

    def heard(self, version: int, ops: Ops | None) -> None:
        if self.seen.setdefault(version, ops) != ops:
            self.faults.append(f"{self.name}: version {version} came with different ops")
        if version <= self.version:
            self.stats["duplicates"] += 1
            return
        if version > self.version + 1:
            self.stats["early"] += 1
        self.early[version] = ops
        self.drain()

    def drain(self) -> None:
        """Apply the changes held back that now come next, in order."""
        while self.version + 1 in self.early:
            ops = self.early[self.version + 1]
            if ops is None:
                self.must_reload = True  # it replaced the document: only a fetch can tell
                return
            del self.early[self.version + 1]
            try:
                self.document = applied(self.document, ops)
            except EditRefused as exc:
                self.faults.append(f"{self.name}: version {self.version + 1} failed: {exc}")
            self.version += 1
            self.logged[self.version] = ops
            self.history[self.version] = self.document
