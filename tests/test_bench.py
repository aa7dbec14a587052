"""Every benchmark but the browser one still runs, at a tiny size, and reports the ratios it
exists for, so the harness cannot rot between measurements. Timings are not asserted here:
they mean something only in bench/run.py."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from bench import chatbot
from bench.run import BENCHMARKS, database_url
from editor.flowspec.studio_json import prepare
from editor.flowspec.validate import validate
from editor.models import Team

# The benchmarks that run in this process; B5 drives a browser and has its own tests
# (tests/test_canvas_browser.py).
IN_PROCESS = ("B1", "B1b", "B4")


def test_the_in_process_benchmarks_are_registered():
    assert set(IN_PROCESS) <= set(BENCHMARKS)


@pytest.mark.parametrize("name", IN_PROCESS)
def test_each_benchmark_runs_at_a_tiny_size(db, name):
    module = importlib.import_module(BENCHMARKS[name])

    result = module.run(n=5, rounds=1)

    assert {"ratio", "target", "ok"} <= set(result)
    assert isinstance(result["ratio"], float)
    json.dumps(result)  # the harness prints it as one JSON line


def test_the_start_benchmark_compares_the_service_with_the_floor_and_the_orm(db):
    result = importlib.import_module(BENCHMARKS["B1b"]).run(n=5, rounds=1)

    assert result["ratio"] > 0 and result["orm_ratio"] > 0 and result["best_round_ratio"] > 0
    assert result["ms_per_start"] > 0 and result["floor_ms_per_start"] > 0
    assert result["stored"] == 3 * (5 + 5)  # three sides, a warm-up and a timed round each


def test_the_import_benchmark_compares_its_scaling_with_the_baselines(db):
    result = importlib.import_module(BENCHMARKS["B4"]).run(n=5, rounds=1)

    assert result["baseline_scaling"] > 0
    assert result["scaling_ratio"] == pytest.approx(
        result["scaling"] / result["baseline_scaling"], rel=0.05
    )


def test_the_server_benchmark_measures_every_endpoint_against_the_bare_one(transactional_db):
    # A real uvicorn process on the test database (a file, see settings), one worker.
    module = importlib.import_module(BENCHMARKS["B6"])

    result = module.run(n=60, rounds=1, warm_up=5, workers=1)

    assert result["errors"] == 0, result["endpoints"]
    assert set(result["p50_ratio"]) == {"list", "create"}
    assert result["ratio"] == max(result["p50_ratio"].values())
    for name in ("bare", "list", "create"):
        endpoint = result["endpoints"][name]
        assert endpoint["requests"] == 60
        assert 0 < endpoint["p50_ms"] <= endpoint["p90_ms"] <= endpoint["p99_ms"]
    assert result["executions_created"] == 5 + 60
    assert result["setup"]["clients"] == module.CLIENTS == 50
    assert not Team.objects.filter(slug=module.TEAM).exists()  # cleaned up


def test_the_chatbot_flow_is_valid_and_has_a_dozen_widgets():
    document = prepare(chatbot.definition())

    assert validate(document) == []
    assert len(document["states"]) == 12


def test_a_benchmark_may_ask_for_a_file_database(tmp_path: Path):
    module = importlib.import_module(BENCHMARKS["B1b"])

    assert database_url(module.DATABASE, tmp_path) == f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    assert database_url("sqlite-memory", tmp_path) == "sqlite://:memory:"
    with pytest.raises(ValueError):
        database_url("postgres-please", tmp_path)
