"""Whether the session a flow socket was opened with still signs its user in.

Channels' AuthMiddleware reads the session once, when the socket connects; the socket then
lives on its own. Without asking again, signing out (which deletes the session), a password
change elsewhere (which invalidates the user's other sessions) or an account made inactive
would leave an open canvas editing the flow and receiving its changes. The consumer asks at once
on every access change, which signing out, a password change and an account made inactive
announce (editor/apps.py), and otherwise with the role on the first message after
WEBSOCKET_SESSION_RECHECK seconds (5 by default), so that a test-run reply (bench B2) does
not pay the session's two reads every time for changes that are announced anyway; only a
session ended without a signal (expired, deleted from the store) is noticed that much later.
"""

from __future__ import annotations

import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.utils.crypto import constant_time_compare

from .. import realtime


def session_key_of(scope: dict[str, Any]) -> str | None:
    """The key of the session the socket was authenticated with (None: the scope's user was
    not found through a session, as in tests that give the consumer a user directly)."""
    session = scope.get("session")
    return getattr(session, "session_key", None) if session is not None else None


class SessionWatch:
    """When a socket asks again whether its session still signs its user in."""

    def __init__(self, key: str | None) -> None:
        self.key = key
        self.next_check = time.monotonic() + recheck_seconds()  # just checked by connecting

    def due(self) -> str | None:
        """The session key when a check is due (pass it to still_signed_in), else None."""
        now = time.monotonic()
        if self.key is None or now < self.next_check:
            return None
        self.next_check = now + recheck_seconds()
        return self.key

    def now(self) -> str | None:
        """The session key for a check at once (an access change was announced)."""
        self.next_check = time.monotonic() + recheck_seconds()
        return self.key


def recheck_seconds() -> float:
    return float(getattr(settings, "WEBSOCKET_SESSION_RECHECK", 5.0))


def still_signed_in(user: Any, session_key: str | None) -> bool:
    """True while the session still exists, names this user, was made with their current
    password, and the user may still sign in (Django's own checks in auth.get_user)."""
    if session_key is None:
        return True  # not authenticated by a session: nothing to expire (see session_key_of)
    engine = import_module(settings.SESSION_ENGINE)
    data = engine.SessionStore(session_key).load()  # {} once deleted or expired
    backend_path = data.get(BACKEND_SESSION_KEY)
    if (
        data.get(SESSION_KEY) != str(user.pk)
        or backend_path not in settings.AUTHENTICATION_BACKENDS
    ):
        return False
    fresh = get_user_model()._default_manager.filter(pk=user.pk).first()
    if fresh is None:
        return False
    backend = load_backend(backend_path)
    can_sign_in = getattr(backend, "user_can_authenticate", lambda u: u.is_active)
    if not can_sign_in(fresh):
        return False
    stored = data.get(HASH_SESSION_KEY) or ""
    hashes = [fresh.get_session_auth_hash()]
    fallback = getattr(fresh, "get_session_auth_fallback_hash", None)
    if fallback is not None:
        hashes += list(fallback())
    return any(constant_time_compare(stored, expected) for expected in hashes)


def signed_out(sender: Any, user: Any = None, request: Any = None, **kwargs: Any) -> None:
    """Signing out: the user's sockets ask again at once (only this session's close).
    Django sends the signal before it deletes the session, so the session is ended here
    first (its own flush after this finds nothing left to delete); else a socket asking
    at once would find it still there."""
    if user is None or user.pk is None:
        return
    session = getattr(request, "session", None)
    if session is not None:
        session.flush()
    realtime.access_changed(user.pk)


def account_saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """A password set or the account made inactive (not a sign-in's `last_login`): the
    user's sockets whose session no longer signs them in close at once."""
    if kwargs.get("created") or kwargs.get("raw"):
        return
    if update_fields is None or {"password", "is_active"} & set(update_fields):
        realtime.access_changed(instance.pk)


def connect_signals() -> None:
    user_logged_out.connect(signed_out, dispatch_uid="flow-sockets-signed-out")
    post_save.connect(account_saved, sender=get_user_model(), dispatch_uid="flow-sockets-account")
