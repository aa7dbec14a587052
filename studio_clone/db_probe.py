"""Is an idle PostgreSQL connection's server gone? Asked without a round trip.

An idle connection has nothing to read unless its server closed it (restarted, failed over,
the backend terminated: PostgreSQL sends its last error, then closes the socket). So a
zero-timeout poll() of the socket answers it for the cost of one system call, where an
empty query would cost a round trip to the server on every request. Used by the pool as it
lends a connection (`install`, studio_clone/settings.py, tests/test_server_lost_database.py)
and before an execution's commit (editor/models/one_trip.py,
tests/test_commit_lost_connection.py).
"""

from __future__ import annotations

import select
from typing import Any

import psycopg


def server_gone(raw: Any) -> bool:
    """True when the psycopg connection `raw` is closed or its server has closed it. poll(),
    not select(): a server with thousands of websockets open has its database sockets above
    select()'s limit of 1,024, where select() refuses every one (bench B3)."""
    try:
        if raw.closed:
            return True
        ready = select.poll()
        ready.register(raw.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(ready.poll(0))
    except (OSError, ValueError, psycopg.Error):  # closed already: no socket
        return True


def check_lent(raw: Any) -> None:
    """psycopg_pool's `check`: a connection whose server is gone is closed, so that the pool
    drops it and lends another (it would take back one that is merely refused), instead of
    failing the request it would have been lent to."""
    if server_gone(raw):
        raw.close()
        raise psycopg.OperationalError("the server closed this pooled connection")


def install() -> None:
    """Make `check_lent` the check of the pool Django builds with CONN_HEALTH_CHECKS on.
    Django passes psycopg_pool's `ConnectionPool.check_connection` (an empty query) as the
    pool's `check` and refuses one of ours in the pool's options (a keyword given twice), so
    that class attribute is what is replaced; nothing else in the process uses it."""
    from psycopg_pool import ConnectionPool

    ConnectionPool.check_connection = staticmethod(check_lent)  # type: ignore[method-assign]
