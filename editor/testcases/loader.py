"""Reading a test case: YAML or JSON text, validated against docs/testcase.schema.json.

Every error names where it is (`script[2].digits`) and what is wrong, so an author can fix
the case from the message alone. YAML is read with PyYAML's safe loader, with YAML 1.2's
booleans (`yes` stays text: it is what contacts type) and no timestamps, and refuses
aliases (a handful of them can expand into gigabytes)."""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from ..engine import patterns
from ..flowspec.jsontext import loads, unstorable_text

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "testcase.schema.json"
MAX_CASE_BYTES = 64 * 1024
MAX_DEPTH = 32


class CaseError(Exception):
    """The text is not a valid test case; `errors` lists each problem with its path."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class _Loader(yaml.SafeLoader):
    """Safe YAML with 1.2 booleans, no timestamps and no aliases."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a test case", event.start_mark
            )
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def where(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the case"


def parse_text(text: str) -> Any:
    """JSON when it starts with `{`, else YAML."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_CASE_BYTES:
        raise CaseError([f"the case is larger than {MAX_CASE_BYTES // 1024} KB"])
    reason = unstorable_text(text)
    if reason:
        raise CaseError([f"the case {reason}"])
    if text.lstrip().startswith("{"):
        try:
            return loads(text)
        except (ValueError, RecursionError) as exc:
            raise CaseError([f"not valid JSON: {exc}"]) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise CaseError([f"not valid YAML: {exc}"]) from None
    except RecursionError:
        raise CaseError(["the case is nested too deeply"]) from None


def plain(value: Any, path: tuple = (), depth: int = 0) -> Any:
    """Only JSON's values: text keys, finite numbers, no deeper than MAX_DEPTH."""
    if depth > MAX_DEPTH:
        raise CaseError([f"{where(path)}: nested more than {MAX_DEPTH} levels"])
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CaseError([f"{where(path)}: the key {key!r} must be text (quote it)"])
            storable(key, path, "the key")
            out[key] = plain(item, (*path, key), depth + 1)
        return out
    if isinstance(value, list):
        return [plain(item, (*path, n), depth + 1) for n, item in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise CaseError([f"{where(path)}: numbers must be finite"])
    if isinstance(value, str):
        storable(value, path, "text")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise CaseError([f"{where(path)}: {type(value).__name__} is not a JSON value"])


def storable(text: str, path: tuple, what: str) -> None:
    """A NUL or a lone surrogate is refused here, where the error can say where: YAML's
    escapes ("\\0", "\\ud800") make them from clean text, and a lone surrogate cannot
    be encoded as UTF-8 (the schema check and the save failed with a 500)."""
    if "\x00" in text:
        raise CaseError([f"{where(path)}: {what} cannot hold a NUL character"])
    if unstorable_text(text):
        raise CaseError([f"{where(path)}: {what} cannot hold an unpaired UTF-16 surrogate"])


def normalise(case: dict[str, Any]) -> None:
    """Digits typed as a number (`digits: 1`) are the keys pressed, as text."""
    for item in case.get("script") or []:
        if isinstance(item, dict) and isinstance(item.get("digits"), int):
            item["digits"] = str(item["digits"])


def validate(case: Any) -> dict[str, Any]:
    """The case if it is valid; CaseError with every problem otherwise."""
    case = plain(case)
    if len(json.dumps(case, ensure_ascii=False).encode()) > MAX_CASE_BYTES * 2:
        raise CaseError([f"the case is larger than {MAX_CASE_BYTES // 1024} KB"])
    if isinstance(case, dict):
        normalise(case)
    errors = []
    for error in sorted(validator().iter_errors(case), key=lambda e: list(e.absolute_path)):
        errors.append(f"{where(error.absolute_path)}: {explain(error)}")
    if not errors:
        clock = case.get("clock")
        if clock is not None:
            try:
                datetime.fromisoformat(clock)
            except ValueError:
                errors.append(f"clock: {clock!r} is not an ISO 8601 date and time")
        for n, item in enumerate(case.get("expect", {}).get("messages", [])):
            errors += regex_errors(item, f"expect.messages[{n}]")
        for n, item in enumerate(case.get("expect", {}).get("actions", [])):
            errors += regex_errors(item, f"expect.actions[{n}]")
        errors += regex_errors(case.get("expect", {}).get("variables", {}), "expect.variables")
        for name, fields in case.get("expect", {}).get("widgets", {}).items():
            errors += regex_errors(fields, f"expect.widgets.{name}")
    if errors:
        raise CaseError(errors)
    return case


def regex_errors(matchers: dict[str, Any], path: str) -> list[str]:
    out = []
    for key, matcher in matchers.items():
        if isinstance(matcher, dict) and "matches" in matcher:
            try:
                patterns.compiled(matcher["matches"])
            except patterns.PatternError as exc:
                out.append(f"{path}.{key}.matches: not a valid regular expression ({exc})")
                continue
            if patterns.backtracks(matcher["matches"]):
                out.append(
                    f"{path}.{key}.matches: a repeated group that repeats inside, like (a+)+, "
                    "can take exponential time; write it without the nesting"
                )
    return out


def explain(error: Any) -> str:
    """jsonschema's message, shortened for the usual mistakes."""
    if error.validator == "oneOf" and error.absolute_path and "script" in error.absolute_path:
        keys = "message, digits, speech, timeout, deliveryFailure, hangup or event (+ params)"
        return f"an input is exactly one of {keys}"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown key")
    if error.validator == "oneOf":
        return "not one of the allowed forms (see docs/testcases.md)"
    return error.message


def load_case(text: str) -> dict[str, Any]:
    return validate(parse_text(text))


def dump_case(case: dict[str, Any], fmt: str = "yaml") -> str:
    if fmt == "json":
        return json.dumps(case, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=100)
