"""Failed authentications, counted per username, client IP or API key (editor/throttle.py)."""

from __future__ import annotations

from django.db import models


class AuthThrottle(models.Model):
    """One counter of recent failures. A row whose last failure is older than the window
    counts as none and may be deleted at any time."""

    # sha256 of scope and value: fixed length, and no user-typed text (NUL bytes and all)
    # is stored or indexed.
    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.failures} failure(s), last at {self.last_failure:%Y-%m-%d %H:%M:%S}"
