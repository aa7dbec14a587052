"""What every widget is: a small class that runs on entry and, if it waits, on its event."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from ...flowspec.catalogue import NO_DEFAULT, widget_type

if TYPE_CHECKING:
    from ..runtime import Run


@dataclass(frozen=True)
class Next:
    """Leave the widget by `event`; `outputs` become widgets.NAME (None leaves it alone)."""

    event: str
    outputs: dict[str, Any] | None = None
    # The transition to take when several share the event (split's `match`).
    index: int | None = None
    # A test run's mock answered the widget's request instead of its URL: `{"status": …}`,
    # recorded with the Step and its transcript entry, never in the context Liquid reads.
    mock: dict[str, Any] | None = None


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


@dataclass(frozen=True)
class Spec:
    """What the engine reads of a widget type's catalogue entry, worked out once per type:
    each property's default for when a flow leaves it out, and which are Liquid."""

    defaults: dict[str, Any]
    liquid: frozenset[str]
    # Enumerated values only older Studio wrote, by property: {older: today}.
    older: dict[str, dict[str, str]]

    @classmethod
    def of(cls, type_: str) -> Spec:
        found = widget_type(type_)
        props = found.props_by_name if found else {}
        defaults = {
            name: prop.runtime_default
            for name, prop in props.items()
            if prop.runtime_default is not NO_DEFAULT
        }
        liquid = frozenset(name for name, prop in props.items() if prop.liquid)
        older = {name: dict(prop.older) for name, prop in props.items() if prop.older}
        return cls(defaults, liquid, older)


class Widget:
    """Base class: `enter` runs when the widget is reached.

    Properties are read through the accessors below, which take a property's default and
    whether it is Liquid from the catalogue (editor/flowspec/catalogue/), never from the
    widget module: tests/test_catalogue_defaults.py fails on a literal default there.
    """

    type: ClassVar[str]
    spec: ClassVar[Spec] = Spec({}, frozenset(), {})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "type" in cls.__dict__:
            cls.spec = Spec.of(cls.type)

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

    # Reading properties (for subclasses).
    def value(self, key: str) -> Any:
        """The property as the flow has it; absent (or null), the catalogue's default, or
        None where the catalogue has none."""
        value = self.props.get(key)
        return self.spec.defaults.get(key) if value is None else value

    def raw(self, key: str) -> str:
        """A property used as written, never rendered (SIDs, keys, names)."""
        value = self.value(key)
        return "" if value is None else str(value)

    def text(self, run: Run, key: str) -> str:
        """A property as text: rendered with Liquid when the catalogue says it is Liquid
        (non-strings pass through as text)."""
        value = self.value(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return run.render(value) if key in self.spec.liquid else value
        return str(value)

    def json_text(self, run: Run, key: str) -> str:
        """JSON written as text (attributes): left empty, the catalogue's default."""
        return self.text(run, key).strip() or str(self.spec.defaults.get(key, ""))

    def items(self, key: str) -> list[Any]:
        """A list property; an invalid draft (run by test users) may hold any JSON there."""
        value = self.props.get(key)
        return value if isinstance(value, list) else []

    def pairs(self, run: Run, key: str) -> dict[str, str]:
        """A {key, value} list as a dict, the values rendered when the property is Liquid."""
        out: dict[str, str] = {}
        liquid = key in self.spec.liquid
        for item in self.items(key):
            if isinstance(item, dict) and isinstance(item.get("key"), str):
                value = item.get("value", "")
                out[item["key"]] = run.render(value) if liquid and isinstance(value, str) else value
        return out

    def number(self, key: str, run: Run | None = None) -> float | None:
        """Integer-ish properties that exports store as numbers or digit strings; an
        unreadable one is the catalogue's default (None without one). Given the run, a
        string the catalogue says is Liquid is rendered first (Send to Flex's priority
        written as `{{flow.variables.prio}}`)."""
        value = self.props.get(key)
        if run is not None and isinstance(value, str) and key in self.spec.liquid:
            value = run.render(value)
        number = to_number(value)
        return to_number(self.spec.defaults.get(key)) if number is None else number

    def seconds(self, key: str) -> float | None:
        """A timer's length: a negative or unreadable one is Studio's default, never a wait
        without a timer (validation refuses such flows, but older revisions may hold one)."""
        number = self.number(key)
        return number if number is None or number >= 0 else to_number(self.spec.defaults.get(key))

    def default_seconds(self, key: str) -> float | None:
        """The catalogue's default length of a timer, whatever the flow says."""
        return to_number(self.spec.defaults.get(key))

    def choice(self, key: str) -> str:
        """An enumerated property (empty: the default), with a value only older Studio
        wrote read as today's."""
        value = self.props.get(key) or self.spec.defaults.get(key) or ""
        older = self.spec.older.get(key)
        if older and isinstance(value, str) and value in older:
            return older[value]
        return value if isinstance(value, str) else str(value)

    def flag(self, key: str) -> bool:
        """A yes/no property, stored as a boolean or as "true"/"false"."""
        return str_bool(self.props.get(key), str_bool(self.spec.defaults.get(key)))


def whole(number: float | None) -> int:
    """A count or a number of seconds as the channel takes it (none: 0)."""
    return 0 if number is None else int(number)


def to_number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    # "inf" and "nan" parse, but no count of seconds or digits can be either.
    return number if math.isfinite(number) else None


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


def text_flag(value: Any) -> str:
    """A property TwiML takes as text that exports hold as a boolean or a string ("true",
    "any", a postal code…): a boolean is written as TwiML spells it, not as Python does."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def parse_as_json(item: dict[str, Any]) -> bool:
    """A {key, value} item of Set Variables or Run Subflow with "Parse as JSON object"
    ticked: `type` "json" (newer files type each item, "string" by default; the "json"
    spelling is inferred, docs/flow-format.md) or `parse_as_json` (hand-written files)."""
    return item.get("type") == "json" or str_bool(item.get("parse_as_json"))
