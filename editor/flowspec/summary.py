"""One line saying what a change did, for the flow's activity list ("moved 3 widgets",
"renamed split_1 to check_answer")."""

from __future__ import annotations

from typing import Any

REPLACED = {
    "import": "replaced the flow with an import",
    "restore": "restored an earlier revision",
    "api": "replaced the flow through the REST API",
}


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def describe(op: dict[str, Any]) -> str:
    kind = op.get("op")
    name = op.get("name", "")
    if kind == "add_widget":
        return f"added {(op.get('state') or {}).get('name', 'a widget')}"
    if kind in ("set_properties", "update_widget"):
        keys = (
            [*(op.get("set") or {}), *(op.get("unset") or [])] if kind == "set_properties" else []
        )
        keys += [k for k in ("properties", "transitions") if k in op]
        if keys == [] and "offset" in op:
            return f"moved {name}"
        return f"changed {name}: {', '.join(keys)}" if keys else f"changed {name}"
    if kind == "move_widgets":
        moved = list(op.get("offsets") or {})
        return f"moved {moved[0]}" if len(moved) == 1 else f"moved {plural(len(moved), 'widget')}"
    if kind == "connect":
        target = op.get("next")
        return f"connected {name} to {target}" if target else f"disconnected a transition of {name}"
    if kind == "rename_widget":
        return f"renamed {name} to {op.get('new_name')}"
    if kind == "delete_widgets":
        names = op.get("names") or []
        return (
            f"deleted {', '.join(names)}"
            if len(names) <= 3
            else f"deleted {plural(len(names), 'widget')}"
        )
    if kind == "update_flow":
        return "changed the flow's settings"
    return "changed the flow"


def summarise(ops: list[dict[str, Any]] | None, source: str) -> str:
    """The whole change in one line: its operations' summaries, similar ones grouped."""
    if ops is None:
        return REPLACED.get(source, "replaced the flow")
    adds = [op for op in ops if op.get("op") == "add_widget"]
    if len(adds) > 1 and len(adds) == len([o for o in ops if o.get("op") != "connect"]):
        return f"added {plural(len(adds), 'widget')}"  # a paste
    parts: list[str] = []
    for op in ops:
        line = describe(op)
        if line not in parts:
            parts.append(line)
    text = "; ".join(parts[:3]) + (f" and {len(parts) - 3} more" if len(parts) > 3 else "")
    return text[:200]
