"""A mail server in a process of its own, for `benchmarks.admin_scale --smtp`.

It accepts every message and counts it, as a council's mail relay takes messages off the portal's
hands. Run in a thread of the benchmark's own process instead (`--smtp-thread`, the tests' sink),
the server's protocol work and parsing share the interpreter lock with send-due and are counted
in send-due's time; in production the mail server is never inside the portal's process.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from typing import Any


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, _server: Any, _session: Any, _envelope: Any) -> str:
        self.count += 1
        return "250 OK"


@contextlib.contextmanager
def sink_process(port: int) -> Iterator[tuple[str, list[int]]]:
    """Serve SMTP on 127.0.0.1:`port` in a child process; yields (MAIL_URL, received).

    `received` holds the number of messages the server took, once the block has ended.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks._smtp_sink", str(port)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    received: list[int] = []
    try:
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("the SMTP sink did not start")
        yield f"smtp://127.0.0.1:{port}", received
    finally:
        process.stdin.close()  # the child's cue to stop and say how many it took
        received.append(int(process.stdout.readline() or 0))
        process.wait(timeout=30)


def _serve(port: int) -> None:
    from aiosmtpd.controller import Controller

    counter = _Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin
    controller.stop()
    print(counter.count, flush=True)


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
