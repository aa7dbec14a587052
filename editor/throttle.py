"""Failed authentications slow down, then lock out: per username, client IP and API key.

The counts are rows in the database (models.AuthThrottle), so every web process sees the
same ones, on SQLite and PostgreSQL alike, and the embedded default needs no Redis.

A subject (the username "alice", the IP 192.0.2.7) with `slow_after` recent failures must
wait a delay that doubles with each further failure before it may try again; with `limit`
failures it is locked out until WINDOW has passed since the last one, whatever it sends
meanwhile (refused attempts are not counted, so they do not prolong the lock). WINDOW with
no failure forgets them all. A success forgets the failures of a subject that it proves
(the username, the API key), not those of the IP, from which other names may have been
tried.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from .models import AuthThrottle, reads

WINDOW = timedelta(minutes=15)
MAX_DELAY_SECONDS = 60

# Where "now" comes from; tests replace it to move time on without sleeping.
clock: Callable[[], datetime] = timezone.now


@dataclass(frozen=True)
class Policy:
    scope: str
    limit: int
    slow_after: int
    # Whether a success clears this subject's failures (true of what the success proves).
    reset_on_success: bool

    def retry_at(self, failures: int, last_failure: datetime) -> datetime | None:
        if failures >= self.limit:
            return last_failure + WINDOW
        if failures >= self.slow_after:
            delay = min(2 ** (failures - self.slow_after + 1), MAX_DELAY_SECONDS)
            return last_failure + timedelta(seconds=delay)
        return None


USERNAME = Policy("sign-in username", limit=5, slow_after=3, reset_on_success=True)
# An office behind one NAT shares an IP, so an IP gets more room than a username.
SIGN_IN_IP = Policy("sign-in ip", limit=20, slow_after=10, reset_on_success=False)
API_KEY = Policy("api key", limit=5, slow_after=3, reset_on_success=True)
API_IP = Policy("api ip", limit=20, slow_after=10, reset_on_success=False)
# Sign-ups and password-reset requests: each one counts, since each writes or mails.
ACCOUNT_IP = Policy("account ip", limit=10, slow_after=5, reset_on_success=False)


@dataclass(frozen=True)
class Refusal:
    retry_after: int  # whole seconds, as Retry-After wants them

    def message(self, what: str) -> str:
        return f"Too many failed {what}; try again in {self.wait_text()}."

    def wait_text(self) -> str:
        if self.retry_after < 60:
            count, unit = self.retry_after, "second"
        else:
            count, unit = math.ceil(self.retry_after / 60), "minute"
        return f"{count} {unit}{'' if count == 1 else 's'}"


def subject_key(policy: Policy, value: str) -> str:
    text = f"{policy.scope}\n{value}".encode("utf-8", "backslashreplace")
    return hashlib.sha256(text).hexdigest()


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR is the proxy's address behind a proxy unless the server rewrites it from
    # X-Forwarded-For (daphne's and uvicorn's --proxy-headers); see the README.
    return request.META.get("REMOTE_ADDR") or "unknown"


class Attempt:
    """One authentication attempt, by several subjects at once (a username and an IP)."""

    def __init__(self, *subjects: tuple[Policy, str]) -> None:
        self.now = clock()
        self.policies = {subject_key(policy, value): policy for policy, value in subjects}
        self.seen: set[str] = set()  # keys with failures in the window when last looked at
        self.reserved = False

    def refusal(self) -> Refusal | None:
        """Read-only: whether to refuse without looking at the credentials."""
        return self.refuse(self.rows())

    def rows(self) -> list[AuthThrottle]:
        """The subjects' rows, in one plain SELECT: every API request makes this read, and
        the ORM's query costs several times what the database does for it (models/reads.py).
        """
        keys = list(self.policies)
        sql = "SELECT {} FROM {} t WHERE t.{} IN ({})".format(  # noqa: S608 (own names)
            reads.columns(AuthThrottle, "t"),
            reads.table(AuthThrottle),
            reads.quote(AuthThrottle._meta.get_field("key").column),
            ", ".join(["%s"] * len(keys)),
        )
        return [reads.instance(AuthThrottle, row) for row in reads.fetch(sql, keys)]

    def reserve(self) -> Refusal | None:
        """Refuse, or count this attempt as failed before the credentials are checked.

        Counting first means that attempts running at the same moment, in any process, see
        each other: a burst of parallel guesses gets no more tries than a sequence. A
        success takes the count back (`succeeded`).
        """
        with transaction.atomic():
            rows = self.locked_rows()
            refusal = self.refuse(rows)
            if refusal is None:
                self.count(rows)
                self.reserved = True
        return refusal

    def failed(self) -> None:
        if self.reserved:
            return
        with transaction.atomic():
            self.count(self.locked_rows())

    def succeeded(self) -> None:
        reset = [k for k, p in self.policies.items() if p.reset_on_success]
        if not self.reserved:
            reset = [k for k in reset if k in self.seen]  # no write when nothing failed
        if reset:
            AuthThrottle.objects.filter(key__in=reset).delete()
        if self.reserved:
            kept = [k for k, p in self.policies.items() if not p.reset_on_success]
            AuthThrottle.objects.filter(key__in=kept, failures__gt=0).update(
                failures=F("failures") - 1
            )

    def locked_rows(self) -> list[AuthThrottle]:
        """The subjects' rows, created when missing, locked until the transaction ends."""
        AuthThrottle.objects.filter(last_failure__lte=self.now - WINDOW).delete()
        AuthThrottle.objects.bulk_create(
            [AuthThrottle(key=key, failures=0, last_failure=self.now) for key in self.policies],
            ignore_conflicts=True,
        )
        return list(AuthThrottle.objects.select_for_update().filter(key__in=self.policies))

    def count(self, rows: Iterable[AuthThrottle]) -> None:
        rows = list(rows)
        for row in rows:
            row.failures = (0 if self.stale(row) else row.failures) + 1
            row.last_failure = self.now
        AuthThrottle.objects.bulk_update(rows, ["failures", "last_failure"])

    def refuse(self, rows: Iterable[AuthThrottle]) -> Refusal | None:
        waits = []
        for row in rows:
            if self.stale(row) or not row.failures:
                continue
            self.seen.add(row.key)
            retry_at = self.policies[row.key].retry_at(row.failures, row.last_failure)
            if retry_at is not None and retry_at > self.now:
                waits.append(retry_at - self.now)
        if not waits:
            return None
        return Refusal(math.ceil(max(waits).total_seconds()))

    def stale(self, row: AuthThrottle) -> bool:
        return self.now - row.last_failure >= WINDOW
