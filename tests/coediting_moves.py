"""What the simulated editors of tests/test_coediting_convergence.py do: random edits of the
kinds a canvas sends (docs/protocol.md, "Operations"), made on what the editor sees, aimed
at a few widgets and fields so that editors often collide; and undo, the inverse of one of
an editor's own acknowledged edits.

The flow keeps its skeleton (the Conversations tutorial): its widgets are edited, moved,
rewired and renamed but never deleted, so Liquid that names them stays valid; the widgets
the editors add (Set Variables) are the ones they delete.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from editor.flowspec.edits import EditRefused
from editor.flowspec.rebase import value_at
from editor.flowspec.studio_json import join_state, new_state
from tests.coediting_client import Document, Ops, applied

MESSAGES = ("send-message", "send-and-wait-for-reply")
ADDED = "set-variables"
ACTIONS = {
    "body": 26,
    "move": 14,
    "connect": 12,
    "rename": 8,
    "add": 10,
    "delete": 6,
    "offset": 4,
    "describe": 4,
    "undo": 8,
}


class Editor:
    """An editor's hands: proposes the next edit on the document it sees."""

    def __init__(self, name: str, rng: random.Random) -> None:
        self.name = name
        self.rng = rng
        self.made = 0
        self.latest = ""  # the widget this editor added or renamed last

    def action(self) -> str:
        return self.rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]

    def fresh(self, kind: str) -> str:
        self.made += 1
        return f"{self.name}_{kind}{self.made}"

    def propose(self, kind: str, view: Document) -> Ops | None:
        """An edit of `kind` on `view`, or None when there is nothing to do it to. It
        applies to `view` (the editor would not be offered anything else)."""
        ops = getattr(self, kind)(view["states"])
        if ops is None:
            return None
        try:
            applied(view, ops)
        except EditRefused:
            return None
        for op in ops:
            self.latest = op.get("new_name") or op.get("state", {}).get("name") or self.latest
        return ops

    def pick(self, states: list[dict[str, Any]], *types: str) -> dict[str, Any] | None:
        found = [s for s in states if not types or s["type"] in types]
        return self.rng.choice(found) if found else None

    def body(self, states: list[dict[str, Any]]) -> Ops | None:
        # Mostly the first two message widgets, so that editors collide on one field.
        messages = [s for s in states if s["type"] in MESSAGES]
        if not messages:
            return None
        target = self.rng.choice(messages[:2] if self.rng.random() < 0.7 else messages)
        text = f"{self.name} says {self.fresh('b')}"
        others = [s["name"] for s in messages if s is not target]
        if others and self.rng.random() < 0.3:
            text += f" after {{{{widgets.{self.rng.choice(others)}.body}}}}"
        return [{"op": "set_properties", "name": target["name"], "set": {"body": text}}]

    def move(self, states: list[dict[str, Any]]) -> Ops | None:
        moved = [s["name"] for s in self.rng.sample(states, k=self.rng.choice((1, 1, 2, 3)))]
        if self.latest in {s["name"] for s in states} and self.rng.random() < 0.5:
            # The widget just added or renamed, dragged along with others.
            moved = [*(n for n in moved if n != self.latest), self.latest]
        offsets = {name: self.point() for name in moved}
        return [{"op": "move_widgets", "offsets": offsets}]

    def offset(self, states: list[dict[str, Any]]) -> Ops | None:
        target = self.pick(states)
        return target and [{"op": "update_widget", "name": target["name"], "offset": self.point()}]

    def point(self) -> dict[str, int]:
        return {"x": self.rng.randrange(-800, 800, 10), "y": self.rng.randrange(0, 1600, 10)}

    def connect(self, states: list[dict[str, Any]]) -> Ops | None:
        source = self.pick([s for s in states if s["transitions"]])
        if source is None:
            return None
        index = self.rng.randrange(len(source["transitions"]))
        targets = [s["name"] for s in states if s["type"] != "trigger"]
        target = self.rng.choice(targets) if self.rng.random() < 0.85 else None
        return [{"op": "connect", "name": source["name"], "index": index, "next": target}]

    def rename(self, states: list[dict[str, Any]]) -> Ops | None:
        # Often one of the widgets everyone edits, so that renames collide too.
        hot = [s for s in states if s["type"] in MESSAGES][:2]
        if not hot or self.rng.random() < 0.5:
            hot = [s for s in states if s["type"] != "trigger"]
        target = self.pick(hot)
        new_name = self.fresh("r")
        return target and [{"op": "rename_widget", "name": target["name"], "new_name": new_name}]

    def add(self, states: list[dict[str, Any]]) -> Ops | None:
        name = self.fresh("w")
        ops: Ops = [{"op": "add_widget", "state": join_state(new_state(ADDED, name, self.point()))}]
        source = self.pick([s for s in states if s["transitions"]])
        if source is not None and self.rng.random() < 0.5:
            index = self.rng.randrange(len(source["transitions"]))
            ops.append({"op": "connect", "name": source["name"], "index": index, "next": name})
        return ops

    def delete(self, states: list[dict[str, Any]]) -> Ops | None:
        target = self.pick(states, ADDED)
        return target and [{"op": "delete_widgets", "names": [target["name"]]}]

    def describe(self, states: list[dict[str, Any]]) -> Ops | None:
        return [{"op": "update_flow", "description": f"Described by {self.fresh('d')}"}]

    def undo(self, states: list[dict[str, Any]]) -> Ops | None:
        return None  # made by the scenario from an acknowledged edit (see `inverse`)


def inverse(before: Document, ops: Ops) -> Ops:
    """The edit that undoes `ops` (as applied to `before`): each operation's inverse, computed
    on the document just before it, last first."""
    undo: Ops = []
    document = before
    for op in ops:
        undo[:0] = inverse_of(document, op)
        document = applied(document, [op])
    return undo


def inverse_of(document: Document, op: dict[str, Any]) -> Ops:
    states = {s["name"]: s for s in document["states"]}
    kind = op["op"]
    if kind == "set_properties":
        props = states[op["name"]].get("properties") or {}
        keys = [*op.get("set", {}), *op.get("unset", [])]
        restore = {k: copy.deepcopy(props[k]) for k in keys if k in props}
        return [
            {
                "op": "set_properties",
                "name": op["name"],
                "set": restore,
                "unset": [k for k in keys if k not in props],
            }
        ]
    if kind == "move_widgets":
        offsets = {n: value_at(document, f"{n}/offset") for n in op["offsets"]}
        return [{"op": "move_widgets", "offsets": offsets}]
    if kind == "update_widget":
        return [
            {
                "op": "update_widget",
                "name": op["name"],
                "offset": value_at(document, f"{op['name']}/offset"),
            }
        ]
    if kind == "connect":
        transition = states[op["name"]]["transitions"][op["index"]]
        return [{**op, "next": transition.get("next")}]
    if kind == "rename_widget":
        return [{"op": "rename_widget", "name": op["new_name"], "new_name": op["name"]}]
    if kind == "add_widget":
        return [{"op": "delete_widgets", "names": [op["state"]["name"]]}]
    if kind == "delete_widgets":
        # Put the widgets back, then the transitions that led to them.
        back: Ops = [{"op": "add_widget", "state": copy.deepcopy(states[n])} for n in op["names"]]
        for state in document["states"]:
            for index, transition in enumerate(state["transitions"]):
                if transition.get("next") in op["names"] and state["name"] not in op["names"]:
                    back.append(
                        {
                            "op": "connect",
                            "name": state["name"],
                            "index": index,
                            "next": transition["next"],
                        }
                    )
        return back
    if kind == "update_flow":
        return [{"op": "update_flow", "description": document.get("description", "")}]
    raise AssertionError(f"no inverse for {kind}")
