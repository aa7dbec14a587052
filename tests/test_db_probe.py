"""studio_clone/db_probe.py: whether an idle database connection's server is gone, asked of
its socket without a query (the pool's check as it lends a connection, and one_trip's)."""

from __future__ import annotations

import os
import resource
import socket

import pytest

from studio_clone import db_probe

HIGH = 1500  # above select()'s FD_SETSIZE of 1,024, as on a server with many websockets open


class Raw:
    """What the probe asks of a psycopg connection: `closed` and `fileno()`."""

    def __init__(self, fd: int, closed: bool = False) -> None:
        self.fd, self.closed = fd, closed
        self.closed_by_check = False

    def fileno(self) -> int:
        return self.fd

    def close(self) -> None:
        self.closed_by_check = True


@pytest.fixture
def pair():
    ours, server = socket.socketpair()
    yield ours, server
    ours.close()
    server.close()


def test_an_idle_socket_is_alive_and_one_the_server_wrote_to_or_closed_is_gone(pair):
    ours, server = pair
    assert not db_probe.server_gone(Raw(ours.fileno()))
    server.sendall(b"E")  # PostgreSQL's last error before it closes
    assert db_probe.server_gone(Raw(ours.fileno()))
    assert db_probe.server_gone(Raw(ours.fileno(), closed=True))


def test_a_socket_numbered_above_1024_is_asked_too(pair):
    """select() refuses such a descriptor (ValueError), which read as 'gone' for every
    connection of a server with 2,000 websockets open: each was closed and reopened."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft <= HIGH:
        if hard != resource.RLIM_INFINITY and hard <= HIGH:
            pytest.skip(f"the open-file limit ({hard}) is below {HIGH}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (HIGH + 1, hard))
    ours, server = pair
    high = os.dup2(ours.fileno(), HIGH)
    try:
        assert not db_probe.server_gone(Raw(high))
        server.close()
        assert db_probe.server_gone(Raw(high))
    finally:
        os.close(high)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_the_pools_check_closes_a_connection_whose_server_is_gone(pair):
    """Closed, the pool drops it and lends another; left open, it would take it back."""
    ours, server = pair
    alive = Raw(ours.fileno())
    db_probe.check_lent(alive)
    assert not alive.closed_by_check
    server.close()
    gone = Raw(ours.fileno())
    with pytest.raises(Exception, match="closed this pooled connection"):
        db_probe.check_lent(gone)
    assert gone.closed_by_check
