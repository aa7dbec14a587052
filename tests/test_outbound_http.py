"""The outbound HTTP port: SSRF refusals that send no traffic, and real requests on loopback."""

from __future__ import annotations

import base64
import gzip
import ipaddress
import json
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpcore
import pytest

from editor.engine.http import (
    HttpFailure,
    HttpRequest,
    HttpResponse,
    SafeHttp,
    is_forbidden,
)

PUBLIC = "93.184.215.14"


def stub_resolver(answers: dict[str, list[str]]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        if host not in answers:
            raise socket.gaierror(f"unknown host {host}")
        return answers[host]

    return resolve


def fetch(http: SafeHttp, url: str, **fields: object) -> HttpResponse:
    return http.fetch(HttpRequest(method=str(fields.pop("method", "GET")), url=url, **fields))


def failure_of(http: SafeHttp, url: str, **fields: object) -> HttpFailure:
    with pytest.raises(HttpFailure) as caught:
        fetch(http, url, **fields)
    return caught.value


@pytest.fixture
def safe() -> Iterator[Callable[..., SafeHttp]]:
    made: list[SafeHttp] = []

    def make(**options: object) -> SafeHttp:
        made.append(SafeHttp(**options))
        return made[-1]

    yield make
    for http in made:
        http.close()


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every way a socket could be opened fails the test, and is recorded."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(httpcore._backends.sync.SyncBackend, "connect_tcp", refuse)
    return attempts


@pytest.fixture
def dialled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hosts httpcore really connects to (connections still happen)."""
    hosts: list[str] = []
    connect_tcp = httpcore._backends.sync.SyncBackend.connect_tcp

    def spy(self: object, host: str, port: int, *args: object, **kwargs: object) -> object:
        hosts.append(host)
        return connect_tcp(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore._backends.sync.SyncBackend, "connect_tcp", spy)
    return hosts


# ---------------------------------------------------------------------------------------------
# Refusals: nothing leaves the machine

BLOCKED_LITERALS = [
    "127.0.0.1",
    "127.1.2.3",
    "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
    "10.0.0.5",
    "172.16.3.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "198.18.0.1",
    "192.0.2.10",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:0:a00:1",  # IPv4-translated
    "::7f00:1",  # IPv4-compatible 127.0.0.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "64:ff9b::a00:1",  # NAT64
    "64:ff9b::808:808",  # NAT64 of a public address: still refused
    "64:ff9b:1::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2001:db8::1",
]
# Spellings of 127.0.0.1 that getaddrinfo (inet_aton) accepts.
BLOCKED_NUMERIC_HOSTS = ["2130706433", "0x7f000001", "017700000001", "127.1", "0x7f.1"]


def literal_url(address: str, scheme: str = "http") -> str:
    host = f"[{address}]" if ":" in address else address
    return f"{scheme}://{host}/widget"


@pytest.mark.parametrize("address", BLOCKED_LITERALS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_it_refuses_a_forbidden_address_without_connecting(
    safe, no_connections, address: str, method: str
) -> None:
    http = safe(resolver=stub_resolver({}))

    failure = failure_of(http, literal_url(address), method=method, body=b"{}")

    assert failure.reason == "blocked"
    assert no_connections == []


@pytest.mark.parametrize("host", BLOCKED_NUMERIC_HOSTS)
def test_it_reads_numeric_hosts_as_the_system_resolver_would(safe, no_connections, host) -> None:
    # The stub knows no such name: the guard itself must see the loopback address.
    failure = failure_of(safe(resolver=stub_resolver({})), f"https://{host}/")

    assert failure.reason == "blocked"
    assert no_connections == []


@pytest.mark.parametrize(
    "answers",
    [
        [PUBLIC, "10.0.0.7"],
        ["10.0.0.7", PUBLIC],
        ["2606:4700::1111", "fd00::1"],
        ["::ffff:169.254.169.254"],
        ["169.254.169.254"],
    ],
)
def test_it_refuses_a_host_when_any_of_its_addresses_is_forbidden(
    safe, no_connections, answers: list[str]
) -> None:
    http = safe(resolver=stub_resolver({"api.example.com": answers}))

    failure = failure_of(http, "https://api.example.com/hook")

    assert failure.reason == "blocked"
    assert no_connections == []


@pytest.mark.parametrize("address", ["10.0.0.5", "169.254.169.254", "::ffff:127.0.0.1", "fe80::1"])
def test_allowing_loopback_still_refuses_everything_else(safe, no_connections, address) -> None:
    failure = failure_of(safe(allow_loopback=True), literal_url(address))

    assert failure.reason == "blocked"
    assert no_connections == []


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", PUBLIC, "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"],
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert not is_forbidden(ipaddress.ip_address(address))


def test_allowing_loopback_allows_loopback_only() -> None:
    assert not is_forbidden(ipaddress.ip_address("127.9.9.9"), allow_loopback=True)
    assert not is_forbidden(ipaddress.ip_address("::1"), allow_loopback=True)
    assert is_forbidden(ipaddress.ip_address("127.9.9.9"))
    assert is_forbidden(ipaddress.ip_address("::1"))


def test_it_dials_the_checked_address_and_resolves_only_once(safe, monkeypatch) -> None:
    lookups: list[str] = []
    dials: list[tuple[str, int]] = []

    def rebinding(host: str, port: int) -> list[str]:
        # A rebinding DNS server: public for the check, private for any later lookup.
        lookups.append(host)
        return [PUBLIC] if len(lookups) == 1 else ["127.0.0.1"]

    def record(self: object, host: str, port: int, *args: object, **kwargs: object) -> None:
        dials.append((host, port))
        raise httpcore.ConnectError("recorded, not connected")

    monkeypatch.setattr(httpcore._backends.sync.SyncBackend, "connect_tcp", record)

    failure = failure_of(safe(resolver=rebinding), "http://rebind.example.com/")

    assert failure.reason == "connection"
    assert lookups == ["rebind.example.com"]
    assert dials == [(PUBLIC, 80)]


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "no-scheme", "http:///x"],
)
def test_it_refuses_urls_it_cannot_fetch(safe, no_connections, url: str) -> None:
    failure = failure_of(safe(resolver=stub_resolver({})), url)

    assert failure.reason == "invalid_url"
    assert no_connections == []


@pytest.mark.parametrize("host", [".twil.io", "a..example.com", "x" * 64 + ".example.com"])
def test_a_host_with_an_empty_or_too_long_label_is_an_invalid_url(
    safe, no_connections, host: str
) -> None:
    """As a real export's `https://{{flow.variables.host}}.twil.io/jokes/next` renders with
    the variable unset: the system resolver refuses the name before any lookup, and the
    widget must fail rather than the engine raise."""
    failure = failure_of(safe(), f"https://{host}/jokes/next")

    assert failure.reason == "invalid_url"
    assert host in str(failure)
    assert no_connections == []


def test_an_unknown_host_is_a_connection_failure(safe, no_connections) -> None:
    failure = failure_of(safe(resolver=stub_resolver({})), "https://nowhere.invalid/")

    assert failure.reason == "connection"
    assert no_connections == []


def test_a_slow_resolver_counts_against_the_budget(safe) -> None:
    release = threading.Event()

    def slow(host: str, port: int) -> list[str]:
        release.wait(5)
        return [PUBLIC]

    started = time.monotonic()
    try:
        failure = failure_of(safe(resolver=slow), "https://slow-dns.example.com/", timeout=0.3)
    finally:
        release.set()

    assert failure.reason == "timeout"
    assert time.monotonic() - started < 1.5


# ---------------------------------------------------------------------------------------------
# A real server on loopback

RELEASE = threading.Event()  # set at teardown so slow handlers finish promptly


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen_sni: list[str | None] = []

    def do_GET(self) -> None:
        self.route()

    def do_POST(self) -> None:
        self.route()

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output quiet

    def route(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        handler = getattr(self, "route_" + url.path.strip("/").split("/")[0], None)
        if handler is None:
            self.reply(404, b"not found")
            return
        handler(url.path, query, body)

    def reply(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        headers = {name.replace("_", "-"): value for name, value in headers.items()}
        headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        headers.setdefault("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def route_echo(self, path: str, query: dict[str, str], body: bytes) -> None:
        echoed = {
            "method": self.command,
            "path": self.path,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "body": body.decode("utf-8"),
        }
        self.reply(200, json.dumps(echoed).encode(), Content_Type="application/json", X_Echo="1")

    def route_status(self, path: str, query: dict[str, str], body: bytes) -> None:
        self.reply(int(path.split("/")[2]), b"boom")

    def route_hops(self, path: str, query: dict[str, str], body: bytes) -> None:
        left = int(path.split("/")[2])  # redirects still to come
        self.reply(302, b"", Location=f"/hops/{left - 1}" if left > 1 else "/echo")

    def route_redirect(self, path: str, query: dict[str, str], body: bytes) -> None:
        self.reply(int(query.get("status", "302")), b"", Location=query["to"])

    def route_latin1(self, path: str, query: dict[str, str], body: bytes) -> None:
        self.reply(200, "café".encode("latin-1"), Content_Type="text/plain; charset=ISO-8859-1")

    def route_bytes(self, path: str, query: dict[str, str], body: bytes) -> None:
        self.reply(200, b"ok \xff", Content_Type="application/octet-stream")

    def route_big(self, path: str, query: dict[str, str], body: bytes) -> None:
        self.reply(200, b"x" * int(query["size"]))

    def route_undeclared(self, path: str, query: dict[str, str], body: bytes) -> None:
        # No Content-Length: the only way to find the size is to read it.
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        for _ in range(int(query["chunks"])):
            self.wfile.write(b"x" * 16 * 1024)
        self.close_connection = True

    def route_gzip(self, path: str, query: dict[str, str], body: bytes) -> None:
        plain = b"0" * int(query["size"])
        self.reply(200, gzip.compress(plain), Content_Encoding="gzip")

    def route_cookie(self, path: str, query: dict[str, str], body: bytes) -> None:
        self.reply(200, b"set", Set_Cookie="session=secret; Path=/")

    def route_slow(self, path: str, query: dict[str, str], body: bytes) -> None:
        RELEASE.wait(5)
        self.reply(200, b"late")

    def route_trickle(self, path: str, query: dict[str, str], body: bytes) -> None:
        # Every byte arrives well within any per-read timeout; only a total budget ends it.
        self.send_response(200)
        self.send_header("Content-Length", "60")
        self.end_headers()
        for _ in range(60):
            if RELEASE.wait(0.05):
                return
            self.wfile.write(b"x")
            self.wfile.flush()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)
        # else: the client hung up, as the size and timeout tests intend


def serve(server: Server) -> Iterator[int]:
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        RELEASE.set()
        server.shutdown()
        server.server_close()
        RELEASE.clear()


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    yield from serve(Server(("127.0.0.1", 0), Handler))


@pytest.fixture
def base(port: int) -> str:
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def local(safe) -> SafeHttp:
    return safe(allow_loopback=True)


def echoed(response: HttpResponse) -> dict:
    assert response.status_code == 200
    return json.loads(response.body)


def test_it_gets_a_local_url_when_loopback_is_allowed(local, base) -> None:
    response = fetch(local, f"{base}/echo?x=1", headers={"X-Widget": "http_1"})

    assert response.content_type == "application/json"
    assert response.headers["x-echo"] == "1"
    assert all(name == name.lower() for name in response.headers)
    seen = echoed(response)
    assert (seen["method"], seen["path"]) == ("GET", "/echo?x=1")
    assert seen["headers"]["x-widget"] == "http_1"


def test_it_refuses_the_local_server_by_default(safe, base, no_connections) -> None:
    assert failure_of(safe(), f"{base}/echo").reason == "blocked"
    assert no_connections == []


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"name": "Ann\xc3\xa9"}'),
        ("application/x-www-form-urlencoded", b"name=Ann&age=3"),
    ],
)
def test_it_posts_a_body_with_its_content_type(local, base, content_type, body) -> None:
    response = fetch(
        local, f"{base}/echo", method="POST", headers={"Content-Type": content_type}, body=body
    )

    seen = echoed(response)
    assert seen["method"] == "POST"
    assert seen["headers"]["content-type"] == content_type
    assert seen["body"] == body.decode("utf-8")


def test_an_error_status_is_a_response_not_a_failure(local, base) -> None:
    response = fetch(local, f"{base}/status/500")

    assert (response.status_code, response.body) == (500, "boom")
    assert response.content_type == "text/plain; charset=utf-8"


def test_it_decodes_the_body_with_the_declared_charset(local, base) -> None:
    assert fetch(local, f"{base}/latin1").body == "café"


def test_it_decodes_undeclared_bytes_as_utf8_with_replacement(local, base) -> None:
    assert fetch(local, f"{base}/bytes").body == "ok \ufffd"


def test_it_follows_three_redirects(local, base) -> None:
    seen = echoed(fetch(local, f"{base}/hops/3"))

    assert seen["path"] == "/echo"


def test_it_refuses_a_fourth_redirect(local, base) -> None:
    assert failure_of(local, f"{base}/hops/4").reason == "too_many_redirects"


def test_a_relative_location_resolves_against_the_current_url(local, base) -> None:
    seen = echoed(fetch(local, f"{base}/redirect/a/b?to=../../echo%3Fhop%3D1"))

    assert seen["path"] == "/echo?hop=1"


@pytest.mark.parametrize(
    ("status", "method", "body"),
    [
        (303, "GET", ""),
        (302, "GET", ""),
        (301, "GET", ""),
        (307, "POST", "a=1"),
        (308, "POST", "a=1"),
    ],
)
def test_a_redirected_post_changes_method_as_browsers_do(local, base, status, method, body) -> None:
    response = fetch(local, f"{base}/redirect?status={status}&to=/echo", method="POST", body=b"a=1")

    seen = echoed(response)
    assert (seen["method"], seen["body"]) == (method, body)


@pytest.mark.parametrize(
    "location",
    ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::ffff:a00:1]/"],
)
def test_a_redirect_to_a_private_address_is_refused_without_connecting(
    local, base, dialled, location
) -> None:
    failure = failure_of(local, f"{base}/redirect?to={location}")

    assert failure.reason == "blocked"
    assert dialled == ["127.0.0.1"]  # the first hop only


def test_a_redirect_to_a_host_resolving_privately_is_refused(safe, port, dialled) -> None:
    http = safe(
        allow_loopback=True,
        resolver=stub_resolver({"studio.test": ["127.0.0.1"], "internal.test": ["10.1.2.3"]}),
    )

    failure = failure_of(http, f"http://studio.test:{port}/redirect?to=http://internal.test/")

    assert failure.reason == "blocked"
    assert dialled == ["127.0.0.1"]


def test_a_redirect_to_another_scheme_is_refused(local, base) -> None:
    assert failure_of(local, f"{base}/redirect?to=file:///etc/passwd").reason == "invalid_url"


def test_a_declared_oversize_body_is_refused(local, base) -> None:
    assert fetch(local, f"{base}/big?size=65536").body == "x" * 65536
    assert failure_of(local, f"{base}/big?size=65537").reason == "too_large"


def test_an_oversize_body_is_refused_while_streaming(local, base) -> None:
    assert failure_of(local, f"{base}/undeclared?chunks=8", max_bytes=64 * 1024).reason == (
        "too_large"
    )
    assert len(fetch(local, f"{base}/undeclared?chunks=4").body) == 64 * 1024


def test_a_compressed_body_is_decoded_within_the_cap(local, base) -> None:
    assert fetch(local, f"{base}/gzip?size=1000").body == "0" * 1000
    # 10 MB of zeros compresses to about 10 KB: the cap applies to what it expands to.
    assert failure_of(local, f"{base}/gzip?size=10000000").reason == "too_large"


def test_it_asks_for_an_uncompressed_body(local, base) -> None:
    assert echoed(fetch(local, f"{base}/echo"))["headers"]["accept-encoding"] == "identity"


def test_a_slow_server_times_out(local, base) -> None:
    started = time.monotonic()

    failure = failure_of(local, f"{base}/slow", timeout=0.5)

    assert failure.reason == "timeout"
    assert time.monotonic() - started < 1.5


def test_the_timeout_covers_the_whole_body_not_each_read(local, base) -> None:
    started = time.monotonic()

    failure = failure_of(local, f"{base}/trickle", timeout=0.5)

    assert failure.reason == "timeout"
    assert time.monotonic() - started < 1.0


def test_proxy_environment_variables_are_ignored(local, base, monkeypatch) -> None:
    dead = "http://127.0.0.1:9"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, dead)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)

    assert echoed(fetch(local, f"{base}/echo"))["path"] == "/echo"


def test_cookies_do_not_carry_over_to_the_next_request(local, base) -> None:
    assert fetch(local, f"{base}/cookie").headers["set-cookie"].startswith("session=")

    assert "cookie" not in echoed(fetch(local, f"{base}/echo"))["headers"]


def test_the_pinned_connection_keeps_the_host_header_and_url_credentials(
    safe, port, dialled
) -> None:
    http = safe(allow_loopback=True, resolver=stub_resolver({"studio.test": ["127.0.0.1"]}))

    seen = echoed(fetch(http, f"http://ann:s%40cret@studio.test:{port}/echo"))

    assert seen["headers"]["host"] == f"studio.test:{port}"
    assert seen["headers"]["authorization"] == "Basic " + base64.b64encode(b"ann:s@cret").decode()
    assert dialled == ["127.0.0.1"]


# ---------------------------------------------------------------------------------------------
# HTTPS: the socket goes to the pinned IP, TLS still names and verifies the original host


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-nodes", "-days", "1", "-subj", "/CN=studio.test"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"),
            *("-addext", "subjectAltName=DNS:studio.test", "-keyout", key, "-out", cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture(scope="module")
def tls_port(certificate: tuple[Path, Path]) -> Iterator[int]:
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: Handler.seen_sni.append(name)
    server = Server(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    yield from serve(server)


@pytest.fixture
def tls_client(safe, certificate) -> SafeHttp:
    names = {"studio.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]}
    http = safe(allow_loopback=True, resolver=stub_resolver(names))
    # Trust the test certificate instead of the public CA bundle.
    http._ssl_context = ssl.create_default_context(cafile=str(certificate[0]))
    return http


def test_https_is_pinned_but_sends_and_verifies_the_original_name(
    tls_client, tls_port, dialled
) -> None:
    Handler.seen_sni.clear()

    seen = echoed(fetch(tls_client, f"https://studio.test:{tls_port}/echo"))

    assert seen["headers"]["host"] == f"studio.test:{tls_port}"
    assert Handler.seen_sni == ["studio.test"]
    assert dialled == ["127.0.0.1"]


def test_https_still_rejects_a_certificate_for_another_name(tls_client, tls_port) -> None:
    failure = failure_of(tls_client, f"https://other.test:{tls_port}/echo")

    assert failure.reason == "connection"
    assert "certificate" in failure.message.lower()
