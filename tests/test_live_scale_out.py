"""Scale-out: two ASGI server processes and a worker process share PostgreSQL and Redis, and
every tab watching an execution follows it whichever process drove it (docs/protocol.md,
"Watching"). Tab A talks to server 1 and tab B to server 2, over real websockets.

The servers run the project's ASGI application under uvicorn, as production does, with one
change: the consumer's database catch-up on timers (editor/consumers/flow.py, TIMER_GRACE) is
pushed an hour out. A timeout that reaches both tabs within seconds can then only have come
from the worker's broadcast through Redis.

It needs PostgreSQL (several processes on one SQLite file is the embedded default's business,
tested in tests/test_durability.py) and Redis: without them it skips, and with CI=true fails.
The processes use the test database and REDIS_URL's server at database REDIS_DB, or
SCALE_OUT_REDIS_URL when it is set (tests/process_support.py starts and stops them).
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from websockets.sync.client import ClientConnection

from editor import services
from editor.models import Status
from editor.samples import load_sample
from tests.live_support import check_frame, texts
from tests.process_support import Stack, require_scale_out, session_of

TIMEOUT = 2  # seconds: the Send & Wait timeout the worker fires
ASIDE = ("presence.", "doc.", "flow.")


class Tab:
    """One browser tab of a signed-in user on a flow's page, on one server."""

    def __init__(self, name: str, socket: ClientConnection) -> None:
        self.name = name
        self.socket = socket
        self.presence: list[dict[str, Any]] = []
        self.hello = self.receive()
        assert self.hello["type"] == "hello"

    def receive(self, timeout: float = 10, *, keep: tuple[str, ...] = ()) -> dict[str, Any]:
        """The next frame about runs, or of a kind in `keep`. Presence and the flow's own
        changes are set aside otherwise: the other tab's presence crosses Redis and may
        arrive after any answer of this one."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                frame = json.loads(self.socket.recv(max(0.0, deadline - time.monotonic())))
            except TimeoutError:
                message = f"tab {self.name} received nothing within {timeout} s"
                raise AssertionError(message) from None
            check_frame(frame)
            if frame["type"].startswith(keep) or not frame["type"].startswith(ASIDE):
                return frame

    def next_of(self, kind: str, timeout: float = 10) -> dict[str, Any]:
        while True:
            frame = self.receive(timeout, keep=(kind,))
            if frame["type"] == kind:
                return frame

    def ask(self, frame: dict[str, Any]) -> dict[str, Any]:
        """Send a frame with a ref and return the answer that carries it."""
        ref = f"r{id(frame)}"
        self.socket.send(json.dumps({**frame, "ref": ref}))
        while (answer := self.receive(keep=("",))).get("ref") != ref:
            pass
        assert answer["type"] != "error", answer
        return answer


def quick_timeout() -> dict[str, Any]:
    definition = load_sample("conversations-tutorial")
    [wait] = [s for s in definition["states"] if s["name"] == "send_and_reply_1"]
    wait["properties"]["timeout"] = str(TIMEOUT)
    return definition


@pytest.mark.django_db(transaction=True)
def test_tabs_on_two_servers_follow_one_run_and_the_workers_timeout(team, alice, carol, tmp_path):
    url = require_scale_out("the scale-out test")
    # Committed as it is made (a transactional test): the other processes see all of it. The
    # sample waits an hour for the reply, so that a slow machine cannot time out step 1.
    flow = services.create_flow(
        team, friendly_name="Scale out", definition=load_sample("conversations-tutorial")
    )
    sessions = session_of(alice), session_of(carol)

    with Stack(tmp_path, url) as stack:
        worker = stack.worker()
        ports = stack.servers(2)
        stack.wait_until(lambda: "Starting worker" in worker.log(), "the worker to start")
        a = Tab("A", stack.socket(ports[0], flow, sessions[0]))
        b = Tab("B", stack.socket(ports[1], flow, sessions[1]))

        # 0. Each sees the other arrive, and an edit on one server reaches the other.
        b_seen_by_a = a.next_of("presence.updated")
        a_seen_by_b = b.next_of("presence.updated")
        assert b_seen_by_a["connection"] == b.hello["connection"]
        assert a_seen_by_b["connection"] == a.hello["connection"]
        b.socket.send(
            json.dumps({"type": "presence.update", "selection": ["split_1"], "typing": None})
        )
        assert a.next_of("presence.updated")["selection"] == ["split_1"]
        move = {"op": "move_widgets", "offsets": {"split_1": {"x": 40, "y": 480}}}
        acked = a.ask({"type": "doc.edit", "base": a.hello["version"], "ops": [move]})
        changed = b.next_of("doc.changed")
        assert (changed["version"], changed["ops"]) == (acked["version"], [move])
        assert changed["author"]["name"] == "alice"

        # 1. A (server 1) starts a run and replies; B (server 2) watches it live.
        started = a.ask({"type": "run.start", "trigger": "message"})
        sid = started["execution"]["sid"]
        watched = b.ask({"type": "run.watch", "execution": sid})
        replied = a.ask({"type": "run.reply", "execution": sid, "body": "yes"})
        live = b.receive()

        assert watched["type"] == "run.snapshot"
        assert watched["entries"] == started["entries"]
        assert live["type"] == "run.delta" and "ref" not in live
        assert live["entries"] == replied["entries"], "both tabs show the same transcript"
        assert live["execution"] == replied["execution"]
        assert live["entries"][0]["seq"] == watched["execution"]["last_seq"] + 1
        assert "Great! We like you too. Bots and humans, best friends forever." in texts(
            live["entries"]
        )
        assert live["execution"]["status"] == "ended"

        # 2. The tester sets the timeout to TIMEOUT seconds and starts again; nobody replies.
        services.update_flow(flow, status=Status.DRAFT, definition=quick_timeout())
        second = a.ask({"type": "run.start", "trigger": "message"})
        sid = second["execution"]["sid"]
        b.ask({"type": "run.watch", "execution": sid})
        due = datetime.fromisoformat(second["execution"]["wait"]["timeout_at"])
        assert due - timezone.now() <= timedelta(seconds=TIMEOUT)

        fired = [a.receive(timeout=TIMEOUT + 10), b.receive(timeout=TIMEOUT + 10)]
        late = timezone.now() - due

    for delta in fired:
        assert delta["type"] == "run.delta" and "ref" not in delta
        assert delta["execution"]["sid"] == sid and delta["execution"]["status"] == "ended"
        timeout = delta["entries"][0]
        assert (timeout["input"], timeout["source"]) == ("timeout", "worker")
        assert timeout["seq"] == second["execution"]["last_seq"] + 1
    assert fired[0]["entries"] == fired[1]["entries"]
    assert late < timedelta(seconds=5), f"the timeout reached the tabs {late} after it was due"
