"""B6: 50 concurrent API clients against the production server, with a bare DRF endpoint as
the baseline on the same server in the same run.

The server is the one README recommends for production (bench/server.py: uvicorn workers
started by studio_clone/serve.py, each on a listening socket of its own, running
`studio_clone.asgi:application`, DEBUG off, a real SECRET_KEY) on the database and
channel layer this process was given: for the figures in bench/RESULTS.md, PostgreSQL
(DATABASE_URL) and Redis (REDIS_URL). The team has FLOWS flows imported from the samples,
the appointment reminder published; clients sign with an API key that
`manage.py create_api_key` made, over HTTP Basic as the Twilio SDKs do.

Endpoints, each driven by CLIENTS concurrent clients (bench/loadgen.py) in its own phase:
- bare: GET /healthz, a DRF view with no authentication and no database work;
- list: GET /v2/Flows (one page of the team's flows);
- create: POST /v2/Flows/FW…/Executions, a distinct `To` for every request (no 409): the
  execution runs to the reminder's send & wait and is stored with its step and its timer.

After a warm-up of every endpoint, ROUNDS rounds run the three phases in turn, so a busy
spell on the shared machine lands on all three. Reported per endpoint: p50, p90, p99, errors,
throughput, and the CPU time per request of the server, of the database (PostgreSQL only)
and of the client; and each endpoint's p50 divided by the bare endpoint's. Target: p50 <= 2x
the bare endpoint's, and no error at all. Everything the benchmark created is deleted afterwards.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
from pathlib import Path
from typing import Any

from bench.loadgen import Phase, Request, clients, hammer
from bench.server import Server, cpu_seconds, vacuum

# Honoured by bench/run.py; the figures set DATABASE_URL to PostgreSQL instead.
DATABASE = "sqlite-file"
TARGET_P50_RATIO = 2.0
CLIENTS = 50
REQUESTS = 1000  # per endpoint per round
ROUNDS = 3
WARM_UP = 200  # per endpoint, untimed
WORKERS = 2  # uvicorn worker processes: one per core of the benchmark machine
FLOWS = 20
TEAM = "bench-b6"
SAMPLE = "appointment-reminder"  # REST-triggered; waits for the reply after its first message
FLOW_ADDRESS = "+15550006000"
ENDPOINTS = ("bare", "list", "create")


def make_team() -> tuple[Any, str, str]:
    """The team, its published flow's SID and the Authorization header of a new API key."""
    from django.core.management import call_command

    from editor import services
    from editor.samples import SAMPLES, sample_text

    out = io.StringIO()
    call_command("create_api_key", TEAM, "--name=bench B6", stdout=out)
    key = json.loads(out.getvalue())
    team = services.ensure_team(TEAM)
    slugs = [s.slug for s in SAMPLES]
    published = services.import_flow(team, sample_text(SAMPLE), publish=True)
    for n in range(FLOWS - 1):
        slug = slugs[n % len(slugs)]
        services.import_flow(team, sample_text(slug), friendly_name=f"{slug} {n}")
    basic = base64.b64encode(f"{key['api_key_sid']}:{key['api_key_secret']}".encode()).decode()
    return team, published.sid, f"Basic {basic}"


def requests(flow_sid: str, authorization: str) -> dict[str, Any]:
    """How to build the i-th request of each endpoint."""
    auth = {"Authorization": authorization}
    executions = f"/v2/Flows/{flow_sid}/Executions"
    contacts = iter(range(10**9))  # never reused, warm-up included: no 409 for a busy contact

    def create(_: int) -> Request:
        data = {"To": f"+1555{next(contacts):07d}", "From": FLOW_ADDRESS}
        data["Parameters"] = json.dumps({"appointment": "tomorrow at 9", "source": "bench"})
        return Request("POST", executions, 201, auth, data)

    return {
        "bare": lambda _: Request("GET", "/healthz", 200),
        "list": lambda _: Request("GET", "/v2/Flows", 200, auth),
        "create": create,
    }


def database_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL backends of this database (0 on another
    database): the server's queries cost CPU there too, on the same machine, and a saved
    statement shows there more than in the workers. Backends are found by their process
    title (`postgres: user database host ...`), so this is callable from the event loop."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    marker = f" {connection.settings_dict['NAME']} ".encode()
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if title.startswith(b"postgres: ") and marker in title:
            total += cpu_seconds(int(entry.name))
    return total


async def measure(
    server: Server, makers: dict[str, Any], n: int, rounds: int, warm_up: int
) -> tuple[dict[str, Phase], dict[str, float], dict[str, float]]:
    phases = {name: Phase() for name in ENDPOINTS}
    server_cpu = dict.fromkeys(ENDPOINTS, 0.0)
    database = dict.fromkeys(ENDPOINTS, 0.0)
    async with clients(server.url, CLIENTS) as pool:
        for name in ENDPOINTS:
            await hammer(pool, makers[name], warm_up)
        for _ in range(rounds):
            for name in ENDPOINTS:
                before, before_db = server.cpu(), database_cpu()
                phases[name].add(await hammer(pool, makers[name], n))
                server_cpu[name] += server.cpu() - before
                database[name] += database_cpu() - before_db
    return phases, server_cpu, database


def setup_of(server: Server) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    return {
        **server.info(),
        "database": connection.vendor,
        "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1],
        "clients": CLIENTS,
        "flows_in_list": FLOWS,
    }


def clean_up(team: Any) -> int:
    """Delete the team (its flows, executions, steps and key go with it) and the timers its
    executions scheduled; returns how many executions there were."""
    from django_tasks_db.models import DBTaskResult

    from editor.models import Execution
    from editor.tasks import fire_timeout_task

    sids = set(Execution.objects.filter(flow__team=team).values_list("sid", flat=True))
    timers = DBTaskResult.objects.filter(task_path=fire_timeout_task.module_path)
    doomed = [pk for pk, call in timers.values_list("pk", "args_kwargs") if call["args"][0] in sids]
    for start in range(0, len(doomed), 500):
        DBTaskResult.objects.filter(pk__in=doomed[start : start + 500]).delete()
    team.delete()
    return len(sids)


def run(
    n: int = REQUESTS, rounds: int = ROUNDS, *, warm_up: int = WARM_UP, workers: int = WORKERS
) -> dict[str, Any]:
    """`n` requests per endpoint in each of `rounds` rounds, after `warm_up` of each."""
    vacuum()
    team, flow_sid, authorization = make_team()
    try:
        with Server(workers=workers) as server:
            phases, server_cpu, database = asyncio.run(
                measure(server, requests(flow_sid, authorization), n, rounds, warm_up)
            )
            setup = setup_of(server)
    finally:
        created = clean_up(team)
    summaries = {name: phases[name].summary() for name in ENDPOINTS}
    for name, summary in summaries.items():
        count = max(summary["requests"], 1)
        summary["server_cpu_ms_per_request"] = round(server_cpu[name] / count * 1000, 3)
        summary["database_cpu_ms_per_request"] = round(database[name] / count * 1000, 3)
    bare = summaries["bare"]["p50_ms"] or float("nan")
    ratios = {name: round(summaries[name]["p50_ms"] / bare, 2) for name in ("list", "create")}
    errors = sum(s["errors"] for s in summaries.values())
    return {
        "ratio": max(ratios.values()),
        "target": f"p50 <= {TARGET_P50_RATIO:g}x the bare endpoint's for list and create; "
        "no errors",
        "p50_ratio": ratios,
        "endpoints": summaries,
        "errors": errors,
        "executions_created": created,
        "setup": setup,
        "ok": errors == 0 and all(r <= TARGET_P50_RATIO for r in ratios.values()),
    }
