"""The flow socket opens only for a page of this site (studio_clone/websocket_origin.py):
its Origin must be the socket's own scheme, host and port, with the host in ALLOWED_HOSTS,
or one of CSRF_TRUSTED_ORIGINS; what Django's CSRF check asks of a form post. A page on
another port or scheme of the same host, or any site when ALLOWED_HOSTS is `*`, is refused
before anything of the flow is read."""

from __future__ import annotations

import pytest

from tests.live_support import Live, run

pytestmark = pytest.mark.django_db(transaction=True)


def opens(user, flow_sid: str, headers: list[tuple[bytes, bytes]], scheme: str = "ws") -> bool:
    async def scenario():
        live = Live(user, flow_sid, origin=None)
        live.socket.scope["headers"] = headers
        live.socket.scope["scheme"] = scheme
        connected, _code = await live.socket.connect(timeout=5)
        if connected:
            await live.close()
        return connected

    return run(scenario)


def headers(host: str, origin: str | None, *more: tuple[bytes, bytes]) -> list:
    given = [(b"host", host.encode())] + ([(b"origin", origin.encode())] if origin else [])
    return given + list(more)


@pytest.fixture
def flow(tutorial):
    return tutorial.sid


def test_a_page_of_this_site_opens_the_socket(alice, flow):
    assert opens(alice, flow, headers("testserver", "http://testserver"))


@pytest.mark.parametrize(
    "origin",
    [
        "http://testserver:8081",  # another port of the same host
        "https://testserver",  # another scheme
        "http://evil.example",
        "null",
        None,
    ],
)
def test_a_page_of_another_origin_is_refused(alice, flow, origin):
    assert not opens(alice, flow, headers("testserver", origin))


def test_any_site_is_refused_even_when_every_host_is_allowed(alice, flow, settings):
    """`ALLOWED_HOSTS=*` is not an invitation to every site: its forms are refused by
    Django's CSRF check, and its sockets here."""
    settings.ALLOWED_HOSTS = ["*"]

    assert not opens(alice, flow, headers("studio.example.com", "https://evil.example"))
    assert opens(alice, flow, headers("studio.example.com", "http://studio.example.com"))


def test_a_host_not_allowed_is_refused_whatever_the_origin(alice, flow):
    assert not opens(alice, flow, headers("evil.example", "http://evil.example"))


def test_a_socket_without_a_host_is_refused(alice, flow):
    assert not opens(alice, flow, [(b"origin", b"http://testserver")])


def test_over_tls_the_origin_is_https(alice, flow, settings):
    settings.ALLOWED_HOSTS = ["studio.example.com"]
    page = "https://studio.example.com"

    assert opens(alice, flow, headers("studio.example.com", page), scheme="wss")
    assert not opens(alice, flow, headers("studio.example.com", "http://studio.example.com"), "wss")
    # Behind a TLS-terminating proxy that says so in the header PROXY_SSL_HEADER names.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxied = headers("studio.example.com", page, (b"x-forwarded-proto", b"https"))
    assert opens(alice, flow, proxied)
    assert not opens(alice, flow, headers("studio.example.com", page))


def test_a_trusted_origin_opens_the_socket(alice, flow, settings):
    """CSRF_TRUSTED_ORIGINS, for a proxy that rewrites the Host (README, Production)."""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://studio.example.com", "https://*.example.org"]

    assert opens(alice, flow, headers("127.0.0.1:8000", "https://studio.example.com"))
    assert opens(alice, flow, headers("127.0.0.1:8000", "https://eu.example.org"))
    assert not opens(alice, flow, headers("127.0.0.1:8000", "http://eu.example.org"))
    assert not opens(alice, flow, headers("127.0.0.1:8000", "https://example.org.evil.test"))


def test_under_daphne_which_gives_no_scheme_the_page_may_be_http_or_https(alice, flow):
    """Daphne's websocket scope has no `scheme`, even with --proxy-headers (README,
    Production): the page's own host and port still decide."""

    async def scenario(given):
        live = Live(alice, flow, origin=None)
        live.socket.scope["headers"] = given
        live.socket.scope.pop("scheme", None)
        connected, _code = await live.socket.connect(timeout=5)
        if connected:
            await live.close()
        return connected

    assert run(scenario, headers("testserver", "https://testserver"))
    assert run(scenario, headers("testserver", "http://testserver"))
    assert not run(scenario, headers("testserver", "https://testserver:8443"))
    assert not run(scenario, headers("testserver", "https://evil.example"))
