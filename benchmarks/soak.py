"""Load and faults: many respondents through open-link -> pages -> submit while admins load the
dashboard, on gunicorn (several sync workers) and a fresh PostgreSQL database.

`make soak` runs 200 respondents for 60 s; `--short` is the CI run (30 respondents, 20 s). During
the run a gunicorn worker is killed with SIGKILL and PostgreSQL drops every connection (the soak
database's backends are terminated; `--pg-restart` restarts the whole cluster instead, which
disturbs anyone else using it). Afterwards the database is counted: every submission the client
saw acknowledged is there exactly once, no response is duplicated, saved drafts survive.
Half way through, two copies of `portal send-due` start at the same moment against a real SMTP
server (aiosmtpd): every due email invitation must arrive exactly once. With `--notify` there
are due texts too, sent through the GOV.UK Notify stand-in (tests/notify_stand_in.py), which
answers the first requests with its rate limit (429): every text must be sent exactly once, and
the receipts (half by callback to the server, half by `portal notify-status`) recorded.
Exit status 1 if any of that fails or a request failed outside the fault windows.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from benchmarks._server import (
    Reply,
    Session,
    answer_form,
    free_port,
    fresh_database,
    gunicorn,
    populate,
    server_env,
)

CLUSTER = os.environ.get("PG_CLUSTER", "15 main")


@dataclass
class Stats:
    """Latencies and outcomes, shared by every client thread."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[tuple[float, str]] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)  # tokens whose submission was confirmed
    saved: set[str] = field(default_factory=set)  # tokens with a page save confirmed
    fault_windows: list[tuple[float, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, call) -> Reply | None:
        started = time.perf_counter()
        try:
            reply = call()
        except OSError as error:
            self.error(f"{kind}: {type(error).__name__}")
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[kind].append(elapsed)
        if reply.status >= 500:
            self.error(f"{kind}: HTTP {reply.status}")
        return reply

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append((time.monotonic(), what))

    def in_fault(self, moment: float) -> bool:
        return any(start <= moment <= end for start, end in self.fault_windows)


def respondent(base: str, tokens: queue.Queue[str], stats: Stats, stop: float, think: float):
    """Take links off the queue and complete each form, retrying a step that failed."""
    while time.monotonic() < stop:
        try:
            token = tokens.get_nowait()
        except queue.Empty:
            return
        session = Session(base)
        reply = _retrying(stats, "open link", lambda: session.get(f"/r/{token}"), stop)  # noqa: B023
        if reply is None:
            continue
        path, reply = _following(stats, session, reply, stop)
        if reply is None:
            continue
        path = path or f"/r/{token}"
        for _page in range(30):
            form = answer_form(reply.body, path, text="Soak test answer")
            if reply.status != 200 or form is None or time.monotonic() >= stop:
                break
            time.sleep(random.uniform(0.5, 1.5) * think)
            action, body = form
            posted = _retrying(stats, "submit page", lambda: session.post(action, body), stop)  # noqa: B023
            if posted is None or posted.status not in (302, 303):
                break
            stats.saved.add(token)
            path, reply = _following(stats, session, posted, stop)
            if reply is not None and (path or "").startswith("/r/safe"):
                # Words typed on a safety question raise an alert and show the safety page first,
                # as for a child: carry on with the form from there.
                path, reply = _carrying_on(stats, session, reply, stop)
            if reply is None:
                break
            if reply.status == 200 and answer_form(reply.body, path) is None:
                stats.acknowledged.add(token)  # the thank-you page: the client saw it land
                break


CARRY_ON = re.compile(r'<a class="button" href="(/r/[^"]+)"')


def _carrying_on(stats: Stats, session: Session, safe_page: Reply, stop: float):
    """From the safety page, follow "Carry on with the form" as a child would."""
    found = CARRY_ON.search(safe_page.body)
    if found is None:
        return None, None
    href = found.group(1).replace("&amp;", "&")
    reply = _retrying(stats, "open link", lambda: session.get(href), stop)
    return (href, reply) if reply is not None else (None, None)


def _retrying(stats: Stats, kind: str, call, stop: float) -> Reply | None:
    """Like a person pressing the button again: retry a failed request for up to 20 seconds."""
    deadline = min(stop + 20, time.monotonic() + 20)
    while True:
        reply = stats.timed(kind, call)
        if reply is not None and reply.status < 500:
            return reply
        if time.monotonic() > deadline:
            return None
        time.sleep(0.5)


def _following(stats: Stats, session: Session, reply: Reply, stop: float):
    """Follow redirects as a browser does; a dropped connection (a killed worker) is reloaded."""
    deadline = min(stop + 20, time.monotonic() + 20)
    while True:
        try:
            return session.follow(reply)
        except OSError as error:
            stats.error(f"follow redirect: {type(error).__name__}")
            if time.monotonic() > deadline:
                return None, None
            time.sleep(0.5)


def admin(base: str, email: str, password: str, stats: Stats, stop: float, think: float):
    """Sign in and reload the dashboard until the end of the run."""
    import re

    session = Session(base)
    page = session.get("/auth/sign-in")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.body)
    session.post("/auth/sign-in", {"csrf_token": token.group(1) if token else "",
                                   "email": email, "password": password})  # fmt: skip
    while time.monotonic() < stop:
        stats.timed("admin dashboard", lambda: session.get("/admin/"))
        time.sleep(think * 2)


def _make_admin(database_url: str) -> tuple[str, str]:
    from benchmarks._server import app_config
    from portal import create_app
    from portal.crypto.passwords import hash_password
    from portal.extensions import db
    from portal.models import StaffUser

    password = "soak-admin-password-long-enough"
    app = create_app(app_config(database_url))
    with app.app_context():
        db.session.add(StaffUser(email="soak.admin@example.org", role="admin",
                                 password_hash=hash_password(password)))  # fmt: skip
        db.session.commit()
        db.engine.dispose()
    return "soak.admin@example.org", password


def _faults(database_url: str, master: int, stats: Stats, start: float, seconds: float, pg: str):
    """Kill a worker a third of the way in; drop PostgreSQL's connections at two thirds."""
    from benchmarks._server import worker_pids

    time.sleep(seconds / 3)
    pids = worker_pids(master)
    if pids:
        moment = time.monotonic()
        os.kill(pids[0], signal.SIGKILL)
        stats.fault_windows.append((moment, moment + 5))
        print(f"   fault: SIGKILL gunicorn worker {pids[0]} at {moment - start:.0f}s", flush=True)
    time.sleep(max(0.0, start + 2 * seconds / 3 - time.monotonic()))
    moment = time.monotonic()
    if pg == "restart":
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER.split(), "restart"],
                       check=True)  # fmt: skip
    else:
        name = sa.engine.make_url(database_url).database
        engine = sa.create_engine(database_url.rsplit("/", 1)[0] + "/postgres")
        with engine.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})  # fmt: skip
        engine.dispose()
    stats.fault_windows.append((moment, time.monotonic() + 5))
    print(f"   fault: PostgreSQL {pg} at {moment - start:.0f}s", flush=True)


@dataclass
class MailSink:
    """What a real SMTP server (aiosmtpd) received, by recipient."""

    recipients: list[str] = field(default_factory=list)
    # Per round of two copies: (exit status, last line of output) for each copy.
    rounds: list[list[tuple[int, list[str]]]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def _send_due_twice(
    database_url: str, sink: MailSink, port: int, delay: float, extra: dict[str, str]
) -> None:
    """Start two `portal send-due` processes at the same moment, as two overlapping cron jobs.

    A copy that a fault stops (PostgreSQL dropping its connection) exits non-zero; like cron, the
    next round starts two copies again, up to three rounds. Only the last round is judged.
    """
    time.sleep(delay)
    command = [str(Path(sys.executable).with_name("portal")), "send-due"]
    env = server_env(database_url, MAIL_URL=f"smtp://127.0.0.1:{port}", **extra)
    for _round in range(5 if extra else 3):  # Notify's rate limit leaves some for a later round
        copies = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
            for _ in range(2)
        ]  # fmt: skip
        results = []
        for copy in copies:
            output, _ = copy.communicate(timeout=300)
            results.append((copy.returncode, output.strip().splitlines()[-1:]))
        sink.rounds.append(results)
        if all(status == 0 for status, _ in results):
            return
        time.sleep(5)


NOTIFY_TOKEN = "soak-callback-token-0123456789abcdef"


def _notify_env(stand_in: Any) -> dict[str, str]:
    from tests.notify_stand_in import EMAIL_TEMPLATE_ID, SMS_TEMPLATE_ID

    return {"NOTIFY_API_KEY": stand_in.api_key, "NOTIFY_BASE_URL": stand_in.url,
            "NOTIFY_EMAIL_TEMPLATE_ID": EMAIL_TEMPLATE_ID, "NOTIFY_SMS_TEMPLATE_ID": SMS_TEMPLATE_ID,
            "NOTIFY_CALLBACK_TOKEN": NOTIFY_TOKEN}  # fmt: skip


def _receipts(base: str, database_url: str, stand_in: Any) -> None:
    """Notify's providers deliver every text (the first fails permanently); half the receipts
    come by callback to the running server, the rest by `portal notify-status`."""
    import json
    import urllib.request

    texts = sorted(stand_in.of_type("sms"), key=lambda text: text.id)
    for index, text in enumerate(texts):
        status = "permanent-failure" if index == 0 else "delivered"
        stand_in.settle(text.id, status)
        if index % 2:
            continue
        request = urllib.request.Request(
            f"{base}/notify/callback", method="POST",
            data=json.dumps({"id": text.id, "status": status, "reference": text.reference,
                             "completed_at": "2026-12-02T10:00:00.000000Z"}).encode(),
            headers={"Authorization": f"Bearer {NOTIFY_TOKEN}",
                     "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
    command = [str(Path(sys.executable).with_name("portal")), "notify-status"]
    env = server_env(database_url, **_notify_env(stand_in))
    polled = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    print(f"   notify-status: {polled.stdout.strip()} {polled.stderr.strip()[-200:]}")


def _check_texts(database_url: str, stand_in: Any, due: int) -> list[str]:
    """Every due text sent through Notify exactly once, and its receipt recorded."""
    references = [text.reference for text in stand_in.of_type("sms")]
    refused = sum(1 for _method, path, status in stand_in.requests
                  if path.endswith("/sms") and status == 429)  # fmt: skip
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        statuses = dict(connection.execute(sa.text(
            "SELECT coalesce(delivery_status, 'none'), count(*) FROM invitation "
            "WHERE channel = 'sms' AND sent_at IS NOT NULL GROUP BY 1")).all())  # fmt: skip
    engine.dispose()
    print(
        f"   texts: {len(references)} sent through Notify for {due} due "
        f"({len(set(references))} distinct), {refused} refused with 429; receipts {statuses}"
    )
    problems = []
    if not len(references) == len(set(references)) == due:
        problems.append(f"{due} due texts: {len(references)} sent, {len(set(references))} distinct")
    if statuses != {"delivered": due - 1, "permanent-failure": 1}:
        problems.append(f"receipts not all recorded: {statuses}")
    return problems


def _check_mail(database_url: str, sink: MailSink, due: int) -> list[str]:
    """Problems with the parallel send-due: every due email sent and received exactly once.

    Only invitations' addresses are counted: a safeguarding alert raised by the soak's answers
    (words typed on a safety question) whose email a fault interrupted is retried by send-due to
    the IRO and the duty inbox, as it should be, and is reported beside the count."""
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        marked = connection.execute(sa.text(
            "SELECT count(*) FROM invitation WHERE recipient_email IS NOT NULL AND sent_at IS NOT NULL"
        )).scalar_one()  # fmt: skip
        invited = {row[0] for row in connection.execute(sa.text(
            "SELECT recipient_email FROM invitation WHERE recipient_email IS NOT NULL"))}  # fmt: skip
    engine.dispose()
    invitations = [r for r in sink.recipients if r in invited]
    alerts = len(sink.recipients) - len(invitations)
    distinct = len(set(invitations))
    print(f"   send-due, two copies at once, {len(sink.rounds)} round(s): {sink.rounds}; "
          f"{len(invitations)} messages to {distinct} addresses for {due} due, "
          f"{marked} marked sent; {alerts} alert emails retried")  # fmt: skip
    last = sink.rounds[-1] if sink.rounds else []
    problems = [f"send-due exited {status}: {out}" for status, out in last if status]
    if len(last) != 2:
        problems.append("send-due did not run twice")
    if not len(invitations) == distinct == marked == due:
        problems.append(f"{due} due emails: {len(invitations)} sent, {distinct} addresses, "
                        f"{marked} marked sent")  # fmt: skip
    return problems


def _count(database_url: str, stats: Stats, tokens: list[str]) -> list[str]:
    """Problems found by counting rows (empty when nothing was lost or duplicated)."""
    from portal.crypto.tokens import hash_token

    engine = sa.create_engine(database_url)
    problems = []
    with engine.connect() as connection:
        duplicates = connection.execute(sa.text(
            "SELECT invitation_id FROM response WHERE invitation_id IS NOT NULL "
            "GROUP BY invitation_id HAVING count(*) > 1")).all()  # fmt: skip
        if duplicates:
            problems.append(f"{len(duplicates)} invitations have more than one response")
        answered = {
            row[0] for row in connection.execute(sa.text(
                "SELECT i.token_hash FROM response r JOIN invitation i ON i.id = r.invitation_id"))
        }  # fmt: skip
        drafts = {
            row[0] for row in connection.execute(sa.text(
                "SELECT i.token_hash FROM draft d JOIN invitation i ON i.id = d.invitation_id"))
        }  # fmt: skip
        lost = [t for t in stats.acknowledged if hash_token(t) not in answered]
        if lost:
            problems.append(f"{len(lost)} acknowledged submissions are missing")
        unsaved = [
            t for t in stats.saved - stats.acknowledged
            if hash_token(t) not in drafts and hash_token(t) not in answered
        ]  # fmt: skip
        if unsaved:
            problems.append(f"{len(unsaved)} saved drafts are missing")
        print(f"   rows: {len(answered)} responses for {len(stats.acknowledged)} acknowledged "
              f"submissions, {len(drafts)} drafts, 0 expected duplicates, "
              f"{len(duplicates)} found")  # fmt: skip
    engine.dispose()
    return problems


def main(argv: list[str]) -> int:
    """Run the soak and print the report; non-zero exit when something was lost or failed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--admins", type=int, default=3)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between pages")
    parser.add_argument(
        "--short", action="store_true", help="CI: 30 users for 20 s, 0.2 s between pages"
    )
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--notify", action="store_true",
                        help="also send due texts through the GOV.UK Notify stand-in")  # fmt: skip
    parser.add_argument("--pg-restart", action="store_true",
                        help="restart the PostgreSQL cluster instead of dropping connections")  # fmt: skip
    args = parser.parse_args(argv)
    if args.short:
        args.users, args.duration, args.admins = min(args.users, 30), min(args.duration, 20), 2
        args.think = min(args.think, 0.2)
    stats = Stats()
    with fresh_database("portal_soak") as database_url:
        tokens = populate(database_url, args.users * 4)
        due_emails = len(populate(database_url, args.users, due_emails=True))
        due_texts = len(populate(database_url, args.users, due_texts=True)) if args.notify else 0
        email, password = _make_admin(database_url)
        stand_in, notify_env = None, {}
        if args.notify:
            from tests.notify_stand_in import NotifyStandIn

            stand_in = NotifyStandIn().start()
            stand_in.fail_next(429, times=2)  # the first requests meet Notify's rate limit
            notify_env = _notify_env(stand_in)
            # Email goes by SMTP as before (no email template): only texts use Notify.
            notify_env["NOTIFY_EMAIL_TEMPLATE_ID"] = ""
        sink, smtp_port = MailSink(), free_port()
        smtp = Controller(sink, hostname="127.0.0.1", port=smtp_port)
        smtp.start()
        links: queue.Queue[str] = queue.Queue()
        for token in tokens:
            links.put(token)
        with gunicorn(database_url, workers=args.workers, **notify_env) as (base, master):
            start = time.monotonic()
            stop = start + args.duration
            threads = [threading.Thread(target=respondent, args=(base, links, stats, stop,
                                                                 args.think)) for _ in range(args.users)]  # fmt: skip
            threads += [threading.Thread(target=admin, args=(base, email, password, stats, stop,
                                                             args.think)) for _ in range(args.admins)]  # fmt: skip
            threads.append(threading.Thread(target=_send_due_twice, args=(
                database_url, sink, smtp_port, args.duration / 2, notify_env)))  # fmt: skip
            if not args.no_faults:
                threads.append(threading.Thread(target=_faults, args=(
                    database_url, master.pid, stats, start, args.duration,
                    "restart" if args.pg_restart else "drop connections"), daemon=True))  # fmt: skip
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.duration + 300)
            elapsed = time.monotonic() - start
            if stand_in is not None:
                _receipts(base, database_url, stand_in)
        smtp.stop()
        problems = _count(database_url, stats, tokens) + _check_mail(database_url, sink, due_emails)
        if stand_in is not None:
            problems += _check_texts(database_url, stand_in, due_texts)
            stand_in.stop()
    total = sum(len(values) for values in stats.latencies.values())
    print(f"   {args.users} respondents, {args.admins} admins, {args.workers} sync workers, "
          f"{elapsed:.0f}s: {total} requests, {total / elapsed:.1f} req/s")  # fmt: skip
    for kind, values in sorted(stats.latencies.items()):
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1] if len(values) > 1 else values[0]
        print(f"   {kind:<16} n={len(values):<6} p50 {statistics.median(values) * 1000:6.0f} ms"
              f"   p95 {p95 * 1000:6.0f} ms")  # fmt: skip
    outside = [what for moment, what in stats.errors if not stats.in_fault(moment)]
    print(f"   errors: {len(stats.errors) - len(outside)} during faults (retried), "
          f"{len(outside)} outside them")  # fmt: skip
    if outside:
        problems.append(f"{len(outside)} errors outside fault windows: {sorted(set(outside))[:5]}")
    for problem in problems:
        print(f"   PROBLEM: {problem}")
    print("   soak " + ("FAILED" if problems else "passed"), flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
