"""Problems in Twilio's shape: `{message, property_path}`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    message: str
    property_path: str
    # Blocking problems mean the document cannot be stored as a flow at all (bad structure,
    # duplicate names). Others can be kept on an invalid draft and fixed on the canvas.
    blocking: bool = field(default=False, compare=False)
    # Warnings are what Twilio accepts but a flow's author should hear about (Liquid that
    # will not render, values only older Studio versions wrote): they never refuse a write.
    severity: Severity = field(default="error", compare=False)
    # The same problem in plain words for people: which widget, which field, what to do.
    # `message` stays Twilio's wording, which the /v2/ API returns and SDK users match on.
    hint: str = field(default="", compare=False)

    def as_dict(self) -> dict[str, str]:
        """Twilio's wire shape (the /v2/ API's `errors` and `warnings` items)."""
        return {"message": self.message, "property_path": self.property_path}

    def as_record(self) -> dict[str, str]:
        """What a flow stores: the wire shape plus the hint, for the pages and the canvas."""
        return {**self.as_dict(), "hint": self.hint or self.message}

    def as_json(self) -> dict[str, Any]:
        """What the canvas gets (the editor API and the flow websocket)."""
        return {**self.as_record(), "severity": self.severity, "blocking": self.blocking}


def warning(message: str, property_path: str, hint: str = "") -> Problem:
    return Problem(message, property_path, severity="warning", hint=hint)


def errors_of(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings_of(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


def any_blocking(problems: list[Problem]) -> bool:
    return any(p.blocking for p in problems)


def wire(record: dict[str, Any]) -> dict[str, Any]:
    """A stored problem as the /v2/ API shows it: Twilio's two keys only."""
    return {"message": record.get("message", ""), "property_path": record.get("property_path", "")}


def path(*parts: Any) -> str:
    """`path("states", 3, "transitions", 0, "next")` -> `#/states/3/transitions/0/next`."""
    return "#/" + "/".join(str(p) for p in parts) if parts else "#"


class DocumentError(ValueError):
    """The input cannot be read as a Studio flow; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.property_path}: {p.message}" for p in problems))
