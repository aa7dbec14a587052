"""The permission matrix of the flow websocket: every client message type that
docs/protocol.schema.json defines, sent by the owner, the editor and the viewer, each
signed in by their session cookie as a browser is; the outsider and nobody cannot connect.

Viewers run tests (every `run.*`, `step.context`, `ping`) and debug them
(`debug.breakpoint`), follow the document (`doc.sync`) and show their presence, and are
refused `mocks.set` and `doc.edit`; editors and owners may do all. The table must name
every type of the schema (`test_every_client_message_type_is_in_the_table`), so a new
one cannot be left out.
A separate module from tests/test_permission_matrix.py: sockets need committed rows
(transactional tests), which would empty that module's shared world.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from editor import services
from editor.consumers import websocket_urlpatterns
from editor.models import Breakpoint, Flow
from editor.samples import load_sample
from editor.services import test_runs
from tests.live_support import CLIENT, SCHEMA, Live, run

from .matrix_world import differences, snapshot, started_test_run

pytestmark = pytest.mark.django_db(transaction=True)

MOCK = {"status": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}
REF = "matrix"


@dataclass
class Scene:
    chatbot: Any
    ivr: Any
    chat: str  # a test run waiting for a reply at `menu`
    call: str  # a test call waiting at `gather_main_menu`
    step: str  # the chat's first step
    users: dict[str, Any]
    persona: str = ""  # who sends the message being tried

    def paused_run(self) -> str:
        """A test run of the persona's own, paused by their breakpoint before `menu`: the
        debugger's controls work only on the tester's own runs (docs/debugger.md)."""
        user = self.users[self.persona]
        Breakpoint.objects.create(flow=self.chatbot, user=user, widget="menu")
        start = test_runs.TestStart(trigger="message", body="Hi", contact="+15550009999")
        return test_runs.start_test_run(self.chatbot, start, user).execution.sid


@dataclass(frozen=True)
class Message:
    flow: str
    frame: Callable[[Scene], dict[str, Any]]
    answer: str | None  # the type of the answer; None: none is sent
    editors_only: bool = False
    broadcast: bool = False  # answered to every connection of the flow, without a ref


MESSAGES: dict[str, Message] = {
    "run.start": Message("chatbot", lambda s: {"trigger": "message", "body": "Hi"}, "run.snapshot"),
    "run.watch": Message("chatbot", lambda s: {"execution": s.chat}, "run.snapshot"),
    "run.unwatch": Message("chatbot", lambda s: {"execution": s.chat}, None),
    "run.reply": Message("chatbot", lambda s: {"execution": s.chat, "body": "1"}, "run.delta"),
    "run.gather": Message("ivr", lambda s: {"execution": s.call, "digits": "1"}, "run.delta"),
    "run.event": Message(
        "chatbot", lambda s: {"execution": s.chat, "event": "timeout"}, "run.delta"
    ),
    "run.hangup": Message("ivr", lambda s: {"execution": s.call}, "run.delta"),
    "run.end": Message("chatbot", lambda s: {"execution": s.chat}, "run.delta"),
    "step.context": Message(
        "chatbot", lambda s: {"execution": s.chat, "step": s.step}, "step.context"
    ),
    "mocks.set": Message(
        "chatbot",
        lambda s: {"widget": "http_order_lookup", "mock": MOCK},
        "mocks",
        editors_only=True,
        broadcast=True,
    ),
    "run.continue": Message("chatbot", lambda s: {"execution": s.paused_run()}, "run.delta"),
    "run.step": Message("chatbot", lambda s: {"execution": s.paused_run()}, "run.delta"),
    "run.run_to": Message(
        "chatbot", lambda s: {"execution": s.paused_run(), "widget": "split_menu"}, "run.delta"
    ),
    "run.edit": Message(
        "chatbot",
        lambda s: {"execution": s.paused_run(), "path": "flow.variables.x", "value": 1},
        "run.delta",
    ),
    "debug.breakpoint": Message("chatbot", lambda s: {"widget": "menu"}, "debug.breakpoints"),
    "ping": Message("chatbot", lambda s: {}, "pong"),
    "doc.edit": Message(
        "chatbot",
        lambda s: {
            "base": Flow.objects.get(pk=s.chatbot.pk).version,
            "ops": [{"op": "move_widgets", "offsets": {"menu": {"x": 5, "y": 5}}}],
        },
        "doc.ack",
        editors_only=True,
    ),
    "doc.sync": Message("chatbot", lambda s: {"after": 0}, "doc.changes"),
    "presence.update": Message("chatbot", lambda s: {"selection": ["menu"], "typing": None}, None),
}
MEMBERS = ("owner", "editor", "viewer")


def client_message_types() -> list[str]:
    return [
        kind["properties"]["type"]["const"] for kind in SCHEMA["definitions"]["client"]["oneOf"]
    ]


def test_every_client_message_type_is_in_the_table():
    types = client_message_types()

    assert sorted(set(types) - set(MESSAGES)) == [], "add these to MESSAGES"
    assert sorted(set(MESSAGES) - set(types)) == [], "the table names types the schema lost"


@pytest.fixture
def scene(team, alice, bob, carol, dave) -> Scene:
    chatbot = services.create_flow(team, friendly_name="Bot", definition=load_sample("sms-chatbot"))
    ivr = services.create_flow(team, friendly_name="IVR", definition=load_sample("ivr-phone-tree"))
    chat = started_test_run(chatbot, alice)
    users = {"owner": alice, "editor": bob, "viewer": carol, "outsider": dave}
    return Scene(
        chatbot=chatbot,
        ivr=ivr,
        chat=chat.sid,
        call=started_test_run(ivr, alice, "call").sid,
        step=chat.steps.get().sid,
        users=users,
    )


def session_cookie(scene: Scene, persona: str) -> bytes | None:
    """The cookie of the persona's browser, signed in (nobody's has none)."""
    if persona not in scene.users:
        return None
    client = Client()
    client.force_login(scene.users[persona])
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


def browser_tab(cookie: bytes | None, flow_sid: str) -> Live:
    """A socket that carries the session cookie, as the flow page's does."""
    live = Live(None, flow_sid)
    del live.socket.scope["user"]  # the session middleware finds the user
    if cookie:
        live.socket.scope["headers"].append((b"cookie", cookie))
    return live


async def exchange(live: Live, frame: dict[str, Any], broadcast: bool) -> dict[str, Any] | None:
    """The answer to `frame`, or None when the ping sent after it is answered first."""
    await live.send({**frame, "ref": REF})
    await live.send({"type": "ping", "ref": "after"})
    answer, pinged = None, False
    while not pinged or (broadcast and answer is None):
        got = await live.receive()
        if got.get("ref") == "after":
            pinged = True
        elif answer is None and (got.get("ref") == REF or (broadcast and got["type"] == "mocks")):
            answer = got
    return answer


CASES = [(persona, kind) for kind in MESSAGES for persona in MEMBERS]


@pytest.mark.parametrize("persona,kind", CASES, ids=[f"{k} {p}" for p, k in CASES])
def test_the_socket_matrix(scene, persona, kind):
    message = MESSAGES[kind]
    scene.persona = persona
    frame = {"type": kind, **message.frame(scene)}
    assert CLIENT.is_valid({**frame, "ref": REF}), f"the example of {kind} breaks the schema"
    flow = getattr(scene, message.flow)
    cookie = session_cookie(scene, persona)
    before = snapshot()

    async def scenario():
        live = browser_tab(cookie, flow.sid)
        hello = await live.open()
        answer = await exchange(live, frame, message.broadcast)
        await live.close()
        return hello, answer

    hello, answer = run(scenario)

    assert hello["role"] == persona
    if message.editors_only and persona == "viewer":
        assert answer and (answer["type"], answer["code"]) == ("error", "forbidden"), answer
        assert not differences(before, snapshot()), f"a viewer's {kind} changed the database"
    elif message.answer is None:
        assert answer is None, f"{kind} as {persona} was answered {answer}"
    else:
        assert answer and answer["type"] == message.answer, f"{kind} as {persona}: {answer}"


@pytest.mark.parametrize("persona,code", [("outsider", 4404), ("anonymous", 4401)])
@pytest.mark.parametrize("flow", ["chatbot", "ivr"])
def test_outsiders_and_nobody_cannot_open_the_socket(scene, persona, code, flow):
    cookie = session_cookie(scene, persona)

    async def scenario():
        return await browser_tab(cookie, getattr(scene, flow).sid).refused()

    assert run(scenario) == code


def test_a_socket_path_that_names_no_flow_is_refused(scene):
    """The routes are the flow socket and a catch-all that refuses like an unknown flow."""
    assert [str(route.pattern) for route in websocket_urlpatterns] == [
        "^ws/flows/(?P<sid>FW[0-9a-fA-F]{32})/$",
        "",
    ]

    cookie = session_cookie(scene, "owner")

    async def scenario():
        live = browser_tab(cookie, scene.chatbot.sid)
        live.socket.scope["path"] = "/ws/elsewhere/"
        return await live.refused()

    assert run(scenario) == 4404
