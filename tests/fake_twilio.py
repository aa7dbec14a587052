"""A fake of Twilio's REST API on loopback that records what it receives: messages, calls,
TaskRouter tasks, Flex interactions, conversations with their participants, webhooks and
messages, the Media Content Service, and the account check (tests/twilio_support.py has
the signed webhooks that go the other way)."""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

TWILIO_ACCOUNT = "AC" + "7" * 32

# What the fake creates, by path: (kind, SID prefix).
CREATES = [
    (re.compile(r"^/2010-04-01/Accounts/AC\w+/Messages\.json$"), "message", "SM"),
    (re.compile(r"^/2010-04-01/Accounts/AC\w+/Calls\.json$"), "call", "CA"),
    (re.compile(r"^/v1/Workspaces/WS\w+/Tasks$"), "task", "WT"),
    (re.compile(r"^/v1/Interactions$"), "interaction", "KD"),
    (
        re.compile(r"^/v1/(?:Services/IS\w+/)?Conversations/(?P<ch>CH\w+)/Messages$"),
        "conversation_message",
        "IM",
    ),
    (re.compile(r"^/v1/(?:Services/(?P<is>IS\w+)/)?Conversations$"), "conversation", "CH"),
    (
        re.compile(r"^/v1/(?:Services/IS\w+/)?Conversations/(?P<ch>CH\w+)/Participants$"),
        "participant",
        "MB",
    ),
    (
        re.compile(r"^/v1/(?:Services/IS\w+/)?Conversations/(?P<ch>CH\w+)/Webhooks$"),
        "conversation_webhook",
        "WH",
    ),
]
# A conversation by its SID or its unique name, or its participants or webhooks.
EXISTING = re.compile(
    r"^/v1/(?:Services/IS\w+/)?Conversations/(?P<ch>[^/?]+)"
    r"(?P<list>/Participants|/Webhooks)?(?:\?.*)?$"
)
# Twilio's answer to a second conversation with the same UniqueName.
DUPLICATE = {
    "code": 50353,
    "message": "Conversation with provided unique name already exists",
    "more_info": "https://www.twilio.com/docs/errors/50353",
    "status": 409,
}
WEBHOOK = re.compile(r"^/v1/(?:Services/IS\w+/)?Conversations/CH\w+/Webhooks/WH\w+$")
MEDIA = re.compile(r"^/v1/Services/(?P<is>IS\w+)/Media$")
DEFAULT_SERVICE = "IS" + "d" * 32
# The Conversations resources the fake answers in Twilio's snake_case, as the SDK reads them.
SNAKE_CASED = ("conversation", "participant", "conversation_webhook")


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def conversations_resource(kind: str, match: re.Match, form: dict[str, Any]) -> dict[str, Any]:
    """A conversation, participant or webhook as Twilio answers: dotted form keys nested."""
    resource: dict[str, Any] = {}
    for key, value in form.items():
        head, _, rest = key.partition(".")
        if rest:
            resource.setdefault(snake(head), {})[snake(rest)] = value
        else:
            resource[snake(key)] = value
    if kind == "conversation":
        resource.setdefault("chat_service_sid", match.group("is") or DEFAULT_SERVICE)
        resource.setdefault("state", "active")
    else:
        resource["conversation_sid"] = match.group("ch")
    return resource


SIDS = itertools.count(1)


class FakeTwilio(ThreadingHTTPServer):
    """Twilio's REST API on loopback: it knows one account and the credentials that may
    use it, and records every request (method, path, Basic auth user and password, and a
    POST's form). It creates messages, calls, TaskRouter tasks, Flex interactions, and
    conversations with their participants, webhooks and messages; `fail(n)` makes the next
    n creations answer an error instead."""

    daemon_threads = True

    def __init__(self, credentials: dict[str, str], account_sid: str = TWILIO_ACCOUNT) -> None:
        super().__init__(("127.0.0.1", 0), FakeTwilioHandler)
        self.credentials = credentials
        self.account_sid = account_sid
        self.requests: list[dict[str, Any]] = []
        self.failures: list[tuple[int, int, str]] = []
        self.hanging = 0
        self.holding = 0
        self.release = threading.Event()
        # Conversations that exist before the test (Resume Conversation fetches them).
        self.conversations: dict[str, dict[str, Any]] = {}
        self.participants: dict[str, list[dict[str, Any]]] = {}
        # Conversations created here, by UniqueName (a second create with it is refused).
        self.unique_names: dict[str, dict[str, Any]] = {}
        # Conversation webhooks made before the test (the one wiring a conversation to a flow).
        self.webhooks: set[str] = set()
        self.arrived = threading.Event()
        # Answers given as they are to GET and POST requests of a path (script()), first
        # in first out: Twilio's Studio API, and its errors, as the wire carries them.
        self.scripted: dict[tuple[str, str], list[tuple[int, dict[str, str], bytes, float]]] = {}

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def hang(self, times: int) -> None:
        """The next `times` creations never reach Twilio: no answer, nothing created."""
        self.hanging += times

    def hold(self, times: int) -> None:
        """The next `times` creations wait for `release` (at most a minute), then succeed."""
        self.holding += times

    def fail(self, times: int, status: int = 503, code: int = 20503, kind: str = "") -> None:
        """The next `times` creations (of `kind` only, if given) answer this error."""
        self.failures += [(status, code, kind)] * times

    def script(
        self,
        method: str,
        path: str,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
        delay: float = 0,
    ) -> None:
        """The next request `method path` (path with its query) gets this answer, `delay`
        seconds late: a body given as bytes goes as it is (malformed JSON), anything else
        as JSON."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        answer = (status, headers or {}, data, delay)
        self.scripted.setdefault((method, path), []).append(answer)

    def created(self, kind: str) -> list[dict[str, Any]]:
        """The forms of the successful creations of one kind, in order."""
        return [r["form"] for r in self.requests if r.get("created") == kind]


class FakeTwilioHandler(BaseHTTPRequestHandler):
    server: FakeTwilio

    def do_GET(self) -> None:
        user, password = basic(self.headers.get("Authorization", ""))
        self.server.requests.append(
            {"method": "GET", "path": self.path, "user": user, "password": password}
        )
        if self.scripted_answer("GET"):
            return
        expected = f"/2010-04-01/Accounts/{self.server.account_sid}.json"
        if self.server.credentials.get(user) != password:
            self.answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
        elif found := EXISTING.match(self.path):
            self.existing(found)
        elif self.path == "/v1/Configuration":
            configuration = {"account_sid": self.server.account_sid, "url": self.path}
            self.answer(200, {**configuration, "default_chat_service_sid": DEFAULT_SERVICE})
        elif self.path != expected:
            self.answer(404, {"code": 20404, "message": "Not found", "status": 404})
        else:
            account = {"sid": self.server.account_sid, "friendly_name": "Owl Dental"}
            self.answer(200, {**account, "status": "active", "type": "Full"})

    def do_POST(self) -> None:
        user, password = basic(self.headers.get("Authorization", ""))
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length)
        if MEDIA.match(self.path):
            return self.media(user, password, data)
        fields = parse_qs(data.decode(), keep_blank_values=True)
        form = {k: v[0] if len(v) == 1 else v for k, v in fields.items()}
        record = {"method": "POST", "path": self.path, "user": user, "password": password}
        record["form"] = form
        self.server.requests.append(record)
        if self.scripted_answer("POST"):
            return None
        found = next(
            ((p.match(self.path), k, x) for p, k, x in CREATES if p.match(self.path)), None
        )
        if self.server.credentials.get(user) != password:
            return self.answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
        if found is None:
            return self.answer(404, {"code": 20404, "message": "Not found", "status": 404})
        self.server.arrived.set()
        if self.server.hanging:
            self.server.hanging -= 1
            time.sleep(60)  # the sender is killed meanwhile; its socket is gone
            return None
        if self.server.holding:
            self.server.holding -= 1
            self.server.release.wait(60)
        match, kind, prefix = found
        failure = next((f for f in self.server.failures if f[2] in ("", kind)), None)
        if failure is not None:
            self.server.failures.remove(failure)
            status, code, _ = failure
            return self.answer(status, {"code": code, "message": "Failed", "status": status})
        unique_name = form.get("UniqueName") if kind == "conversation" else None
        if unique_name and unique_name in self.server.unique_names:
            return self.answer(409, DUPLICATE)
        sid = prefix + f"{next(SIDS):032x}"
        record["created"], record["sid"] = kind, sid
        resource = {"sid": sid, "account_sid": self.server.account_sid, "status": "queued"}
        resource.update({k.lower(): v for k, v in form.items() if isinstance(v, str)})
        if kind == "conversation_message":
            resource.update(conversation_sid=match.group("ch"), index=0)
        if kind in SNAKE_CASED:
            resource = {**conversations_resource(kind, match, form), "sid": sid}
            resource["account_sid"] = self.server.account_sid
        if unique_name:
            self.server.unique_names[unique_name] = resource
        self.answer(201, resource)

    def scripted_answer(self, method: str) -> bool:
        answers = self.server.scripted.get((method, self.path))
        if not answers:
            return False
        status, headers, data, delay = answers.pop(0)
        time.sleep(delay)
        # A late answer finds the client gone (it timed out): nothing to write to.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        return True

    def existing(self, found: re.Match) -> None:
        """A conversation the account has (`conversations`, or made here), or its participants
        or webhooks."""
        key = found.group("ch")
        made_here = {c["sid"]: c for c in self.server.unique_names.values()}
        conversation = (
            self.server.conversations.get(key)
            or self.server.unique_names.get(key)
            or made_here.get(key)
        )
        if conversation is None:
            return self.answer(404, {"code": 20404, "message": "Not found", "status": 404})
        if not found.group("list"):
            return self.answer(200, conversation)
        sid = conversation.get("sid", key)
        name = found.group("list").strip("/").lower()
        kind = "participant" if name == "participants" else "conversation_webhook"
        listed = list(self.server.participants.get(sid, [])) if kind == "participant" else []
        for made in self.server.requests:  # and those created here, as Twilio lists them
            if made.get("created") == kind and f"/Conversations/{sid}/" in made["path"]:
                listed.append(
                    {**conversations_resource(kind, found, made["form"]), "sid": made["sid"]}
                )
        meta = {"key": name, "page": 0, "page_size": 100, "next_page_url": None}
        return self.answer(200, {name: listed, "meta": meta})

    def do_DELETE(self) -> None:
        """A conversation's webhook removed: 204, or 404 for one never made here."""
        user, password = basic(self.headers.get("Authorization", ""))
        record = {"method": "DELETE", "path": self.path, "user": user, "password": password}
        self.server.requests.append(record)
        made = {r.get("sid") for r in self.server.requests if r.get("created")}
        made |= self.server.webhooks
        if self.server.credentials.get(user) != password:
            return self.answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
        if not WEBHOOK.match(self.path) or self.path.rsplit("/", 1)[1] not in made:
            return self.answer(404, {"code": 20404, "message": "Not found", "status": 404})
        record["deleted"] = True
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return None

    def media(self, user: str, password: str, data: bytes) -> None:
        """The Media Content Service: raw bytes in, a Media resource (ME…) out."""
        content_type = self.headers.get("Content-Type", "")
        record = {"method": "POST", "path": self.path, "user": user, "password": password}
        record.update(data=data, content_type=content_type)
        self.server.requests.append(record)
        if self.server.credentials.get(user) != password:
            return self.answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
        sid = "ME" + f"{next(SIDS):032x}"
        record["created"], record["sid"] = "media", sid
        service = MEDIA.match(self.path).group("is")
        resource = {"sid": sid, "service_sid": service, "size": len(data)}
        self.answer(201, {**resource, "content_type": content_type})

    def answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


def basic(header: str) -> tuple[str, str]:
    if not header.startswith("Basic "):
        return "", ""
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return user, password


@contextmanager
def fake_twilio(credentials: dict[str, str]) -> Iterator[FakeTwilio]:
    server = FakeTwilio(credentials)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
