"""B1b: new executions per second, started through the service layer and persisted.

Each start is `services.start_execution` on the published, REST-triggered chatbot flow, as
the Executions API calls it: its own transaction, which checks the one-active-per-contact
rule, runs the engine to the first wait (the greeting's send & wait), stores the execution,
its step (with the context snapshot) and the timeout task. Every start has its own contact.
One process, one thread, a SQLite *file* database in WAL mode as the settings configure it.

Baseline: Twilio's default rate for new executions, 100/s per account, as a fixed floor.
Target: 500 executions/s, i.e. ratio = executions_per_s / 100 >= 5.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from bench import chatbot

# Honoured by bench/run.py before Django is set up (DATABASE_URL still overrides it).
DATABASE = "sqlite-file"
TARGET_RATE = 500.0
TWILIO_RATE = 100.0
EXECUTIONS = 1000
ROUNDS = 5
WARM_UP = 100


def start_all(flow: Any, contacts: list[str]) -> tuple[float, list[Any]]:
    from editor import services

    outcomes = []
    start = time.perf_counter()
    for contact in contacts:
        outcomes.append(
            services.start_execution(
                flow,
                kind="request",
                contact=contact,
                flow_address=chatbot.FLOW_ADDRESS,
                parameters={"venue": "Owl Bistro", "source": "bench"},
                initiated_by="bench",
            )
        )
    return time.perf_counter() - start, outcomes


def check(outcomes: list[Any]) -> None:
    """Every execution waits for its reply, with the greeting sent and a timer scheduled."""
    for outcome in outcomes:
        execution = outcome.execution
        if execution.status != "active" or execution.wait_id is None:
            raise AssertionError(f"{execution.sid} is {execution.status}, not waiting")
        if [e["type"] for e in outcome.effects] != ["message"]:
            raise AssertionError(f"{execution.sid} produced {outcome.effects}")


def describe(connection: Any) -> str:
    if connection.vendor != "sqlite":
        return connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
    name = str(connection.settings_dict["NAME"])
    where = "memory" if ":memory:" in name or "mode=memory" in name else "file"
    return f"sqlite {where}, journal_mode={mode}, synchronous={synchronous}"


def run(n: int = EXECUTIONS, rounds: int = ROUNDS) -> dict[str, Any]:
    from django.db import connection

    from editor import services
    from editor.models import Execution, ExecutionStep, Flow

    team = services.ensure_team("bench-b1b")
    imported = services.import_flow(team, json.dumps(chatbot.definition()), publish=True)
    # As the Executions API hands it to the service: found by SID, with its team.
    flow = Flow.objects.select_related("team").get(pk=imported.pk)
    numbers = iter(range(10**7))

    def contacts(count: int) -> list[str]:
        return [chatbot.contact(next(numbers)) for _ in range(count)]

    check(start_all(flow, contacts(min(WARM_UP, n)))[1])
    rates = []
    for _ in range(rounds):
        elapsed, outcomes = start_all(flow, contacts(n))
        check(outcomes)
        rates.append(n / elapsed)
    rate = statistics.median(rates)
    step = ExecutionStep.objects.filter(execution__flow=flow).values_list("context", flat=True)
    result = {
        "ratio": round(rate / TWILIO_RATE, 2),
        "target": f"ratio >= {TARGET_RATE / TWILIO_RATE:g} ({TARGET_RATE:g} executions/s)",
        "executions_per_s": round(rate),
        "rate_range": [round(min(rates)), round(max(rates))],
        "ms_per_execution": round(1000 / rate, 3),
        "executions": n,
        "rounds": rounds,
        "database": describe(connection),
        "stored": Execution.objects.filter(flow=flow).count(),
        "step_context_bytes": len(step.first() or ""),
        "ok": rate >= TARGET_RATE,
    }
    services.delete_flow(imported)
    return result
