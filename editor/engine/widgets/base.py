"""What every widget is: a small class that runs on entry and, if it waits, on its event."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from ...flowspec.catalogue import widget_type

if TYPE_CHECKING:
    from ..runtime import Run


@dataclass(frozen=True)
class Next:
    """Leave the widget by `event`; `outputs` become widgets.NAME (None leaves it alone)."""

    event: str
    outputs: dict[str, Any] | None = None
    # The transition to take when several share the event (split's `match`).
    index: int | None = None


@dataclass(frozen=True)
class Wait:
    """Stay in the widget until the channel or a timer answers."""

    kind: str  # "reply" | "callback" | "return"
    action: dict[str, Any] | None = None
    timeout: float | None = None  # seconds; None waits for the channel alone
    timeout_event: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StartSubflow:
    flow_sid: str
    revision: str
    parameters: dict[str, Any]


Outcome = Next | Wait | StartSubflow


class Widget:
    """Base class: `enter` runs when the widget is reached."""

    type: ClassVar[str]

    def __init__(self, state: dict[str, Any]) -> None:
        self.name: str = state["name"]
        self.props: dict[str, Any] = state.get("properties") or {}
        self.transitions: list[dict[str, Any]] = state.get("transitions") or []

    @property
    def events(self) -> list[str]:
        return [t.get("event") for t in self.transitions]

    def enter(self, run: Run) -> Outcome:
        raise NotImplementedError

    # A waiting widget answers these; the defaults ignore what it does not wait for.
    def on_reply(self, run: Run, message: dict[str, Any], wait: dict[str, Any]) -> Next | None:
        return None

    def on_callback(self, run: Run, params: dict[str, Any], wait: dict[str, Any]) -> Next | None:
        return None

    def on_timeout(self, run: Run, wait: dict[str, Any]) -> Next | None:
        event = wait.get("timeout_event")
        return Next(event, wait.get("data", {}).get("outputs")) if event else None

    # Helpers for subclasses.
    def text(self, run: Run, key: str, default: str = "") -> str:
        """A property rendered with Liquid (non-strings pass through as text)."""
        value = self.props.get(key, default)
        if value is None:
            return ""
        return run.render(value) if isinstance(value, str) else str(value)

    def items(self, key: str) -> list[Any]:
        """A list property; an invalid draft (run by test users) may hold any JSON there."""
        value = self.props.get(key)
        return value if isinstance(value, list) else []

    def pairs(self, run: Run, key: str) -> dict[str, str]:
        """A {key, value} list rendered into a dict (values are Liquid)."""
        out: dict[str, str] = {}
        for item in self.items(key):
            if isinstance(item, dict) and isinstance(item.get("key"), str):
                value = item.get("value", "")
                out[item["key"]] = run.render(value) if isinstance(value, str) else value
        return out

    def number(self, key: str, default: float) -> float:
        """Integer-ish properties that exports store as numbers or digit strings."""
        value = self.props.get(key, default)
        try:
            number = float(value)
        except (TypeError, ValueError):
            return default
        # "inf" and "nan" parse, but no count of seconds or digits can be either.
        return number if math.isfinite(number) else default

    def seconds(self, key: str, default: float) -> float:
        """A timer's length: a negative or unreadable one is Studio's default, never a wait
        without a timer (validation refuses such flows, but older revisions may hold one)."""
        number = self.number(key, default)
        return number if number >= 0 else default

    def choice(self, key: str, default: str) -> str:
        """An enumerated property, with a value only older Studio wrote read as today's."""
        value = self.props.get(key, default)
        found = widget_type(self.type)
        prop = found.props_by_name.get(key) if found else None
        today = prop.today(value) if prop else None
        return today or str(value)


class CallbackWidget(Widget):
    """Voice and contact-centre widgets: emit a channel-neutral action, then wait for the
    channel's callback, whose parameters choose the event and become the outputs."""

    verb: ClassVar[str]

    def action(self, run: Run) -> dict[str, Any]:
        return {}

    def choose(self, params: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def enter(self, run: Run) -> Outcome:
        action = {"verb": self.verb, "widget": self.name, **self.action(run)}
        return Wait("callback", action=action, data={"events": self.events})

    def on_callback(self, run: Run, params: dict[str, Any], wait: dict[str, Any]) -> Next | None:
        event = params.get("event") if params.get("event") in self.events else None
        event = event or self.choose(params)
        if event is None:
            return None
        outputs = {k: v for k, v in params.items() if k != "event"}
        return Next(event, outputs)


def str_bool(value: Any, default: bool = False) -> bool:
    """Studio stores some flags as "true"/"false" strings and others as booleans."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        return value.strip().lower() == "true"
    return default
