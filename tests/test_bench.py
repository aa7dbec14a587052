"""Every in-process benchmark still runs, at a tiny size, so the harness cannot rot between
measurements. Timings are not asserted here: they mean something only in bench/run.py."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from bench import chatbot
from bench.run import BENCHMARKS, database_url
from editor.flowspec.studio_json import prepare
from editor.flowspec.validate import validate

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


def test_the_start_benchmark_reports_executions_per_second(db):
    result = importlib.import_module(BENCHMARKS["B1b"]).run(n=5, rounds=1)

    assert result["executions_per_s"] > 0
    assert result["stored"] == 5 + 5  # warm-up and the timed round


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
