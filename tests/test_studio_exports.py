"""Studio exports the project had never seen: they import unchanged through the REST API,
validate as Twilio would, export back key for key, and run (tests/data/exports/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from editor import services
from editor.engine import runtime
from editor.models import Flow

from .engine_support import OK_JSON, FakeHttp, make_ports, start
from .export_support import unwired_next_dropped

EXPORTS = Path(__file__).parent / "data" / "exports"
CASES = sorted(EXPORTS.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def stored(path: Path) -> bool:
    return "errors" not in load(path)["expect"]


def same_text(a: Any, b: Any) -> bool:
    """Equal values and equal key order at every level."""
    return json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


def params(case: dict[str, Any], status: str = "draft") -> dict[str, str]:
    definition = json.dumps(case["flow"], indent=2, ensure_ascii=False)
    return {"FriendlyName": case["about"][:60], "Status": status, "Definition": definition}


def matches(problem: dict[str, Any], expected: dict[str, str]) -> bool:
    if problem["property_path"] != expected["property_path"]:
        return False
    if "message_start" in expected:
        return problem["message"].startswith(expected["message_start"])
    return problem["message"] == expected["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p in CASES if stored(p)], ids=lambda p: p.stem)
def test_an_export_twilio_stores_imports_and_exports_unchanged(path, signed):
    case = load(path)
    expect = case["expect"]
    expected = unwired_next_dropped(case["flow"])

    checked = signed.post("/v2/Flows/Validate", params(case))
    assert checked.status_code == 200, checked.json()
    warnings = {"warnings": expect["warnings"]} if expect["warnings"] else {}
    assert checked.json() == {"valid": True, **warnings}

    created = signed.post("/v2/Flows", params(case))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["valid"], body["errors"], body["warnings"]) == (True, [], expect["warnings"])
    assert same_text(body["definition"], expected)
    assert same_text(services.export_flow(Flow.objects.get(sid=body["sid"])), expected)

    published = signed.post(f"/v2/Flows/{body['sid']}", params(case, "published"))
    assert published.status_code == 200, published.json()
    for revision in ("1", "2", "LatestPublished"):
        got = signed.get(f"/v2/Flows/{body['sid']}/Revisions/{revision}").json()
        assert same_text(got["definition"], expected), revision


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p in CASES if stored(p)], ids=lambda p: p.stem)
def test_the_import_page_takes_the_file_and_the_download_gives_it_back(path, bob):
    case = load(path)
    text = json.dumps(case["flow"], indent=2, ensure_ascii=False) + "\n"
    client = Client()
    client.force_login(bob)
    upload = SimpleUploadedFile("flow.json", text.encode(), content_type="application/json")
    answer = client.post(reverse("flow_import"), {"file": upload, "team": "acme"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    flow = Flow.objects.get()
    download = client.get(reverse("flow_export", args=[flow.sid]))
    assert same_text(json.loads(download.content), unwired_next_dropped(case["flow"]))
    if unwired_next_dropped(case["flow"]) == case["flow"]:
        # Byte for byte, in the layout of the files in tests/data/exports (two-space indent).
        assert download.content.decode() == text


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p in CASES if not stored(p)], ids=lambda p: p.stem)
def test_what_twilio_refuses_is_refused_with_its_errors(path, signed):
    case = load(path)
    expected = case["expect"]["errors"]
    for url in ("/v2/Flows/Validate", "/v2/Flows"):
        answer = signed.post(url, params(case))
        assert answer.status_code == 400, url
        errors = answer.json()["details"]["errors"]
        assert len(errors) == len(expected), errors
        assert all(matches(e, x) for e, x in zip(errors, expected, strict=True)), errors
    assert not Flow.objects.exists()


def runs() -> list[Any]:
    return [
        pytest.param(path, run, id=f"{path.stem}: {run['kind']}")
        for path in CASES
        if stored(path)
        for run in load(path)["expect"].get("runs", [])
    ]


@pytest.mark.parametrize(("path", "run"), runs())
def test_the_engine_runs_the_export(path, run):
    flow = load(path)["flow"]
    ports = make_ports(http=FakeHttp(default=OK_JSON))
    result = start(flow, run["kind"], payload=run.get("payload"), ports=ports)
    visited = {s["transitioned_from"] for s in result.steps}
    for event in run.get("events", []):
        if result.state["status"] != "active":
            break
        event = dict(event)
        if event["type"] == "timeout":
            event["wait_id"] = (result.state.get("wait") or {}).get("id")
        result = runtime.resume(flow, result.state, event, ports)
        visited |= {s["transitioned_from"] for s in result.steps}
    expect = run["expect"]
    state = result.state
    assert (state["status"], state["ended_reason"]) == (expect["status"], expect["ended_reason"]), (
        state.get("ended_detail")
    )
    variables = state["context"]["flow"].get("variables", {})
    assert {k: variables.get(k) for k in expect.get("variables", {})} == expect.get("variables", {})
    wanted = expect.get("visited", [])
    if wanted == "every widget":
        wanted = [s["name"] for s in flow["states"]]
    assert set(wanted) - visited == set()


@pytest.mark.django_db
def test_a_trigger_exported_without_properties_keeps_the_offset_it_is_moved_to(team):
    """Studio may write a trigger with no `properties`; a move must not be lost on export."""
    document = {
        "description": "Bare trigger",
        "states": [
            {"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingMessage"}]}
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }
    flow = services.create_flow(team, friendly_name="Bare", definition=document)
    assert same_text(services.export_flow(flow), document)
    services.apply_edit(
        flow,
        base_version=flow.version,
        ops=[{"op": "move_widgets", "offsets": {"Trigger": {"x": 40, "y": -20}}}],
        user=None,
    )
    flow.refresh_from_db()
    (trigger,) = services.export_flow(flow)["states"]
    assert trigger == {**document["states"][0], "properties": {"offset": {"x": 40, "y": -20}}}
