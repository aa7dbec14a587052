"""B1b: starting an execution through the service layer, against the work a start cannot
avoid, measured in the same run.

Service side: `services.start_execution` on the published, REST-triggered chatbot flow, as
the Executions API calls it: its own transaction, which checks the one-active-per-contact
rule, runs the engine to the first wait (the greeting's send & wait) and stores the
execution, its step (with the context snapshot) and the timeout task.

Baseline ("floor"): the same start with nothing but what it cannot do without, in its own
transaction: `runtime.start` with the same definition, arguments and ports, then the same
rows (the execution, its step, its transcript entries) through the plain INSERTs of
models/rows.py and the timer through the same django-tasks call. So the ratio is what the
service layer itself adds: its busy check, the revision it picks, its bookkeeping. A second
baseline ("orm") writes the same rows with `Model.objects.create`, the plain-Django way;
`orm_ratio` says how the service compares.

Every start has its own contact. One process, one thread, a SQLite *file* database in WAL
mode as the settings configure it. Each round runs the three sides back to back, so a busy
spell of the shared machine slows all of them; the ratio is the median over rounds of the
ratio within a round. (The fastest round of each side, compared, is reported too; under a
heavy neighbour it swung from 0.5 to 1.0 between runs, because one side's fastest round can
come from a calm moment the other side never had, while the median of paired rounds held
at 0.9-1.1.)

Target: ratio <= 1.25 (the service's checks add at most a quarter to the floor).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from bench import chatbot

# Honoured by bench/run.py before Django is set up (DATABASE_URL still overrides it).
DATABASE = "sqlite-file"
TARGET_RATIO = 1.25
EXECUTIONS = 1000
ROUNDS = 5
WARM_UP = 100
PARAMETERS = {"venue": "Owl Bistro", "source": "bench"}


def service_start(flow: Any) -> Callable[[str], Any]:
    from editor import services

    def start(contact: str) -> Any:
        return services.start_execution(
            flow,
            kind="request",
            contact=contact,
            flow_address=chatbot.FLOW_ADDRESS,
            parameters=PARAMETERS,
            initiated_by="bench",
        )

    return start


def plain_start(flow: Any, *, orm: bool) -> Callable[[str], Any]:
    """A baseline: the engine, then the same rows, in one transaction. With `orm`, the rows
    go through Model.objects.create; without, through the plain INSERTs of models/rows.py
    (the cheapest way the project has to write them: the floor)."""
    from django.db import transaction

    from editor.engine import runtime
    from editor.flowspec import jsontext
    from editor.models import Execution, ExecutionStep, TranscriptEntry
    from editor.models.executions import contact_sid, encode_context
    from editor.services import transcripts
    from editor.services.executions import ports_for
    from editor.tasks import schedule_timeout

    revision = flow.revisions.order_by("-revision").first()
    definition, number = revision.definition, revision.revision
    ports = ports_for(flow)

    def store(execution: Execution, result: Any, contact: str) -> Execution:
        # Every execution keeps its transcript (models/transcripts.py): the start, then
        # what the engine did, numbered from 1.
        given = transcripts.start_entry(
            "request", contact=contact, payload=None, parameters=PARAMETERS, source="api"
        )
        if not orm:
            Execution.objects.insert(execution)
            sids = ExecutionStep.objects.append(execution, 0, result.steps)
            entries = [given, *transcripts.result_entries(result, sids, 0)]
            TranscriptEntry.objects.append(execution, 1, entries)
            return execution
        fields = {f.attname: getattr(execution, f.attname) for f in Execution._meta.fields}
        fields.pop("id")
        execution = Execution.objects.create(**fields)
        sids = []
        for position, step in enumerate(result.steps):
            made = ExecutionStep.objects.create(
                execution=execution,
                position=position,
                name=step["name"],
                transitioned_from=step["transitioned_from"],
                transitioned_to=step["transitioned_to"],
                type=step["type"],
                flow_sid=step["flow_sid"],
                context=encode_context(step.get("context")),
            )
            sids.append(made.sid)
        entries = [given, *transcripts.result_entries(result, sids, 0)]
        for seq, entry in enumerate(entries, start=1):
            TranscriptEntry.objects.create(
                execution=execution,
                seq=seq,
                kind=entry["kind"],
                data=jsontext.dumps(entry, default=str),
            )
        return execution

    def start(contact: str) -> Any:
        execution = Execution(
            flow=flow,
            flow_version=number,
            trigger="request",
            contact_channel_address=contact,
            contact_sid=contact_sid(flow.team.account_sid, contact),
            flow_channel_address=chatbot.FLOW_ADDRESS,
            initiated_by="bench",
        )
        with transaction.atomic():
            result = runtime.start(
                definition,
                kind="request",
                contact=contact,
                flow_address=chatbot.FLOW_ADDRESS,
                ports=ports,
                flow_sid=flow.sid,
                execution_sid=execution.sid,
                revision=number,
                data=PARAMETERS,
            )
            wait = result.wait or {}
            timeout_at = wait.get("timeout_at")
            execution.state = result.state
            execution.status = result.state["status"]
            execution.wait_id = wait.get("id")
            execution.wake_at = datetime.fromisoformat(timeout_at) if timeout_at else None
            execution = store(execution, result, contact)
            if execution.wake_at:
                schedule_timeout(execution.sid, execution.wait_id, execution.wake_at)
        return execution

    return start


def timed(start: Callable[[str], Any], contacts: list[str]) -> tuple[float, list[Any]]:
    outcomes = []
    began = time.perf_counter()
    for contact in contacts:
        outcomes.append(start(contact))
    return time.perf_counter() - began, outcomes


def check(outcomes: list[Any]) -> None:
    """Every execution waits for its reply, with the greeting sent and a timer scheduled."""
    for outcome in outcomes:
        execution = outcome.execution
        if execution.status != "active" or execution.wait_id is None:
            raise AssertionError(f"{execution.sid} is {execution.status}, not waiting")
        if [e["type"] for e in outcome.effects] != ["message"]:
            raise AssertionError(f"{execution.sid} produced {outcome.effects}")


def check_plain(executions: list[Any]) -> None:
    for execution in executions:
        if execution.status != "active" or execution.wait_id is None:
            raise AssertionError(f"baseline {execution.sid} is {execution.status}")


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
    numbers: Iterator[int] = iter(range(10**7))

    def contacts(count: int) -> list[str]:
        return [chatbot.contact(next(numbers)) for _ in range(count)]

    sides = {
        "service": service_start(flow),
        "floor": plain_start(flow, orm=False),
        "orm": plain_start(flow, orm=True),
    }
    times: dict[str, list[float]] = {name: [] for name in sides}
    for n_round in range(rounds + 1):  # round 0 warms up every side, untimed
        for name, start in sides.items():
            elapsed, outcomes = timed(start, contacts(min(WARM_UP, n) if not n_round else n))
            (check if name == "service" else check_plain)(outcomes)
            if n_round:
                times[name].append(elapsed)
    best = {name: min(values) for name, values in times.items()}

    def per_round(baseline: str) -> float:
        pairs = zip(times["service"], times[baseline], strict=True)
        return statistics.median(service / other for service, other in pairs)

    ratio = per_round("floor")
    step = ExecutionStep.objects.filter(execution__flow=flow).values_list("context", flat=True)
    result = {
        "ratio": round(ratio, 2),
        "target": f"ratio <= {TARGET_RATIO:g} (service start / engine + plain INSERTs)",
        "best_round_ratio": round(best["service"] / best["floor"], 2),
        "orm_ratio": round(per_round("orm"), 2),
        "ms_per_start": round(best["service"] / n * 1000, 3),
        "floor_ms_per_start": round(best["floor"] / n * 1000, 3),
        "orm_ms_per_start": round(best["orm"] / n * 1000, 3),
        "executions_per_s": round(n / best["service"]),
        "executions": n,
        "rounds": rounds,
        "database": describe(connection),
        "stored": Execution.objects.filter(flow=flow).count(),
        "step_context_bytes": len(step.first() or ""),
        "ok": ratio <= TARGET_RATIO,
    }
    services.delete_flow(imported)
    return result
