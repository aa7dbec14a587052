"""The structural difference between two Studio documents, for the canvas's compare mode,
the publish dialog and the revisions' change tags (docs/revisions.md).

Pure: two documents in, plain JSON out. Each widget of either side appears at most once
with a status (added, removed, changed, moved, renamed); transitions are compared as
(from, event, to) edges; the flow's own keys (initial_state, flags, description…) are
settings. Property changes carry deep paths (`conditions[0].arguments[0]`) and text
changes a word diff (editor/flowspec/words.py). The short pull/push account is diff.py.

Bounded: at most MAX_CHANGES property changes per widget and MAX_DEPTH levels of nesting
(a deeper difference is reported whole at that depth)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .catalogue import BY_TYPE
from .diff import properties_of, states_of
from .words import Budget, word_diff

TAGS = ("layout", "widgets", "transitions", "properties", "settings")
MAX_CHANGES = 200
MAX_DEPTH = 12
# Word diffs only for text this long or shorter; longer text is shown before and after.
MAX_TEXT = 20_000


def value_changes(before: Any, after: Any, path: str = "", depth: int = 0) -> list[dict]:
    """Every leaf that differs between two JSON values, with its path."""
    if before == after:
        return []
    if depth < MAX_DEPTH and isinstance(before, dict) and isinstance(after, dict):
        out: list[dict] = []
        for key in [*before, *(k for k in after if k not in before)]:
            sub = f"{path}.{key}" if path else str(key)
            out += value_changes(before.get(key, MISSING), after.get(key, MISSING), sub, depth + 1)
        return out
    if depth < MAX_DEPTH and isinstance(before, list) and isinstance(after, list):
        out = []
        for index in range(max(len(before), len(after))):
            old = before[index] if index < len(before) else MISSING
            new = after[index] if index < len(after) else MISSING
            out += value_changes(old, new, f"{path}[{index}]", depth + 1)
        return out
    return [change(path, before, after)]


class Missing:
    """A key or item present on one side only."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


def change(path: str, before: Any, after: Any) -> dict[str, Any]:
    op = "added" if before is MISSING else "removed" if after is MISSING else "changed"
    found: dict[str, Any] = {"path": path, "op": op}
    if before is not MISSING:
        found["before"] = before
    if after is not MISSING:
        found["after"] = after
    return found


def with_words(changes: list[dict], budget: Budget) -> list[dict]:
    """Text changes get their word diff, all of one comparison sharing one budget."""
    for found in changes:
        before, after = found.get("before"), found.get("after")
        texts = isinstance(before, str) and isinstance(after, str)
        if texts and len(before) + len(after) <= MAX_TEXT:
            found["words"] = word_diff(before, after, budget)
    return changes


def comparable(state: dict[str, Any]) -> dict[str, Any]:
    """A widget without its name, position and transition targets: what a rename keeps."""
    props = {k: v for k, v in properties_of(state).items() if k != "offset"}
    others = {k: v for k, v in state.items() if k not in ("name", "transitions", "properties")}
    shape = [{k: v for k, v in t.items() if k != "next"} for t in transitions_of(state)]
    return {"properties": props, "others": others, "transitions": shape}


def transitions_of(state: dict[str, Any]) -> list[dict[str, Any]]:
    found = state.get("transitions")
    return [t for t in found if isinstance(t, dict)] if isinstance(found, list) else []


def renames(old: dict[str, dict], new: dict[str, dict]) -> dict[str, str]:
    """Old name → new name, where a removed widget and an added one are the same widget
    (type, properties and transition events) under another name, one to one."""
    gone = [n for n in old if n not in new]
    came = [n for n in new if n not in old]
    if not gone or not came:
        return {}
    by_shape: dict[str, list[str]] = {}
    for name in came:
        by_shape.setdefault(repr(comparable(new[name])), []).append(name)
    found = {}
    for name in gone:
        candidates = by_shape.get(repr(comparable(old[name])))
        if candidates:
            found[name] = candidates.pop(0)
    return found


def edges(states: dict[str, dict], rename: dict[str, str]) -> Counter:
    found: Counter = Counter()
    for name, state in states.items():
        for t in transitions_of(state):
            target = t.get("next")
            if isinstance(target, str) and target:
                found[
                    (rename.get(name, name), str(t.get("event")), rename.get(target, target))
                ] += 1
    return found


def widget_entry(state: dict[str, Any], status: str) -> dict[str, Any]:
    return {
        "name": state.get("name"),
        "type": state.get("type"),
        "status": status,
        "offset": properties_of(state).get("offset"),
        "changes": [],
        "moved": False,
    }


def compared_widget(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any] | None:
    old, new = comparable(before), comparable(after)
    changes = value_changes(old["properties"], new["properties"])
    changes += value_changes(old["others"], new["others"])
    changes += value_changes(old["transitions"], new["transitions"], "transitions")
    old_offset = properties_of(before).get("offset")
    new_offset = properties_of(after).get("offset")
    moved = old_offset != new_offset
    if not changes and not moved:
        return None
    entry = widget_entry(after, "changed" if changes else "moved")
    entry["changes"] = changes[:MAX_CHANGES]
    entry["truncated"] = len(changes) > MAX_CHANGES
    entry["moved"] = moved
    if moved:
        entry["old_offset"] = old_offset
    return entry


def settings_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict]:
    old = {k: v for k, v in before.items() if k != "states"}
    new = {k: v for k, v in after.items() if k != "states"}
    return value_changes(old, new)


def compare(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What turns `before` into `after`, widget by widget, edge by edge."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    old, new = states_of(before), states_of(after)
    rename = renames(old, new)
    widgets: list[dict[str, Any]] = []
    for name, state in new.items():
        if name in old:
            entry = compared_widget(old[name], state)
            if entry:
                widgets.append(entry)
        elif name in rename.values():
            previous = next(o for o, n in rename.items() if n == name)
            entry = compared_widget(old[previous], state) or widget_entry(state, "renamed")
            entry["status"] = "renamed"
            entry["renamed_from"] = previous
            widgets.append(entry)
        else:
            widgets.append(widget_entry(state, "added"))
    widgets += [
        widget_entry(s, "removed") for n, s in old.items() if n not in new and n not in rename
    ]
    old_edges, new_edges = edges(old, rename), edges(new, {})
    transitions = [
        {"from": e[0], "event": e[1], "to": e[2], "status": "added"}
        for e in new_edges
        if new_edges[e] > old_edges[e]
    ]
    # Removed edges are named as they were, so the canvas can draw them where they were.
    back = {v: k for k, v in rename.items()}
    transitions += [
        {
            "from": back.get(e[0], e[0]),
            "event": e[1],
            "to": back.get(e[2], e[2]),
            "status": "removed",
        }
        for e in old_edges
        if old_edges[e] > new_edges[e]
    ]
    settings = settings_changes(before, after)
    budget = Budget()
    for entry in widgets:
        with_words(entry["changes"], budget)
    with_words(settings, budget)
    found = {"widgets": widgets, "transitions": transitions, "settings": settings}
    found["tags"] = tags_of(found)
    found["summary"] = summary(found, new, old)
    return found


def tags_of(found: dict[str, Any]) -> list[str]:
    tags = set()
    for w in found["widgets"]:
        if w["status"] in ("added", "removed", "renamed"):
            tags.add("widgets")
        if w.get("moved"):
            tags.add("layout")
        for c in w.get("changes", []):
            tags.add("transitions" if c["path"].startswith("transitions") else "properties")
            if c["path"] == "type":
                tags.add("widgets")
    if found["transitions"]:
        tags.add("transitions")
    if found["settings"]:
        tags.add("settings")
    return [t for t in TAGS if t in tags]


def change_tags(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """The tags of one revision against the one before it (none before: an empty flow)."""
    return compare(before or {}, after)["tags"]


def widget_words(state: dict[str, Any]) -> str:
    """`send_1 (Send Message)`: the name and the type as the widget library shows it."""
    kind = BY_TYPE.get(state.get("type"))  # type: ignore[arg-type]
    return f"{state.get('name')} ({kind.label if kind else state.get('type')})"


def event_words(state: dict[str, Any] | None, event: str) -> str:
    """An output as the canvas labels it: "Incoming Message", "No Match"; a split's
    conditions share one event, so a condition is "a condition"."""
    kind = BY_TYPE.get(state.get("type")) if state else None  # type: ignore[arg-type]
    if event == "match":
        return "a condition"
    return kind.event_label(event) if kind else event


def field_words(state: dict[str, Any] | None, path: str) -> str:
    """A changed property as the inspector labels it ("Message body"); other parts of a
    widget (transitions, type) by their own name."""
    kind = BY_TYPE.get(state.get("type")) if state else None  # type: ignore[arg-type]
    prop = kind.props_by_name.get(path) if kind else None
    return prop.title if prop else path


def summary(found: dict[str, Any], new: dict[str, dict], old: dict[str, dict]) -> list[str]:
    """One line per change, for the publish dialog, in the canvas's words."""
    lines = []
    # Before a first publish there was nothing (no widget, not even a Trigger): the flow's
    # description, flags and initial state are new with it, not changes to list.
    if found["settings"] and old:
        keys = sorted({c["path"].split(".")[0].split("[")[0] for c in found["settings"]})
        lines.append(f"changed the flow's {', '.join(k.replace('_', ' ') for k in keys)}")
    for w in found["widgets"]:
        name, status = w["name"], w["status"]
        if status == "added":
            lines.append(f"added {widget_words(new[name])}")
        elif status == "removed":
            lines.append(f"removed {widget_words(old[name])}")
        elif status == "renamed":
            lines.append(f"renamed {w['renamed_from']} to {name}")
        elif status == "moved":
            lines.append(f"moved {name}")
        if status in ("changed", "renamed") and w.get("changes"):
            paths = sorted({c["path"].split(".")[0].split("[")[0] for c in w["changes"]})
            fields = ", ".join(field_words(new.get(name), p) for p in paths)
            lines.append(f"changed {name}: {fields}")
        if status in ("changed", "renamed") and w.get("moved"):
            lines.append(f"moved {name}")
    for t in found["transitions"]:
        verb = "connected" if t["status"] == "added" else "disconnected"
        source = (new if t["status"] == "added" else old).get(t["from"])
        lines.append(f"{verb} {t['from']} ({event_words(source, t['event'])}) to {t['to']}")
    return lines
