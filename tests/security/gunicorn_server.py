"""A real gunicorn, with the production gunicorn.conf.py, writing its access log to a file."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90


@contextlib.contextmanager
def gunicorn_serving(tmp_path: Path, database_url: str) -> Iterator[Callable[[str], None]]:
    """Start one worker on a free port; yield `get(path)`, which ignores HTTP error statuses."""
    log = tmp_path / "access.log"
    port = free_port()
    env = {"PORTAL_ENV": "development", "SECRET_KEY": "x" * 32, "DATABASE_URL": database_url,
           "PORTAL_INSTANCE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(log),
         "portal:create_app()"],
        cwd=ROOT, env=env,
    )  # fmt: skip

    def get(path: str) -> None:
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)

    try:
        _wait_until_serving(server, port)
        yield get
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_serving(server: subprocess.Popen[bytes], port: int) -> None:
    """Wait for /healthz. A preloaded app on a busy shared machine can take many seconds to
    start, so wait long, but stop at once if gunicorn has exited."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS} s")
