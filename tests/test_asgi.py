"""The ASGI application serves HTTP through Django with the synchronous middleware chain and
view in one thread hop per request (studio_clone/handler.py), and behaves as Django does."""

from __future__ import annotations

import gc
import json
import threading
from unittest import mock
from urllib.parse import urlencode

import pytest
from asgiref.sync import iscoroutinefunction
from channels.testing import HttpCommunicator
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connection, connections

from editor import services
from editor.models import Flow
from studio_clone.asgi import application, django_asgi_app
from studio_clone.handler import RequestThread, SyncChainASGIHandler, WarmThreads

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


def threads_of_one_request(path: str) -> dict[str, int]:
    """The thread each synchronous stage of one request ran on."""
    seen: dict[str, int] = {}
    handler = django_asgi_app

    def started(**_):
        seen["request_started"] = threading.get_ident()

    def finished(**_):
        seen["request_finished"] = threading.get_ident()

    def get_response(request):
        seen["view"] = threading.get_ident()
        return SyncChainASGIHandler.get_response(handler, request)

    request_started.connect(started, dispatch_uid="test_asgi")
    request_finished.connect(finished, dispatch_uid="test_asgi")
    try:
        with mock.patch.object(handler, "get_response", get_response):
            assert call("GET", path)["status"] == 200
    finally:
        request_started.disconnect(dispatch_uid="test_asgi")
        request_finished.disconnect(dispatch_uid="test_asgi")
    return seen


def test_a_request_runs_its_signals_middleware_and_view_on_one_warm_thread(db):
    first = threads_of_one_request("/healthz")
    threads_before = {thread.ident for thread in threading.enumerate()}
    second = threads_of_one_request("/healthz")

    assert set(first) == {"request_started", "view", "request_finished"}
    assert len(set(first.values())) == 1
    # The next request borrows the same thread rather than starting one (and a second
    # thread to join it, as Django's own handler does).
    assert second == first
    assert threads_left_since(threads_before) == []


def threads_left_since(before: set[int | None]) -> list[str]:
    """Threads started since `before` that are still alive a moment later. `call`'s event
    loop runs on a thread of an executor asgiref never shuts down: it ends only once the
    collector has taken the executor, so it is collected and given a second to go. (Threads
    that ended meanwhile, an earlier test's live server ones say, do not count.)"""
    gc.collect()
    started = [t for t in threading.enumerate() if t.ident not in before]
    for thread in started:
        thread.join(timeout=1)
    return [t.name for t in started if t.is_alive()]


@pytest.mark.django_db(transaction=True)
def test_the_warm_thread_keeps_its_connection_wrapper_and_returns_the_connection(team):
    key, secret = services.create_api_key(team)
    auth = (b"authorization", basic_auth(key.sid, secret).encode())
    wrappers: list = []
    handler = django_asgi_app

    def get_response(request):
        response = SyncChainASGIHandler.get_response(handler, request)
        wrapper = connections[DEFAULT_DB_ALIAS]
        wrappers.append((wrapper, wrapper.connection is not None))
        return response

    with mock.patch.object(handler, "get_response", get_response):
        for _ in range(2):
            assert call("GET", "/v2/Flows", headers=[auth])["status"] == 200

    # Both requests queried through one wrapper (Django's own handler makes a new thread,
    # and so a new wrapper, for each request)...
    assert wrappers[0][0] is wrappers[1][0]
    assert wrappers[0][1] and wrappers[1][1]
    # ...and once each request had finished, its connection went back (to the pool, on
    # PostgreSQL): the idle thread holds none.
    assert run_on_lent_thread(lambda: connection.connection) is None


def run_on_lent_thread(function):
    thread = django_asgi_app.threads.lend()
    try:
        return thread.submit(function).result(5)
    finally:
        django_asgi_app.threads.give_back(thread)


def test_concurrent_requests_borrow_different_threads_and_idle_ones_are_reused():
    threads = WarmThreads(keep=2)
    first, second = threads.lend(), threads.lend()
    ident = first.submit(threading.get_ident).result(5)

    assert first is not second
    assert ident != second.submit(threading.get_ident).result(5)
    threads.give_back(first)
    assert threads.lend() is first
    threads.give_back(first)
    threads.give_back(second)
    third = threads.lend()
    threads.give_back(third)
    extra = RequestThread()
    extra.submit(int).result(5)
    threads.give_back(extra)  # two are idle already: this one is shut down

    assert threads.idle == [first, second]
    assert extra._shutdown
    for thread in (first, second):
        thread.shutdown()


def test_a_thread_still_running_a_cancelled_requests_work_is_not_lent_again():
    threads = WarmThreads()
    thread = threads.lend()
    release = threading.Event()
    running = thread.submit(release.wait, 5)

    threads.give_back(thread)

    assert threads.idle == []
    assert threads.lend() is not thread
    release.set()
    assert running.result(5) is True
    assert thread.pending == 0
