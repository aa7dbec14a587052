"""Names the groups of the API docs (/api/docs/). drf-spectacular tags each operation with
its path's first segment, which made the canvas's API a group called "api" and Studio's a
group called "v2"; studio_clone/settings.py runs this hook after its own."""

from __future__ import annotations

from typing import Any

# The segment drf-spectacular found, and the group's name and description, in docs order.
TAGS = {
    "v2": (
        "Studio v2",
        "Twilio Studio's REST API v2 (flows, revisions, executions, steps, their context, "
        "test users, validation): HTTP Basic with a team's API key, as Twilio's SDKs send it. "
        "A definition with errors is refused (81022); warnings never refuse a write and come "
        "back in the Flow's `warnings`.",
    ),
    "api": (
        "Canvas editor",
        "The canvas's own API under /api/editor/: a signed-in session with its CSRF token "
        "(the linter and test-case operations also take a team's API key, for CI). Not part "
        "of Twilio's API.",
    ),
    "healthz": ("Health", "For load balancers: no credentials."),
}


def name_tags(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "tags" in operation:
                operation["tags"] = [TAGS.get(tag, (tag,))[0] for tag in operation["tags"]]
    result["tags"] = [{"name": name, "description": text} for name, text in TAGS.values()]
    return result
