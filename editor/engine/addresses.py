"""Which addresses outbound requests may reach: the public internet only.

The SSRF policy of the HTTP widgets (editor/engine/http.py), kept apart so it can be read,
tested and changed on its own.
"""

from __future__ import annotations

import ipaddress
import re
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Spelled out beside `is_global` so the policy does not drift with Python patch releases
# (3.11.7 calls 224.0.0.1 and ::ffff:8.8.8.8 global, for one).
_FORBIDDEN_V4 = tuple(
    ipaddress.IPv4Network(network)
    for network in (
        "0.0.0.0/8",  # "this network"; Linux routes 0.0.0.0 to the local host
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, where cloud metadata services live
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, including 255.255.255.255
    )
)
_FORBIDDEN_V6 = tuple(
    ipaddress.IPv6Network(network)
    for network in (
        "::/128",
        "::1/128",
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments (Teredo, benchmarking, ORCHID)
        "2001:db8::/32",
        "fc00::/7",  # unique local
        "fe80::/10",
        "fec0::/10",  # deprecated site-local
        "ff00::/8",  # multicast
    )
)
# Translated to IPv4 by a gateway we cannot see, so the real destination is unknowable.
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_LOOPBACK_V4 = ipaddress.IPv4Network("127.0.0.0/8")
_LOOPBACK_V6 = ipaddress.IPv6Address("::1")


def is_forbidden(address: IPAddress, *, allow_loopback: bool = False) -> bool:
    """True for every address that is not on the public internet."""
    if isinstance(address, ipaddress.IPv4Address):
        if allow_loopback and address in _LOOPBACK_V4:
            return False
        return _is_forbidden_v4(address)
    if allow_loopback and address == _LOOPBACK_V6:
        return False
    return _is_forbidden_v6(address)


def _is_forbidden_v4(address: ipaddress.IPv4Address) -> bool:
    return not address.is_global or any(address in network for network in _FORBIDDEN_V4)


def _is_forbidden_v6(address: ipaddress.IPv6Address) -> bool:
    if address.teredo is not None or any(address in network for network in _NAT64):
        return True
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        # A dual-stack socket dials the embedded IPv4 address (the n8n-mcp bypass), so judge that.
        return _is_forbidden_v4(embedded)
    return not address.is_global or any(address in network for network in _FORBIDDEN_V6)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _IPV4_COMPATIBLE and int(address) > 1:  # :: and ::1 are not IPv4-compatible
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


_NUMERIC_HOST = re.compile(r"[0-9a-fx.]+", re.IGNORECASE)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host names without DNS, in every spelling a C resolver accepts."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not _NUMERIC_HOST.fullmatch(host):
        return None
    try:
        # getaddrinfo reads 2130706433, 0x7f.1 and 017700000001 as 127.0.0.1 via inet_aton,
        # so we must read them the same way before any resolver (or stub) sees them.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host`, in its preferred order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# ---------------------------------------------------------------------------------------------
# Transport: one deadline on every socket operation, and dial only the pinned address
