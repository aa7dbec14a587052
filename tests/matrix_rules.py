"""The vocabulary of the permission matrix's table (tests/matrix_routes.py).

An outcome is a status, or LOGIN (a redirect to the sign-in page); `did(status)` is a write
that succeeds and must change the database. Every other outcome must leave it exactly as it
was: reads, refusals, and writes the code turns away with a message (the last owner leaving).
A rule gives the outcome of each member persona; how visitors without a session fare (nobody,
API keys) is the surface's (see `Surface`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .matrix_world import World

METHODS = ("GET", "POST", "DELETE")
LOGIN = "login"


@dataclass(frozen=True)
class Outcome:
    status: int | str
    changes: bool = False


def did(status: int) -> Outcome:
    return Outcome(status, changes=True)


Rule = dict[str, Outcome]


def outcome(value: int | str | Outcome) -> Outcome:
    return value if isinstance(value, Outcome) else Outcome(value)


def roles(owner: Any, editor: Any, viewer: Any, outsider: Any, anonymous: Any = None) -> Rule:
    rule = {
        "owner": outcome(owner),
        "editor": outcome(editor),
        "viewer": outcome(viewer),
        "outsider": outcome(outsider),
    }
    if anonymous is not None:
        rule["anonymous"] = outcome(anonymous)
    return rule


def members(value: Any) -> Rule:
    """What Acme's members may all do; its objects do not exist for the outsider."""
    return roles(value, value, value, 404)


def editors(value: Any) -> Rule:
    return roles(value, value, 403, 404)


def owners(value: Any) -> Rule:
    return roles(value, 403, 403, 404)


def signed_in(value: Any) -> Rule:
    return roles(value, value, value, value)


def everyone(value: Any) -> Rule:
    return roles(value, value, value, value, value)


@dataclass(frozen=True)
class Surface:
    """How a family of URLs treats visitors without a session, and how bodies are sent.

    `key` and `outsider_key` either act as the member whose outcome they copy (the Studio
    API: a key is its team's editor) or are nobody (pages and the canvas API take no key)."""

    name: str
    anonymous: Outcome | None  # None: the route's rule says
    key_acts_as: dict[str, str] = field(default_factory=dict)
    encoding: str = "form"


PAGE = Surface("page", Outcome(LOGIN))
PUBLIC = Surface("public page", None, {"key": "anonymous", "outsider_key": "anonymous"})
V2 = Surface(
    "studio api", Outcome(401), {"key": "editor", "outsider_key": "outsider"}, "urlencoded"
)
# Session only: a 401 without a challenge, so that a browser never prompts for a password.
CANVAS = Surface("canvas api", Outcome(401), encoding="json")
# Linting and test cases, which CI calls with a key: a key is its team's editor there too,
# and still no challenge.
CANVAS_KEYS = Surface(
    "canvas api with keys", Outcome(401), {"key": "editor", "outsider_key": "outsider"}, "json"
)
OPEN = Surface("open api", None, {"key": "anonymous", "outsider_key": "anonymous"})


@dataclass(frozen=True)
class Route:
    surface: Surface
    args: Callable[[World], dict[str, str]] = lambda w: {}
    methods: dict[str, Rule] = field(default_factory=dict)
    body: Callable[[World, str], dict[str, Any]] = lambda w, username: {}
    # The same path with the outsider's own parent (team, flow, execution) and one of Acme's
    # objects under it: still 404.
    mixed: Callable[[World], dict[str, str]] | None = None

    def expect(self, method: str, persona: str) -> Outcome:
        rule = self.methods.get(method) or not_allowed(self.surface)
        as_member = self.surface.key_acts_as.get(persona, persona)
        if as_member in rule:
            return rule[as_member]
        if self.surface.anonymous is not None:
            return self.surface.anonymous
        return rule["anonymous"]  # a public route's rule names the anonymous outcome


def not_allowed(surface: Surface) -> Rule:
    return everyone(405) if surface.anonymous is None else signed_in(405)
