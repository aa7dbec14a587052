"""What B2 and B3 share: the looping test flow, signed-in users with their session cookies,
the benchmark server (bench/ws_app.py: the product plus a bare echo socket), and the two
kinds of client connection, a test panel and an echo, over the `websockets` client library.

The flow loops so that a tester can reply again and again without restarting:
Trigger → ask (send & wait) → route (split on the reply) → answer (send message) → ask. One
reply makes three steps (ask → route, route → answer, answer → ask) and two messages, and
leaves the run waiting at `ask` again. The engine's guards allow it: a widget may run at
most 10 times *in a row* (three alternate here), and a run may take 1,000 steps, so a
tester starts a new run before it gets near that (REPLIES_PER_RUN).
"""

from __future__ import annotations

import asyncio
import json
import resource
import time
from dataclasses import dataclass
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench.chatbot import condition, go, send_and_wait, send_message, state

APP = "bench.ws_app:application"
ECHO_PATH = "/ws/echo/"
FLOOR_PATH = "/ws/floor/"
STEPS_PER_REPLY = 3
REPLIES_PER_RUN = 300  # 1 + 3 x 300 = 901 steps, under the engine's 1,000
TIMEOUT = 30.0  # seconds for any one answer; slower counts as an error
OPEN_AT_ONCE = 50  # connections being opened concurrently
BODY = "{{widgets.ask.inbound.Body | downcase | strip}}"


def loop_definition() -> dict[str, Any]:
    """The looping flow, as Studio exports it."""
    trigger = state(
        "Trigger",
        "trigger",
        0,
        0,
        [
            go("incomingMessage", "ask"),
            go("incomingCall"),
            go("incomingConversationMessage"),
            go("incomingRequest"),
            go("incomingParent"),
        ],
    )
    route = state(
        "route",
        "split-based-on",
        0,
        400,
        [
            go("noMatch", "answer"),
            go("match", "answer", conditions=[condition("regex", BODY, "^(yes|y|sure)$")]),
        ],
        input=BODY,
    )
    states = [
        trigger,
        send_and_wait("ask", 200, "route", "Say something ({{flow.variables.n | default: 0}})"),
        route,
        send_message("answer", 0, 600, "You said {{widgets.ask.inbound.Body | strip}}."),
    ]
    states[-1]["transitions"] = [go("sent", "ask"), go("failed")]
    return {
        "description": "bench: reply loop",
        "states": states,
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }


@dataclass
class Fixture:
    """What the benchmark made in its database: delete with clean_up()."""

    team: Any
    flow_sids: list[str]
    cookies: list[str]  # one Cookie header per user


def make_fixture(team_slug: str, flows: int, users: int) -> Fixture:
    """A team of `users` editors, each signed in (a session row, as a browser's login
    makes), and `flows` copies of the looping flow."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from editor import services
    from editor.models import Role

    team = services.ensure_team(team_slug)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = []
    for n in range(users):
        user = services.ensure_user(f"{team_slug}-{n}")
        services.add_member(team, user, Role.EDITOR)
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    sids = [
        services.create_flow(team, friendly_name=f"loop {n}", definition=loop_definition()).sid
        for n in range(flows)
    ]
    return Fixture(team, sids, cookies)


def clean_up(fixture: Fixture) -> int:
    """Delete the team (flows, executions, steps go with it), its users and their sessions;
    returns how many executions there were."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from editor.models import Execution

    runs = Execution.objects.filter(flow__team=fixture.team).count()
    users = list(
        get_user_model().objects.filter(memberships__team=fixture.team).values_list("pk", flat=True)
    )
    keys = [cookie.split("=", 1)[1] for cookie in fixture.cookies]
    Session.objects.filter(session_key__in=keys).delete()
    fixture.team.delete()
    get_user_model().objects.filter(pk__in=users).delete()
    return runs


def server_env() -> dict[str, str]:
    """The server must sign sessions with this process's key: the session rows hold a hash
    of it (the auth hash), and a server with another key would see every user signed out."""
    from django.conf import settings

    return {"SECRET_KEY": settings.SECRET_KEY}


def raise_fd_limit(need: int) -> int:
    """Raise this process's open-file limit to the hard limit (the server, started from
    here, inherits it); returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        soft = hard if hard == resource.RLIM_INFINITY else max(soft, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if soft != resource.RLIM_INFINITY and soft < need:
        raise RuntimeError(f"need {need} open files, the hard limit is {hard}")
    return soft


def ws_url(base: str, path: str) -> str:
    return "ws://" + urlsplit(base).netloc + path


async def receive(socket: ClientConnection) -> dict[str, Any]:
    async with asyncio.timeout(TIMEOUT):
        return json.loads(await socket.recv())


async def open_echo(base: str, path: str = ECHO_PATH) -> ClientConnection:
    """An echo socket (bench/ws_app.py): the bare one, or FLOOR_PATH's."""
    return await connect(ws_url(base, path), open_timeout=TIMEOUT)


async def open_panel(base: str, flow_sid: str, cookie: str) -> ClientConnection:
    """A test panel's connection, as the browser opens it: session cookie and Origin."""
    socket = await connect(
        ws_url(base, f"/ws/flows/{flow_sid}/"),
        origin=base,  # type: ignore[arg-type]
        additional_headers={"Cookie": cookie},
        open_timeout=TIMEOUT,
    )
    hello = await receive(socket)
    if hello.get("type") != "hello":
        raise RuntimeError(f"expected hello, got {hello}")
    return socket


async def open_many(count: int, opener: Any) -> list[ClientConnection]:
    """`opener(i)` for i in range(count), OPEN_AT_ONCE at a time."""
    gate = asyncio.Semaphore(OPEN_AT_ONCE)

    async def one(i: int) -> ClientConnection:
        async with gate:
            return await opener(i)

    return list(await asyncio.gather(*(one(i) for i in range(count))))


async def echo_round_trip(socket: ClientConnection, text: str) -> float:
    start = time.perf_counter()
    await socket.send(text)
    async with asyncio.timeout(TIMEOUT):
        back = await socket.recv()
    elapsed = time.perf_counter() - start
    if back != text:
        raise RuntimeError("the echo answered something else")
    return elapsed


class Reader:
    """A test panel's connection read as the browser reads it: every frame as it arrives.
    A client that leaves frames unread is paused by the `websockets` library once 16 are
    waiting (its max_queue), and then reads no pong either: an idle panel hearing of others
    joining its flow (presence) ended with `1011 keepalive ping timeout` in B3. The answers
    to this client's own frames (by ref) go to whoever waits for them; the rest (presence,
    broadcasts) are dropped, as an idle panel's browser would show and forget them."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.task = asyncio.ensure_future(self.read())

    async def read(self) -> None:
        try:
            async for text in self.socket:
                frame = json.loads(text)
                waiter = self.waiting.pop(frame.get("ref"), None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(frame)
        except ConnectionClosed:
            pass
        for waiter in self.waiting.values():
            if not waiter.done():
                waiter.set_exception(ConnectionClosed(self.socket.close_rcvd, None))

    async def ask(self, frame: dict[str, Any]) -> dict[str, Any]:
        waiter = self.waiting[frame["ref"]] = asyncio.get_running_loop().create_future()
        await self.socket.send(json.dumps(frame))
        async with asyncio.timeout(TIMEOUT):
            return await waiter


async def open_read_panel(base: str, flow_sid: str, cookie: str) -> Reader:
    return Reader(await open_panel(base, flow_sid, cookie))


class Refused(Exception):
    """The server answered a reply with something other than the expected delta."""


@dataclass
class Tester:
    """One test panel driving one test run of the looping flow, as its contact."""

    socket: ClientConnection
    contact: str
    reader: Reader | None = None  # when set, it reads the socket (B3); else ask() does (B2)
    execution: str = ""
    replies: int = 0  # in the current run
    restarts: int = 0
    sent: int = 0  # frames sent, for their refs

    async def ask(self, frame: dict[str, Any]) -> dict[str, Any]:
        """Send a frame with a ref; the answer carrying that ref (broadcasts are skipped)."""
        self.sent += 1
        ref = f"r{self.sent}"
        if self.reader is not None:
            return await self.reader.ask({**frame, "ref": ref})
        await self.socket.send(json.dumps({**frame, "ref": ref}))
        while True:
            answer = await receive(self.socket)
            if answer.get("ref") == ref:
                return answer

    async def start(self) -> None:
        answer = await self.ask(
            {"type": "run.start", "trigger": "message", "contact": self.contact}
        )
        if answer["type"] != "run.snapshot" or answer["execution"]["wait"] is None:
            raise Refused(f"run.start answered {answer.get('type')}: {answer.get('message')}")
        self.execution, self.replies = answer["execution"]["sid"], 0
        self.restarts += 1

    def reply_frame(self, body: str) -> dict[str, Any]:
        return {"type": "run.reply", "execution": self.execution, "body": body}

    async def reply(self, body: str) -> float:
        """One reply's round trip: from sending it to the delta holding its last step
        (answer → ask). Starts a fresh run first, untimed, when the run nears its limit."""
        if not self.execution or self.replies >= REPLIES_PER_RUN:
            await self.start()
        frame = self.reply_frame(body)
        start = time.perf_counter()
        answer = await self.ask(frame)
        elapsed = time.perf_counter() - start
        self.replies += 1
        if answer["type"] != "run.delta":
            raise Refused(f"{answer['type']} {answer.get('code')}: {answer.get('message')}")
        steps = [e for e in answer["entries"] if e["kind"] == "step"]
        if len(steps) != STEPS_PER_REPLY or steps[-1]["to"] != "ask":
            raise Refused(f"unexpected steps {[(s['from'], s['to']) for s in steps]}")
        return elapsed


def contact(n: int) -> str:
    return f"+1555{n:07d}"
