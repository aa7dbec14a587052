"""Benchmark harness: `python bench/run.py [NAME…]` prints one JSON object per benchmark.

Every benchmark measures its own baseline in the same run and reports a ratio, so the
figures mean the same on a fast laptop and on a loaded CI box.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = {"B4": "bench.b4_import_export"}


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio_clone.settings")
    # By default an in-memory SQLite database: the benchmarks measure our code, not the
    # disk (a file database adds WAL checkpoints that land unevenly between rounds). Set
    # DATABASE_URL to measure on PostgreSQL or a file.
    os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    # As studio_clone/asgi.py does once the application is loaded.
    gc.freeze()


def main(names: list[str]) -> int:
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    setup_django()
    failed = False
    for name in names or list(BENCHMARKS):
        result = importlib.import_module(BENCHMARKS[name]).run()
        print(json.dumps({"name": name, **result}), flush=True)
        failed |= not result.get("ok", True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
