"""The ASGI application serves HTTP through Django with the synchronous middleware chain and
view in one thread hop per request (studio_clone/handler.py), and behaves as Django does."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from asgiref.sync import iscoroutinefunction
from channels.testing import HttpCommunicator

from editor import services
from editor.models import Flow
from studio_clone.asgi import application, django_asgi_app

from .live_support import run
from .test_api_flows import basic_auth, studio_definition

FORM = (b"content-type", b"application/x-www-form-urlencoded")


def call(method: str, path: str, body: bytes = b"", headers: list | None = None) -> dict:
    headers = [(b"host", b"testserver"), *(headers or [])]
    communicator = HttpCommunicator(application, method, path, body=body, headers=headers)
    # In a thread of its own (live_support.run): a browser test earlier in the process
    # leaves Playwright's event loop running in this one, where asyncio.run refuses to run.
    return run(communicator.get_response, 10)


def header(response: dict, name: bytes) -> bytes | None:
    return {key.lower(): value for key, value in response["headers"]}.get(name)


def test_it_builds_the_middleware_chain_that_wsgi_builds():
    assert not iscoroutinefunction(django_asgi_app._middleware_chain)


def test_it_answers_the_health_check(db):
    response = call("GET", "/healthz")

    assert response["status"] == 200
    assert json.loads(response["body"]) == {"status": "ok"}


@pytest.mark.django_db(transaction=True)
def test_it_serves_an_api_write_signed_with_a_key(team):
    key, secret = services.create_api_key(team)
    body = urlencode(
        {
            "FriendlyName": "Over ASGI",
            "Status": "draft",
            "Definition": json.dumps(studio_definition()),
        }
    ).encode()
    auth = (b"authorization", basic_auth(key.sid, secret).encode())

    response = call("POST", "/v2/Flows", body, [FORM, auth])

    assert response["status"] == 201, response["body"]
    sid = json.loads(response["body"])["sid"]
    assert Flow.objects.get(sid=sid).friendly_name == "Over ASGI"


def test_it_answers_errors_in_twilio_shape(db):
    missing = call("GET", "/v2/Flows")
    too_large = call("POST", "/v2/Flows", b"x", [FORM, (b"content-length", b"99999999")])

    assert missing["status"] == 401
    assert json.loads(missing["body"])["code"] == 20003
    assert header(missing, b"www-authenticate") == b'Basic realm="Twilio API"'
    assert too_large["status"] == 413
    assert json.loads(too_large["body"])["code"] == 20413
