"""B7: lint a generated 1,000-widget flow (editor/lint), as the canvas does after each edit.

Baseline: FlowValidate (editor/flowspec/validate.py) of the same document, measured in the
same run, interleaved: the other whole-document pass every save already pays for.
Target: ratio <= 1.0 (linting costs no more than validating). Both run with warm caches
(Liquid's parse cache is shared by every flow), as on a server that has seen the flow once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench.flowgen import generate

TARGET_RATIO = 1.0
ROUNDS = 11


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run(n: int = 1000, rounds: int = ROUNDS) -> dict[str, Any]:
    from editor.flowspec.validate import validate
    from editor.lint import lint_document

    document = generate(n)
    lint_document(document)  # warm-up: imports, the parse cache
    validate(document)
    times, baselines = [], []
    for _ in range(rounds):
        times.append(timed(lambda: lint_document(document)))
        baselines.append(timed(lambda: validate(document)))
    best, baseline = min(times), min(baselines)
    ratio = best / baseline
    return {
        "widgets": n,
        "findings": len(lint_document(document)),
        "ms": round(best * 1000, 2),
        "baseline_ms": round(baseline * 1000, 2),
        "ratio": round(ratio, 3),
        "target": TARGET_RATIO,
        "ok": ratio <= TARGET_RATIO,
    }
