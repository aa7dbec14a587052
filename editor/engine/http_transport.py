"""The sockets of the outbound HTTP port (editor/engine/http.py): they dial only the address
that was checked, and answer to one request's deadline.

`PinnedTransport` asks the port for each hop's checked address, then sends the hop there:
the URL's host is swapped for that IP while the Host header and the TLS server name keep the
name the author wrote, so no second DNS answer can slip in between check and connect (DNS
rebinding). Every connect, read, write and TLS handshake is clamped to the time left of the
whole request, so a server that trickles a byte at a time cannot stretch it.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable, Iterable

import httpcore
import httpx

from .addresses import parse_ip_literal


def _within(deadline: float, timeout: float | None, expired: type[Exception]) -> float:
    """The socket timeout for one operation: never past the whole request's deadline."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise expired("the request's time budget is spent")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """httpcore times each read on its own; clamping every one to the deadline stops a server
    that trickles a byte at a time from stretching the request indefinitely."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        timeout = _within(self._deadline, timeout, httpcore.ReadTimeout)
        return self._stream.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within(self._deadline, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        # CPython bounds the whole handshake by the socket timeout, so one clamp suffices.
        timeout = _within(self._deadline, timeout, httpcore.ConnectTimeout)
        stream = self._stream.start_tls(ssl_context, server_hostname, timeout)
        return _DeadlineStream(stream, self._deadline)

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def __init__(self, deadline: float) -> None:
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        # The pinning transport only ever hands us IP literals; a name here would mean a
        # fresh DNS lookup after the check, so refuse rather than trust it.
        if parse_ip_literal(host) is None:
            raise httpcore.ConnectError(f"refusing to dial unpinned host {host!r}")
        timeout = _within(self._deadline, timeout, httpcore.ConnectTimeout)
        stream = super().connect_tcp(host, port, timeout, local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)


class _DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport with sockets that answer to one request's deadline."""

    def __init__(self, ssl_context: ssl.SSLContext, deadline: float) -> None:
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx has no public way to give its pool a network backend, so replace the pool it
        # built with the same one plus ours; tests/test_outbound_http.py fails if this breaks.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, network_backend=_DeadlineBackend(deadline)
        )


class PinnedTransport(httpx.BaseTransport):
    """Checks each hop's host, then sends the hop to the checked address only.

    Each hop gets its own connection pool: pools are keyed by address, and a TLS connection
    verified for one name must not carry a request for another name on the same IP.
    """

    def __init__(
        self, pin: Callable[[httpx.URL], str], ssl_context: ssl.SSLContext, deadline: float
    ) -> None:
        self._pin = pin
        self._ssl_context = ssl_context
        self._deadline = deadline
        self._hops: list[httpx.HTTPTransport] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        address = self._pin(request.url)
        hop = _DeadlineTransport(self._ssl_context, self._deadline)
        self._hops.append(hop)
        return hop.handle_request(_pinned_request(request, address))

    def close(self) -> None:
        for hop in self._hops:
            hop.close()


def _pinned_request(request: httpx.Request, address: str) -> httpx.Request:
    """The same request aimed at `address`; Host, auth and body headers are already set."""
    extensions = dict(request.extensions)
    if request.url.scheme == "https":
        # TLS must still ask for, and verify the certificate of, the name the author wrote.
        extensions["sni_hostname"] = _tls_name(request.url)
    return httpx.Request(
        request.method,
        request.url.copy_with(host=address),
        headers=request.headers,
        stream=request.stream,
        extensions=extensions,
    )


def _tls_name(url: httpx.URL) -> str:
    host = url.raw_host.decode("ascii")
    literal = parse_ip_literal(host)
    return host if literal is None else str(literal)
