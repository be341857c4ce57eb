"""Speed of the respondent pages against a bare Flask "hello" on plain gunicorn.

`make bench` (or `python -m benchmarks http_speed`): a fresh PostgreSQL database and two servers
with the same number of sync workers on 127.0.0.1: plain gunicorn (no config file) serving a bare
Flask "hello", the ceiling; and gunicorn with the portal's gunicorn.conf.py serving the portal with
the same bare "hello" mounted at /bare. wrk at 16 connections against, in turn, plain bare, bare
under gunicorn.conf.py, the child form page (GET) and a page submission with CSRF and a real
commit (POST), repeated and alternated; the median of the repetitions is reported, each as a share
of plain bare from the same run. Then CPU time per request in-process (time.process_time over
test-client requests), which is far less noisy on a shared machine.

Targets: bare under gunicorn.conf.py >= 80% of plain bare; GET >= 18% and POST >= 12% of plain
bare; p99 <= 60 ms at 16 connections on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks._server import (
    Session,
    answer_form,
    app_config,
    fresh_database,
    gunicorn,
    plain_gunicorn,
    populate,
)

RESULT = Path(__file__).parent / "results" / "http_speed.json"
LUA = """
local reqs = {%(requests)s}
local i = 0
request = function()
  i = i %% #reqs + 1
  local r = reqs[i]
  local headers = {["Cookie"] = r[3], ["Accept-Language"] = "en"}
  if r[4] ~= "" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  if r[4] == "" then return wrk.format(r[1], r[2], headers) end
  return wrk.format(r[1], r[2], headers, r[4])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass
class Target:
    """One endpoint under load: a list of (method, path, cookie, body) to cycle through."""

    name: str
    requests: list[tuple[str, str, str, str]]
    base: str = ""  # the server's URL; empty for the portal's server


@dataclass
class Run:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def _discover(base: str, tokens: list[str]) -> tuple[Target, Target | None, str]:
    """The child form page (GET) and its submission (POST); the landing page until it exists."""
    gets, posts = [], []
    for token in tokens:
        session = Session(base)
        path, reply = session.follow(session.get(f"/r/{token}"))
        path = path or f"/r/{token}"
        if reply.status != 200:
            break
        path, reply = _past_start_page(session, path, reply)
        cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        gets.append(("GET", path, cookie, ""))
        form = answer_form(reply.body, path)
        if form:
            action, body = form
            probe = session.post(action, body)
            if probe.status in (200, 302, 303):
                cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
                posts.append(("POST", action, cookie, urllib.parse.urlencode(body, doseq=True)))
    if not gets:
        return Target("landing page GET", [("GET", "/", "", "")]), None, "landing page"
    post = Target("form page POST", posts) if posts else None
    return Target("form page GET", gets), post, "child form page"


def _past_start_page(session: Session, path: str, reply) -> tuple[str, object]:
    """From the journey's start page (who helped me) on to the first page of questions."""
    form = answer_form(reply.body, path)
    if path.endswith("/start") and form:
        path, reply = session.follow(session.post(*form))
    return path, reply


def _wrk(base: str, target: Target, seconds: int, connections: int) -> Run:
    requests = ", ".join(
        "{" + ", ".join(_lua_string(part) for part in request) + "}" for request in target.requests
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % {"requests": requests})
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", script.name, base],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    Path(script.name).unlink()
    line = next(row for row in output.splitlines() if row.startswith("RESULT"))
    count, micros, errors, p50, p95, p99 = (int(value) for value in line.split()[1:])
    return Run(count / (micros / 1e6), p50 / 1000, p95 / 1000, p99 / 1000, errors)


def _median(runs: list[Run]) -> Run:
    def middle(name: str) -> float:
        return statistics.median(getattr(run, name) for run in runs)

    return Run(middle("rps"), middle("p50_ms"), middle("p95_ms"), middle("p99_ms"),
               errors=sum(run.errors for run in runs))  # fmt: skip


def _cpu_per_request(
    database_url: str, tokens: list[str], count: int, repeats: int = 5
) -> dict[str, float]:
    """Microseconds of CPU per request through the test client, in this process (medians).

    The portal runs as deployed: rate limiting on (its check runs on every request, even for
    pages without a limit; memory storage here, the same check with Redis). `GET, not kept` is the
    same page with the kept question markup, screen pages and frame emptied before each request:
    what the first respondent to reach a page costs.
    """
    from benchmarks._bare import bare_app
    from portal import create_app
    from portal.web import frame
    from portal.web.respond import fragments, screen_shell

    app = create_app(app_config(database_url, RATELIMIT_ENABLED=True))
    bare = bare_app().test_client()
    client = app.test_client()
    page = client.get(f"/r/{tokens[-1]}", follow_redirects=True)
    if page.status_code == 200:
        path = page.request.path
        form = answer_form(page.get_data(as_text=True), path)
        if path.endswith("/start") and form:
            page = client.post(form[0], data=form[1], follow_redirects=True)
            path = page.request.path
            form = answer_form(page.get_data(as_text=True), path)
    else:
        path, form = "/", None

    def fresh_get() -> object:
        for kept in (fragments, screen_shell, frame):
            kept.clear()
        return client.get(path)

    calls = {
        "bare": lambda: bare.get("/hello"),
        "GET": lambda: client.get(path),
        "GET, not kept": fresh_get,
    }
    if form:
        action, fields = form
        # Encoded once, as wrk sends it: the client's form encoding is not the server's CPU.
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        kind = "application/x-www-form-urlencoded"
        calls["POST"] = lambda: client.post(action, data=body, content_type=kind)
    for call in calls.values():  # warm up
        for _ in range(20):
            call()
    runs: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeats):  # alternate endpoints within each repetition, as the wrk runs do
        for name, call in calls.items():
            started = time.process_time()
            for _ in range(count):
                call()
            runs[name].append((time.process_time() - started) / count * 1e6)
    return {name: statistics.median(values) for name, values in runs.items()}


PLAIN = "plain bare hello"


def _load(base: str, targets: list[Target], args: argparse.Namespace) -> dict[str, list[Run]]:
    """wrk against every target: a short warm-up each, then repetitions alternating targets."""
    runs: dict[str, list[Run]] = {target.name: [] for target in targets}
    for target in targets:  # warm every worker up
        _wrk(target.base or base, target, 2, args.connections)
    for _ in range(args.repeats):
        for target in targets:
            run = _wrk(target.base or base, target, args.seconds, args.connections)
            runs[target.name].append(run)
    return runs


def _shares(medians: dict[str, Run]) -> dict[str, float]:
    """Each endpoint's requests/s as a share of plain bare's, from the same run."""
    ceiling = medians[PLAIN].rps
    return {name: round(run.rps / ceiling, 3) for name, run in medians.items()}


def _print(medians: dict[str, Run], cpu: dict[str, float], args: argparse.Namespace,
           page: str) -> None:  # fmt: skip
    shares = _shares(medians)
    bare = medians["bare hello"]
    print(f"gunicorn sync x{args.workers}, PostgreSQL, wrk {args.connections} connections, "
          f"{args.repeats} x {args.seconds}s, median; measured page: {page}")  # fmt: skip
    print(f"{'endpoint':<18} {'rps':>8} {'% plain':>7} {'% bare':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'errors':>6}")  # fmt: skip
    for name, run in medians.items():
        print(f"{name:<18} {run.rps:8.0f} {shares[name]:7.0%} {run.rps / bare.rps:7.0%} "
              f"{run.p50_ms:7.1f} {run.p95_ms:7.1f} {run.p99_ms:7.1f} {run.errors:6d}")  # fmt: skip
    print("CPU per request in-process: " + ", ".join(
        f"{name} {value:.0f} us ({value / cpu['bare']:.1f}x bare)" for name, value in cpu.items()
    ))  # fmt: skip


def main(argv: list[str]) -> int:
    """Run the benchmark and print a table (also written to benchmarks/results/)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.http_speed")
    parser.add_argument("--seconds", type=int, default=10, help="per run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--cpu-requests", type=int, default=400)
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install -y wrk")
        return 1
    with fresh_database("portal_bench") as database_url:
        tokens = populate(database_url, 40)
        with (
            plain_gunicorn(workers=args.workers) as plain,
            gunicorn(database_url, workers=args.workers) as (base, _process),
        ):
            get, post, page = _discover(base, tokens[:32])
            targets = [
                Target(PLAIN, [("GET", "/hello", "", "")], base=plain),
                Target("bare hello", [("GET", "/bare/hello", "", "")]),
                get,
            ]
            targets += [post] if post else []
            runs = _load(base, targets, args)
        cpu = _cpu_per_request(database_url, tokens, args.cpu_requests)
    medians = {name: _median(values) for name, values in runs.items()}
    _print(medians, cpu, args, page)
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps({
        "page": page, "workers": args.workers, "connections": args.connections,
        "medians": {name: asdict(run) for name, run in medians.items()},
        "share_of_plain_bare": _shares(medians),
        "cpu_us": cpu, "when": time.strftime("%Y-%m-%d %H:%M"),
    }, indent=2))  # fmt: skip
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
