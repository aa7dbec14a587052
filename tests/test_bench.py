"""Every benchmark but the browser one still runs, at a tiny size, and reports the ratios it
exists for, so the harness cannot rot between measurements. Timings are not asserted here:
they mean something only in bench/run.py."""

from __future__ import annotations

import importlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from bench import chatbot
from bench.run import BENCHMARKS, database_url
from editor.flowspec.studio_json import prepare
from editor.flowspec.validate import validate
from editor.models import Team

# The benchmarks that run in this process; B5 drives a browser and has its own tests
# (tests/test_canvas_browser.py).
IN_PROCESS = ("B1", "B1b", "B4", "B7")


def in_own_thread(function: Any, **given: Any) -> Any:
    """A benchmark that drives a server runs its own event loop (asyncio.run), which cannot
    start in a thread that has one running: a browser test earlier in the same process
    leaves Playwright's loop in the main thread. The tests' data is committed, so any
    thread sees it."""

    def body() -> Any:
        try:
            return function(**given)
        finally:
            connections.close_all()  # this thread's own, or the test database stays busy

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(body).result()


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

    result = in_own_thread(module.run, n=60, rounds=1, warm_up=5, workers=1)

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


def test_the_server_benchmarks_vacuum_postgresql_before_they_measure(transactional_db):
    # Their deletes leave dead rows; with autovacuum off or behind, each later run would
    # measure writes into tables bloated by the earlier ones.
    from bench.server import vacuum

    vacuum()  # on SQLite: nothing to do, and no error

    if connections["default"].vendor == "postgresql":
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s",
                ["editor_execution"],
            )
            assert cursor.fetchone() == (True,)


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


def test_the_reply_benchmark_times_replies_against_an_echo_on_the_same_server(
    transactional_db,
):
    # A real uvicorn process running bench/ws_app.py on the test database (a file).
    module = importlib.import_module(BENCHMARKS["B2"])

    result = in_own_thread(module.run, n=12, warm_up=2, connections=3)

    assert result["errors"] == 0, result["error_kinds"]
    for side in ("reply", "echo", "floor"):
        timing = result[side]
        assert timing["round_trips"] == 12
        assert 0 < timing["p50_ms"] <= timing["p99_ms"] <= timing["max_ms"]
    assert result["ratio"] == pytest.approx(
        result["reply"]["p50_ms"] / result["echo"]["p50_ms"], abs=0.01
    )
    assert result["floor_p50_ratio"] == pytest.approx(
        result["floor"]["p50_ms"] / result["echo"]["p50_ms"], abs=0.01
    )
    assert result["p99_ratio"] > 0
    assert result["test_runs"] == result["executions_created"] == 3  # one per panel
    assert result["setup"]["app"] == "bench.ws_app:application"
    assert not Team.objects.filter(slug=module.TEAM).exists()  # cleaned up


def test_the_connections_benchmark_measures_memory_latency_and_disconnects(
    transactional_db,
):
    module = importlib.import_module(BENCHMARKS["B3"])

    result = in_own_thread(module.run, n=30, active=3, window=2.0)

    assert result["errors"] == 0, result["error_kinds"]
    assert result["disconnects"] == 0, result["disconnect_kinds"]
    assert result["reply"]["round_trips"] == 3 * 2  # one a second each, for two seconds
    memory = result["memory"]
    # RSS before, with the echo sockets, with the panels too (30 of each: too few for the
    # growth to mean much, so only its shape is checked).
    assert len(memory["rss_mb"]) == 3 and all(mb > 10 for mb in memory["rss_mb"])
    assert isinstance(memory["echo_kb_per_connection"], float)
    assert isinstance(memory["panel_kb_per_connection"], float)
    assert isinstance(result["ratio"], float)
    json.dumps(result)
    assert result["setup"]["workers"] == 1 and result["setup"]["connections"] == 30
    assert result["executions_created"] == 3
    assert result["echo_probe_under_load"]["round_trips"] > 0  # the event loop's probe
    assert 0 <= result["loop_cpu_ms_per_reply"] <= result["server_cpu_ms_per_reply"]
    assert set(result["load_average"]) == {"before", "after"}
    assert not Team.objects.filter(slug=module.TEAM).exists()
