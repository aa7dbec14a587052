"""Benchmark harness: `python bench/run.py [NAME…]` prints one JSON object per benchmark.

Every benchmark measures its own baseline in the same run and reports a ratio, so the
figures mean the same on a fast laptop and on a loaded CI box.

A benchmark module says where it measures with a `DATABASE` attribute: "sqlite-memory"
(the default: the benchmarks measure our code, not the disk; a file database adds WAL
checkpoints that land unevenly between rounds) or "sqlite-file" (a fresh file in a
temporary directory, for what is only true of a real database, such as commits). Django is
set up once per process, so when several benchmarks are asked for, each runs in a child
process of its own. DATABASE_URL, when set, overrides the choice for every benchmark (to
measure on PostgreSQL, say).
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = {
    "B1": "bench.b1_engine",
    "B1b": "bench.b1b_start",
    "B2": "bench.b2_ws_reply",
    "B3": "bench.b3_ws_connections",
    "B4": "bench.b4_import_export",
    "B5": "bench.b5_canvas",
    "B6": "bench.b6_server",
    "B7": "bench.b7_lint",
}
DATABASES = ("sqlite-memory", "sqlite-file")


def load(name: str) -> Any:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module(BENCHMARKS[name])


def database_url(kind: str, workdir: Path) -> str:
    if kind == "sqlite-memory":
        return "sqlite://:memory:"
    if kind == "sqlite-file":
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    raise ValueError(f"unknown DATABASE {kind!r}; known: {', '.join(DATABASES)}")


def setup_django(url: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio_clone.settings")
    os.environ.setdefault("DATABASE_URL", url)
    # As in production: with DEBUG on, Django records every query it runs.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    # As studio_clone/asgi.py does once the application is loaded.
    gc.freeze()


def run_here(name: str) -> bool:
    """Run one benchmark in this process; True when it met its target."""
    module = load(name)
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    try:
        setup_django(database_url(getattr(module, "DATABASE", "sqlite-memory"), workdir))
        result = module.run()
        print(json.dumps({"name": name, **result}), flush=True)
        from django.db import connections

        connections.close_all()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return bool(result.get("ok", True))


def main(names: list[str]) -> int:
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    names = names or list(BENCHMARKS)
    if len(names) == 1:
        return 0 if run_here(names[0]) else 1
    failed = False
    for name in names:
        child = subprocess.run([sys.executable, __file__, name], check=False)
        failed |= child.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
