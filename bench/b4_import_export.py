"""B4: import + validate + store, then export, of a generated 1,000-widget flow.

Baseline: `json.loads` + `json.dumps` of the same document, measured in the same run.
Targets: ratio <= 40; and the scaling ratio <= 1.1, where scaling is time(2,000 widgets) /
time(1,000) and the scaling ratio divides it by the baseline's own scaling, measured in the
same run on the same two documents (JSON round trips are linear, so the baseline's scaling
is about 2.0 and says what "linear" looks like on this machine today: caches, allocator).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from bench.flowgen import generate_text

TARGET_RATIO = 40.0
TARGET_SCALING_RATIO = 1.1
ROUNDS = 21


def best_of(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def round_trip(team: Any, text: str, rounds: int = ROUNDS) -> tuple[float, float]:
    """Fastest import+export and fastest baseline over the same rounds, interleaved.

    Interleaving means a slow patch of a shared machine slows both sides of the ratio.
    The flow is deleted after each round, untimed, so every round starts from the same
    table sizes.
    """
    from editor import services

    def action() -> Any:
        flow = services.import_flow(team, text)
        json.dumps(services.export_flow(flow))
        return flow

    def baseline() -> Any:
        return json.dumps(json.loads(text))

    times, baselines = [], []
    for n in range(rounds + 1):
        baselines.append(min(best_of(baseline)[0] for _ in range(5)))
        elapsed, flow = best_of(action)
        services.delete_flow(flow)
        if n:  # the first round warms caches
            times.append(elapsed)
    return min(times), min(baselines[1:])


def run(n: int = 1000, rounds: int = ROUNDS) -> dict[str, Any]:
    """`n` widgets against 2n (the names below say 1,000 and 2,000, the defaults)."""
    from editor import services

    team = services.ensure_team("bench")
    text_1000, text_2000 = generate_text(n), generate_text(2 * n)
    t_1000, baseline_1000 = round_trip(team, text_1000, rounds)
    t_2000, baseline_2000 = round_trip(team, text_2000, rounds)
    ratio, scaling = t_1000 / baseline_1000, t_2000 / t_1000
    baseline_scaling = baseline_2000 / baseline_1000
    scaling_ratio = scaling / baseline_scaling
    return {
        "ratio": round(ratio, 2),
        "target": f"ratio <= {TARGET_RATIO:g}, scaling_ratio <= {TARGET_SCALING_RATIO:g}",
        "scaling_ratio": round(scaling_ratio, 2),
        "scaling": round(scaling, 2),
        "baseline_scaling": round(baseline_scaling, 2),
        "ms_1000": round(t_1000 * 1000, 1),
        "ms_2000": round(t_2000 * 1000, 1),
        "baseline_ms_1000": round(baseline_1000 * 1000, 2),
        "baseline_ms_2000": round(baseline_2000 * 1000, 2),
        "document_kb": round(len(text_1000) / 1024, 1),
        "ok": ratio <= TARGET_RATIO and scaling_ratio <= TARGET_SCALING_RATIO,
    }
