"""What the engine needs from the world, injected: HTTP, a clock, ids, subflows, limits."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol


class HttpPort(Protocol):
    def fetch(self, request: Any) -> Any: ...


@dataclass(frozen=True)
class Subflow:
    """A child flow's chosen revision, as the loader found it."""

    sid: str
    revision: int
    definition: dict[str, Any]


def utc_now() -> datetime:
    return datetime.now(UTC)


def random_sid(prefix: str) -> str:
    return prefix + os.urandom(16).hex()


def no_subflows(flow_sid: str, revision: str, test_user: bool) -> Subflow | None:
    return None


def never() -> bool:
    return False


@dataclass(frozen=True)
class Limits:
    """Studio's guards (docs/studio-semantics.md)."""

    max_steps: int = 1000
    max_streak: int = 10
    lifetime: timedelta = timedelta(days=30)


@dataclass
class Ports:
    http: HttpPort | None = None
    clock: Callable[[], datetime] = utc_now
    new_sid: Callable[[str], str] = random_sid
    # (flow_sid, "LatestPublished" | "LatestDraft" | "N", test_user) -> Subflow | None
    load_subflow: Callable[[str, str, bool], Subflow | None] = no_subflows
    limits: Limits = field(default_factory=Limits)
    # Steps carry a JSON snapshot of the context, as Twilio's Step Context resource does.
    snapshots: bool = True
    account_sid: str = "AC" + "0" * 32
    # Whether Twilio carries out the effects (a connected team's contacts and REST API
    # runs, services/outbox.py): a widget that needs Twilio's answer (Start Conversation)
    # waits for it; otherwise effects are simulated and answered at once. A function, so
    # that only that widget pays for the look-up.
    live: Callable[[], bool] = never
