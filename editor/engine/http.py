"""The outbound HTTP port of the Make HTTP Request and Run Function widgets, guarded against SSRF.

Flow authors choose the URL, so every request is treated as hostile. The host is resolved once,
every address it resolves to must be public, and the socket is opened to the address that was
checked: the URL's host is swapped for that IP while the Host header and the TLS server name
keep the original name, so no second DNS answer can slip in between check and connect
(DNS rebinding). Redirects are followed by hand and every hop is checked again. One deadline
covers DNS, every hop and the body, and the body is capped. The address policy is in
editor/engine/addresses.py, the pinned, deadline-bound sockets in editor/engine/http_transport.py.

Pure Python on httpx: the engine is handed an `HttpPort`; tests inject a stub resolver.
"""

from __future__ import annotations

import functools
import ipaddress
import ssl
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal, Protocol

import httpx

from .addresses import IPAddress, is_forbidden, parse_ip_literal, system_resolver
from .http_transport import PinnedTransport

Resolver = Callable[[str, int], list[str]]
FailureReason = Literal[
    "blocked", "timeout", "too_large", "connection", "invalid_url", "too_many_redirects"
]


@dataclass(frozen=True)
class HttpRequest:
    method: str  # "GET" or "POST"
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    timeout: float = 10.0  # whole request budget in seconds (Studio: 10 s)
    max_bytes: int = 64 * 1024  # response body cap (Studio: 64 KB)
    widget: str = ""  # the widget making it: test runs answer it with that widget's mock


@dataclass(frozen=True)
class HttpResponse:
    status_code: int
    content_type: str  # the Content-Type header value ("" if absent)
    body: str
    headers: dict[str, str]  # lower-case names
    raw: bytes = b""  # the body's bytes, undecoded (media the outbox uploads)
    mocked: bool = False  # a test run's mock answered it (editor/engine/mocks.py); none was sent


class HttpFailure(Exception):
    """No response to hand the flow; `reason` is what the widget reports."""

    def __init__(self, reason: FailureReason, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


class HttpPort(Protocol):
    def fetch(self, request: HttpRequest) -> HttpResponse: ...  # raises HttpFailure


# ---------------------------------------------------------------------------------------------
# The port


class SafeHttp:
    """The real `HttpPort`: public addresses only, pinned, bounded in time and size."""

    def __init__(
        self,
        *,
        allow_loopback: bool = False,
        resolver: Resolver | None = None,
        max_redirects: int = 3,
    ) -> None:
        self._allow_loopback = allow_loopback
        self._resolver = resolver or system_resolver
        self._max_redirects = max_redirects
        self._ssl_context = _default_ssl_context()
        # getaddrinfo has no timeout of its own; resolving on a worker lets fetch() give up at
        # the deadline instead of waiting out a slow DNS server.
        self._dns = ThreadPoolExecutor(max_workers=4, thread_name_prefix="outbound-dns")

    def fetch(self, request: HttpRequest) -> HttpResponse:
        deadline = time.monotonic() + request.timeout
        pin = functools.partial(self._pin, deadline=deadline)
        transport = PinnedTransport(pin, self._ssl_context, deadline)
        # A client per fetch: no cookie, connection or DNS answer outlives one request.
        # trust_env=False ignores proxy variables and ~/.netrc.
        client = httpx.Client(
            transport=transport,
            trust_env=False,
            follow_redirects=False,
            # We ask for the body as sent, so the cap counts what the flow will see.
            headers={"Accept-Encoding": "identity"},
        )
        with client, _as_http_failure():
            return self._follow_redirects(client, request)

    def close(self) -> None:
        self._dns.shutdown(wait=False, cancel_futures=True)

    def _follow_redirects(self, client: httpx.Client, request: HttpRequest) -> HttpResponse:
        outgoing = client.build_request(
            request.method,
            request.url,
            headers=request.headers,
            content=request.body,
            timeout=request.timeout,
        )
        for _hop in range(self._max_redirects + 1):
            # httpx builds next_request as browsers do: 303, and 301/302 after a POST, become a
            # GET without a body; Authorization is dropped when the origin changes.
            response = client.send(outgoing, stream=True)
            try:
                if response.next_request is None:
                    return _read_response(response, request.max_bytes)
                outgoing = response.next_request
            finally:
                response.close()
        raise HttpFailure("too_many_redirects", f"more than {self._max_redirects} redirects")

    def _pin(self, url: httpx.URL, *, deadline: float) -> str:
        """The one address this hop may dial, after every address of the host passed."""
        if url.scheme not in ("http", "https") or not url.raw_host:
            raise HttpFailure("invalid_url", f"not an http(s) URL with a host: {url}")
        host = url.raw_host.decode("ascii")
        literal = parse_ip_literal(host)
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = [literal] if literal is not None else self._resolve(host, port, deadline)
        for address in addresses:
            if is_forbidden(address, allow_loopback=self._allow_loopback):
                via = "" if literal is not None else f"{host} resolves to "
                raise HttpFailure("blocked", f"{via}{address}: not a public address")
        # Every address passed; the resolver's first choice is the one we dial.
        return str(addresses[0])

    def _resolve(self, host: str, port: int, deadline: float) -> list[IPAddress]:
        lookup = self._dns.submit(self._resolver, host, port)
        try:
            answers = lookup.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeoutError as exc:
            raise HttpFailure("timeout", f"resolving {host} took too long") from exc
        except OSError as exc:
            raise HttpFailure("connection", f"could not resolve {host}: {exc}") from exc
        except UnicodeError as exc:
            # The system resolver's IDNA step refuses an empty or over-63-character label
            # before any lookup: a Liquid host such as `{{flow.variables.host}}.twil.io`
            # rendered with the variable unset gives `.twil.io`. Twilio fails the widget.
            raise HttpFailure("invalid_url", f"{host} is not a valid host name") from exc
        try:
            addresses = [ipaddress.ip_address(answer) for answer in answers]
        except ValueError as exc:
            raise HttpFailure("connection", f"unusable address for {host}: {exc}") from exc
        if not addresses:
            raise HttpFailure("connection", f"{host} has no addresses")
        return addresses


@functools.lru_cache(maxsize=1)
def _default_ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle costs tens of milliseconds; a context is safe to share.
    return httpx.create_ssl_context(trust_env=False)


@contextmanager
def _as_http_failure() -> Iterator[None]:
    """httpx's errors, in the vocabulary the widget reports."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise HttpFailure("timeout", "the request did not finish in time") from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise HttpFailure("invalid_url", str(exc)) from exc
    except httpx.HTTPError as exc:
        raise HttpFailure("connection", str(exc) or type(exc).__name__) from exc


# ---------------------------------------------------------------------------------------------
# Reading the response

_COMPRESSED = frozenset({"gzip", "x-gzip", "deflate"})


def _read_response(response: httpx.Response, max_bytes: int) -> HttpResponse:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise HttpFailure("too_large", f"the response declares {declared} bytes")
    raw = _read_capped(response.iter_raw(), max_bytes)
    body = _decompress(raw, response.headers.get("content-encoding", ""), max_bytes)
    return HttpResponse(
        status_code=response.status_code,
        content_type=response.headers.get("content-type", ""),
        body=_decode_text(body, response.charset_encoding),
        headers=dict(response.headers.items()),
        raw=body,
    )


def _read_capped(chunks: Iterable[bytes], limit: int) -> bytes:
    """The body, refused as soon as it passes `limit` (the rest is never read)."""
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise HttpFailure("too_large", f"the response body is larger than {limit} bytes")
    return bytes(body)


def _decompress(raw: bytes, coding: str, limit: int) -> bytes:
    """Undo gzip/deflate from a server that ignored our Accept-Encoding, bounded like the
    download so 64 KB of zeros cannot expand into gigabytes."""
    if coding.strip().lower() not in _COMPRESSED:
        return raw
    decompressor = zlib.decompressobj(wbits=32 + zlib.MAX_WBITS)  # zlib or gzip header
    try:
        body = decompressor.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise HttpFailure("connection", "the response body could not be decompressed") from exc
    if len(body) > limit:
        raise HttpFailure("too_large", f"the response body is larger than {limit} bytes")
    return body


def _decode_text(body: bytes, charset: str | None) -> str:
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return body.decode("utf-8", errors="replace")
