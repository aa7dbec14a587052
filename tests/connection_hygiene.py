"""Database connections the tests leave open, found where they are left instead of when the
test database cannot be dropped.

A thread that uses the ORM has a connection of its own, which nothing closes for it: the
thread must (`connections.close_all()` when it ends). One that ends without doing so leaves
its connection to the garbage collector, and in the test process the collector runs rarely:
studio_clone/asgi.py sets the server's thresholds (studio_clone/gc_tuning.py) when a test
module imports the application. One such connection lasted to the end of the run, and
PostgreSQL refused to drop the test database ("being accessed by other users").

Every connection opened is noted with its thread and the test it was opened in
(`connection_created`). After each test, a connection still open whose thread has ended
fails that test (conftest.py); at the end of the run, on PostgreSQL, a session still on
the test database once Django's own connections are closed fails the run, named by its
thread when it is one of this process's.
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any

from django.db import connection, connections
from django.db.backends.signals import connection_created

OPENED: weakref.WeakKeyDictionary[Any, tuple[threading.Thread, str]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
current_test = ["(outside any test)"]


def opened(sender: Any, connection: Any, **kwargs: Any) -> None:
    with _lock:
        OPENED[connection] = (threading.current_thread(), current_test[0])


connection_created.connect(opened, dispatch_uid="tests.connection_hygiene")


def open_connections() -> list[tuple[Any, threading.Thread, str]]:
    """Every noted connection still open: (its wrapper, its thread, the test it opened in)."""
    with _lock:
        noted = list(OPENED.items())
    return [(wrapper, *holder) for wrapper, holder in noted if wrapper.connection is not None]


def describe(thread: threading.Thread, test: str) -> str:
    state = "running" if thread.is_alive() else "ended"
    return f"thread {thread.name!r} ({state}), opened during {test}"


def left_by_ended_threads() -> list[str]:
    """The connections of threads that have ended, closed here once described (their thread
    cannot any more), so that one leak fails one test."""
    left = []
    for wrapper, thread, test in open_connections():
        if thread.is_alive():
            continue
        left.append(describe(thread, test))
        wrapper.inc_thread_sharing()
        wrapper.close()
    return left


def other_sessions(name: str) -> list[tuple[Any, ...]]:
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start, state, left(query, 160) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        return cursor.fetchall()


def what_holds_the_test_database(wait: float = 3.0) -> str | None:
    """On PostgreSQL, just before the test database is dropped, with Django's own
    connections closed: None when no session is left on it (a thread still finishing is
    waited for `wait` seconds), else what holds it."""
    if connection.vendor != "postgresql":
        return None
    name = connection.settings_dict["NAME"]
    connections.close_all()
    connection.close_pool()  # idle pooled connections are Django's to close, not leaks
    deadline = time.monotonic() + wait
    while (sessions := other_sessions(name)) and time.monotonic() < deadline:
        time.sleep(0.1)
    if not sessions:
        return None
    here = threading.current_thread()
    ours = [describe(t, test) for _, t, test in open_connections() if t is not here]
    lines = [f"{len(sessions)} session(s) still on {name} at the end of the run:"]
    lines += [
        f"  pid {pid}, since {start:%H:%M:%S}, {state}: {query}"
        for pid, start, state, query in sessions
    ]
    lines.append("open connections of the tests' threads:")
    lines += [f"  {line}" for line in ours or ["(none)"]]
    return "\n".join(lines)
