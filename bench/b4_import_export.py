"""B4: import + validate + store, then export, of a generated 1,000-widget flow.

Baseline: `json.loads` + `json.dumps` of the same document, measured in the same run.
Targets: ratio <= 40, and time(2,000 widgets) / time(1,000) <= 2.2.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.flowgen import generate_text

TARGET_RATIO = 40.0
TARGET_SCALING = 2.2
ROUNDS = 7


def timed(action: Callable[[], Any], rounds: int = ROUNDS) -> float:
    """Median wall time of `rounds` runs after one warm-up."""
    action()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def round_trip(team: Any, text: str) -> Callable[[], Any]:
    from editor import services

    def action() -> None:
        flow = services.import_flow(team, text)
        json.dumps(services.export_flow(flow))
        # Keep the table size steady between rounds.
        services.delete_flow(flow)

    return action


def run() -> dict[str, Any]:
    from editor import services

    team = services.ensure_team("bench")
    text_1000, text_2000 = generate_text(1000), generate_text(2000)
    baseline = timed(lambda: json.dumps(json.loads(text_1000)), rounds=ROUNDS * 5)
    t_1000 = timed(round_trip(team, text_1000))
    t_2000 = timed(round_trip(team, text_2000))
    ratio, scaling = t_1000 / baseline, t_2000 / t_1000
    return {
        "ratio": round(ratio, 2),
        "target": f"ratio <= {TARGET_RATIO}, scaling <= {TARGET_SCALING}",
        "scaling": round(scaling, 2),
        "ms_1000": round(t_1000 * 1000, 1),
        "ms_2000": round(t_2000 * 1000, 1),
        "baseline_ms": round(baseline * 1000, 2),
        "document_kb": round(len(text_1000) / 1024, 1),
        "ok": ratio <= TARGET_RATIO and scaling <= TARGET_SCALING,
    }
