"""A flow socket lives only as long as the session it was opened with: signing out, a
password changed in another browser, or an account made inactive closes it (4401), so a
canvas left open can neither change the flow nor follow it any more
(editor/consumers/sessions.py). Another browser's session of the same user is not touched.
"""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from editor import services
from editor.models import Flow
from editor.samples import load_sample
from tests.live_support import Live, run

pytestmark = pytest.mark.django_db(transaction=True)

MOVE = [{"op": "move_widgets", "offsets": {"menu": {"x": 5, "y": 5}}}]


def signed_in(user: Any) -> tuple[Client, bytes]:
    """A browser signed in as `user` (by the login form, as a person would) and its cookie."""
    user.set_password("a long enough password 1")
    user.save()
    client = Client()
    assert client.login(username=user.get_username(), password="a long enough password 1")
    name = settings.SESSION_COOKIE_NAME
    return client, f"{name}={client.cookies[name].value}".encode()


def tab(cookie: bytes, flow_sid: str) -> Live:
    live = Live(None, flow_sid)
    del live.socket.scope["user"]  # the session middleware finds the user
    live.socket.scope["headers"].append((b"cookie", cookie))
    return live


def version(flow: Flow) -> int:
    return Flow.objects.get(pk=flow.pk).version


@pytest.fixture
def chatbot(team):
    return services.create_flow(team, friendly_name="Bot", definition=load_sample("sms-chatbot"))


def sign_out(client: Client) -> None:
    client.post("/logout/")


def password_changed_elsewhere(client: Client) -> None:
    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    user.set_password("another long password 2")
    user.save()


def made_inactive(client: Client) -> None:
    """As the admin does it: the account saved, which announces the change."""
    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    user.is_active = False
    user.save()


def deactivated_unannounced(client: Client) -> None:
    """Behind the app's back (an UPDATE, no signal): noticed by the periodic check only."""
    get_user_model().objects.filter(pk=client.session["_auth_user_id"]).update(is_active=False)


def session_deleted_unannounced(client: Client) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=client.session.session_key).delete()


@pytest.mark.parametrize(
    "end",
    [
        sign_out,
        password_changed_elsewhere,
        made_inactive,
        deactivated_unannounced,
        session_deleted_unannounced,
    ],
)
def test_an_ended_session_cannot_edit_the_flow(chatbot, bob, end, settings):
    """The message is checked itself (WEBSOCKET_SESSION_RECHECK 0: every message asks),
    whether or not an announcement has closed the socket yet; unannounced ends are found
    this way only."""
    settings.WEBSOCKET_SESSION_RECHECK = 0.0
    client, cookie = signed_in(bob)

    async def scenario():
        live = tab(cookie, chatbot.sid)
        hello = await live.open()
        await sync_to_async(end)(client)
        base = await sync_to_async(version)(chatbot)
        await live.send({"type": "doc.edit", "base": base, "ops": MOVE, "ref": "after"})
        closed = await live.socket.receive_output(timeout=5)
        while closed["type"] != "websocket.close":  # a frame sent before the close
            assert closed.get("text") is None or '"doc.ack"' not in closed["text"]
            closed = await live.socket.receive_output(timeout=5)
        return hello, closed

    hello, closed = run(scenario)
    assert hello["role"] == "editor"
    assert closed["code"] == 4401
    assert version(chatbot) == hello["version"], "the edit of an ended session was applied"


def test_an_ended_session_cannot_drive_a_test_run(chatbot, bob, settings):
    # The reply is checked itself, whether or not the announcement has closed the socket yet.
    settings.WEBSOCKET_SESSION_RECHECK = 0.0
    client, cookie = signed_in(bob)

    async def scenario():
        live = tab(cookie, chatbot.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "message", "body": "Hi"})
        await sync_to_async(password_changed_elsewhere)(client)
        sid = started["execution"]["sid"]
        await live.send({"type": "run.reply", "execution": sid, "body": "1", "ref": "r"})
        output = await live.socket.receive_output(timeout=5)
        while output["type"] != "websocket.close":
            assert '"run.delta"' not in output.get("text", "")
            output = await live.socket.receive_output(timeout=5)
        return output

    assert run(scenario)["code"] == 4401


@pytest.mark.parametrize("end", [sign_out, password_changed_elsewhere, made_inactive])
def test_an_announced_end_closes_the_socket_at_once(chatbot, bob, alice, end):
    """No message needed, and no wait for the periodic check (5 s by default): signing
    out, a password change and deactivation tell the user's sockets, which stop following
    the flow before another change reaches them."""
    client, cookie = signed_in(bob)

    async def scenario():
        live = tab(cookie, chatbot.sid)
        await live.open()
        await sync_to_async(end)(client)
        closed = await live.socket.receive_output(timeout=3)
        while closed["type"] != "websocket.close":
            closed = await live.socket.receive_output(timeout=5)
        return closed

    assert run(scenario)["code"] == 4401


def answer_to_an_edit_after(end: Any, client: Client, cookie: bytes, flow: Flow) -> dict:
    """What a canvas open with `cookie` is answered to an edit sent after `end(client)`."""

    async def scenario():
        live = tab(cookie, flow.sid)
        await live.open()
        await sync_to_async(end)(client)
        base = await sync_to_async(version)(flow)
        answer = await live.ask({"type": "doc.edit", "base": base, "ops": MOVE})
        await live.close()
        return answer

    return run(scenario)


def test_another_browser_signing_out_leaves_this_one_open(chatbot, bob):
    _here, cookie = signed_in(bob)
    elsewhere = Client()
    elsewhere.force_login(bob)

    assert answer_to_an_edit_after(sign_out, elsewhere, cookie, chatbot)["type"] == "doc.ack"


def test_between_rechecks_a_message_does_not_read_the_session(chatbot, bob, settings):
    """An unannounced end is noticed only after WEBSOCKET_SESSION_RECHECK: the session's
    reads are not paid on every message (a test-run reply's cost, bench B2)."""
    settings.WEBSOCKET_SESSION_RECHECK = 60.0
    client, cookie = signed_in(bob)

    answer = answer_to_an_edit_after(session_deleted_unannounced, client, cookie, chatbot)
    assert answer["type"] == "doc.ack"
