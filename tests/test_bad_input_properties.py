"""Property: whatever is sent to a write entry, the answer is not a server error, and a
refused write leaves the stored flow exactly as it was (definition, working copy, revisions).

Real Studio exports from the corpus are mutated at random (hypothesis): values of the wrong
JSON type at random paths, NaN and Infinity, lone surrogates, NUL, deep nesting, huge
strings, removed keys, duplicate names, state types that are lists or objects. The results
go through every entry that writes a definition and every canvas operation. Runs are
derandomized so that CI sees the same examples every time.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from editor import services
from editor.models import Flow

from .conftest import corpus_files
from .write_support import Answer, Entries, snapshot

# Refusals differ by database (NUL bytes, lone surrogates): CI runs this on both.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

FLOWS = corpus_files("flows")
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Placeholders replaced in the JSON text after encoding: what Python cannot encode itself.
NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"]
DEEP = "[" * 10_000 + "]" * 10_000
WRONG_TYPES = [None, True, False, 0, -1, 2.5, 10**30, "", "x", "TRUE", [], {}, [1, "a"], {"a": 1}]
Path_ = tuple[Any, ...]


@cache
def corpus_document(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def documents() -> list[Path]:
    usable = []
    for path in FLOWS:
        try:
            corpus_document(path)
        except ValueError:
            continue
        usable.append(path)
    return usable


# Walking and changing a JSON value by path.


def paths(value: Any, at: Path_ = ()) -> list[Path_]:
    """Every path in `value`, the root included, parents before children."""
    found = [at]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*at, key))
    elif isinstance(value, list):
        for n, child in enumerate(value):
            found += paths(child, (*at, n))
    return found


def get(value: Any, at: Path_) -> Any:
    for part in at:
        value = value[part]
    return value


def put(root: Any, at: Path_, new: Any) -> Any:
    if not at:
        return new
    get(root, at[:-1])[at[-1]] = new
    return root


class Mutator:
    """Draws mutations with hypothesis and applies them to a JSON value in place.

    Text-level mutations (NaN, 10,000-deep nesting) put a placeholder string in the value,
    and `text` swaps each placeholder for its raw JSON once the value is encoded.
    """

    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.raw: dict[str, str] = {}

    def draw(self, strategy: st.SearchStrategy, label: str) -> Any:
        return self.data.draw(strategy, label=label)

    def placeholder(self, raw: str) -> str:
        key = f"@@raw{len(self.raw)}@@"
        self.raw[key] = raw
        return key

    def text(self, value: Any) -> str:
        text = json.dumps(value, ensure_ascii=True)
        for key, raw in self.raw.items():
            text = text.replace(json.dumps(key), raw)
        return text

    def mutate(self, value: Any, times: tuple[int, int] = (1, 3)) -> Any:
        kinds = st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=times[0], max_size=times[1])
        for kind in self.draw(kinds, "mutations"):
            value = MUTATIONS[kind](self, value)
        return value

    def path(self, value: Any, keep: Callable[[Any], bool] = lambda v: True) -> Path_ | None:
        candidates = [p for p in paths(value) if keep(get(value, p))]
        return self.draw(st.sampled_from(candidates), "path") if candidates else None


def wrong_type(m: Mutator, value: Any) -> Any:
    at = m.path(value)
    return put(value, at, copy.deepcopy(m.draw(st.sampled_from(WRONG_TYPES), "wrong type")))


def non_finite(m: Mutator, value: Any) -> Any:
    at = m.path(value)
    return put(value, at, m.placeholder(m.draw(st.sampled_from(NON_FINITE), "literal")))


def lone_surrogate(m: Mutator, value: Any) -> Any:
    return unstorable_text(m, value, "\ud800")


def nul(m: Mutator, value: Any) -> Any:
    return unstorable_text(m, value, "\x00")


def unstorable_text(m: Mutator, value: Any, bad: str) -> Any:
    """A string, or a key, gets a character no text column can keep."""
    at = m.path(value, lambda v: isinstance(v, (str, dict)))
    if at is None:
        return value
    target = get(value, at)
    if isinstance(target, str):
        return put(value, at, target[:3] + bad + target[3:])
    if target:
        key = m.draw(st.sampled_from(sorted(target, key=str)), "key")
        target[f"{key}{bad}"] = target.pop(key)
    return value


def deep(m: Mutator, value: Any) -> Any:
    at = m.path(value)
    if m.draw(st.booleans(), "text-deep"):
        return put(value, at, m.placeholder(DEEP))
    nested: Any = "bottom"
    for _ in range(70):
        nested = {"a": nested}
    return put(value, at, nested)


def huge_string(m: Mutator, value: Any) -> Any:
    at = m.path(value, lambda v: isinstance(v, str)) or m.path(value)
    return put(value, at, "x" * 100_000)


def remove_key(m: Mutator, value: Any) -> Any:
    at = m.path(value, lambda v: isinstance(v, dict) and v)
    if at is not None:
        target = get(value, at)
        del target[m.draw(st.sampled_from(sorted(target, key=str)), "removed key")]
    return value


def states_of(value: Any) -> list[dict[str, Any]]:
    document = value.get("definition", value) if isinstance(value, dict) else None
    states = document.get("states") if isinstance(document, dict) else None
    return [s for s in states if isinstance(s, dict)] if isinstance(states, list) else []


def duplicate_name(m: Mutator, value: Any) -> Any:
    states = states_of(value)
    if len(states) >= 2:
        first, second = m.draw(st.permutations(range(len(states))), "states")[:2]
        states[second]["name"] = states[first].get("name")
    return value


def odd_type(m: Mutator, value: Any) -> Any:
    states = states_of(value)
    if states:
        state = states[m.draw(st.integers(0, len(states) - 1), "state")]
        kind = state.get("type")
        state["type"] = m.draw(st.sampled_from([[kind], {"type": kind}, [], {}]), "type")
    return value


MUTATIONS: dict[str, Callable[[Mutator, Any], Any]] = {
    "wrong_type": wrong_type,
    "non_finite": non_finite,
    "lone_surrogate": lone_surrogate,
    "nul": nul,
    "deep": deep,
    "huge_string": huge_string,
    "remove_key": remove_key,
    "duplicate_name": duplicate_name,
    "odd_type": odd_type,
}


# The flow every update and edit goes to, and the checks made on each answer.


@pytest.fixture
def entries(team, alice) -> Entries:
    return Entries(team, alice)


@pytest.fixture
def target(team, alice) -> Flow:
    source = next(p for p in documents() if "ivr-flow" in p.name) if documents() else None
    if source is None:
        pytest.skip("the corpus is not here (set STUDIO_CORPUS)")
    return services.import_flow(team, source.read_text(encoding="utf-8"), allow_problems=True)


def check(entries: Entries, where: str, answer: Answer, flow: Flow, before: dict[str, Any]) -> None:
    # --hypothesis-show-statistics shows how often each entry took or refused a write.
    event(f"{where}: {'accepted' if answer.accepted else answer.status}")
    assert answer.status < 500, answer.text[:2000]
    if not answer.accepted:
        assert 400 <= answer.status < 500 or answer.status == 200, answer.status
        assert snapshot(flow) == before
    elif where != "v2-validate":
        # What was kept, however odd, reads back everywhere it is shown.
        written = Flow.objects.order_by("-date_updated").first()
        statuses = entries.read_statuses(written)
        assert set(statuses.values()) == {200}, statuses


DEFINITION_ENTRIES = [
    "v2-create",
    "v2-update",
    "v2-validate",
    "import-page",
    "import-command",
    "canvas-import",
]


@EXAMPLES
@given(data=st.data())
def test_no_mutated_definition_is_a_server_error_at_any_entry(entries, target, data):
    mutator = Mutator(data)
    source = data.draw(st.sampled_from(documents()), label="corpus flow")
    document = mutator.mutate(copy.deepcopy(corpus_document(source)))
    entry = data.draw(st.sampled_from(DEFINITION_ENTRIES), label="entry")
    before = snapshot(target)

    answer = entries.definition_writers(target)[entry](mutator.text(document))

    check(entries, entry, answer, target, before)


def canvas_payload(m: Mutator, flow: Flow, state: dict[str, Any]) -> tuple[str, Any]:
    """One canvas write made of a corpus state; the mutations come after."""
    names = list(flow.widgets.values_list("name", flat=True))
    # Earlier examples' edits change the flow's widgets: the draw must not depend on them.
    name = names[m.draw(st.integers(0, 99), "widget") % len(names)]
    properties = state.get("properties") if isinstance(state.get("properties"), dict) else {}
    choices: dict[str, Any] = {
        "add_widget": {"op": "add_widget", "state": {**state, "name": f"new_{len(names)}"}},
        "update_widget": {
            "op": "update_widget",
            "name": name,
            "properties": properties,
            "transitions": state.get("transitions", []),
            "offset": properties.get("offset", {"x": 0, "y": 0}),
        },
        "move_widgets": {"op": "move_widgets", "offsets": {name: {"x": 10, "y": 20}}},
        "connect": {"op": "connect", "name": name, "index": 0, "next": names[0]},
        "delete_widgets": {"op": "delete_widgets", "names": [name]},
        "rename_widget": {"op": "rename_widget", "name": name, "new_name": f"renamed_{name}"},
        "update_flow": {"op": "update_flow", "description": "d", "allow_concurrent_calls": True},
        "settings": {"friendly_name": "Renamed", "test_users": ["+15550001111"]},
        "save": {"commit_message": "Saved"},
        "publish": {"commit_message": "Published"},
    }
    kind = m.draw(st.sampled_from(sorted(choices)), "canvas write")
    if kind in ("settings", "save", "publish"):
        return kind, m.mutate(choices[kind])
    flow.refresh_from_db()
    body = {"base_version": flow.version, "ops": [choices[kind]]}
    # Mostly the operation is what goes wrong; sometimes the envelope around it.
    if m.draw(st.booleans(), "mutate the envelope"):
        return "edits", m.mutate(body)
    body["ops"] = [m.mutate(choices[kind])]
    return "edits", body


@EXAMPLES
@given(data=st.data())
def test_no_mutated_canvas_write_is_a_server_error(entries, target, data):
    mutator = Mutator(data)
    source = data.draw(st.sampled_from(documents()), label="corpus flow")
    states = states_of(copy.deepcopy(corpus_document(source))) or [{"name": "x", "type": "x"}]
    state = states[data.draw(st.integers(0, len(states) - 1), label="state")]
    action, body = canvas_payload(mutator, target, state)
    before = snapshot(target)

    answer = entries.canvas(target, action, mutator.text(body))

    check(entries, action, answer, target, before)
