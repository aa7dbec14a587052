"""scripts/run's server logs each request once (it used to print every line twice)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from .test_quickstart import ROOT, free_port

PATHS = {
    "/login/?probe=ok": 200,
    "/no-such-page-probe/": 404,
    "/favicon.ico": 301,
}


def request(url: str) -> int:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(url, timeout=5).status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until_serving(base: str, deadline: float) -> None:
    while True:
        try:
            urllib.request.urlopen(f"{base}/static/favicon.svg", timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_each_request_is_logged_once(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "LOG_LEVEL"}
    }
    env.update(DATA_DIR=str(tmp_path / "data"), PYTHONUNBUFFERED="1")
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        # As scripts/run starts it (DEBUG on, the embedded default).
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_serving(base, time.monotonic() + 60)
            statuses = {path: request(base + path) for path in PATHS}
            time.sleep(0.5)  # let the access log line of the last request be written
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)

    assert statuses == PATHS
    lines = log_path.read_text().splitlines()
    for path, status in PATHS.items():
        mentions = [line for line in lines if path in line]
        assert len(mentions) == 1, mentions
        assert f"GET {path} {status}" in mentions[0]
