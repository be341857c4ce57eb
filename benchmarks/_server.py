"""Shared by the benchmarks and the soak: a fresh PostgreSQL database, gunicorn, a tiny client."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BASE_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SECRET = "bench-secret-key-not-for-production"


@contextlib.contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """Create, migrate and finally drop a PostgreSQL database beside BENCH_DATABASE_URL's."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    url = sa.engine.make_url(BASE_DATABASE_URL)
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    target = url.set(database=name).render_as_string(hide_password=False)
    try:
        app = create_app(app_config(target))
        with app.app_context():
            upgrade(revision="heads")
            db.engine.dispose()
        yield target
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_config(database_url: str, **extra: object) -> dict[str, object]:
    """The configuration the served app and in-process measurements share."""
    return {
        "PORTAL_ENV": "testing",
        "TESTING": False,
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
        **extra,
    }


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """Environment for a gunicorn serving the portal on `database_url`."""
    return {
        **os.environ,
        "PORTAL_ENV": "development",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": "0",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(
    database_url: str, *, workers: int, port: int | None = None, **env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Serve benchmarks/_wsgi.py with sync workers; yields (base URL, master process)."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "gunicorn", "benchmarks._wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
        "--backlog", "2048", "--timeout", "60", "--graceful-timeout", "5",
        "--log-level", "warning", "--config", str(ROOT / "gunicorn.conf.py"),
        "--access-logfile", "/dev/null",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=server_env(database_url, **env))
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base, process
    finally:
        _stop(process)


@contextlib.contextmanager
def plain_gunicorn(*, workers: int) -> Iterator[str]:
    """A bare Flask "hello" on gunicorn as installed: sync workers, no config file; yields its URL.

    The ceiling the portal is measured against. It runs from an empty directory so gunicorn does
    not pick up the portal's ./gunicorn.conf.py by default.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "benchmarks._bare:bare_app()",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GUNICORN_CMD_ARGS", None)
    with tempfile.TemporaryDirectory() as empty:
        process = subprocess.Popen(command, cwd=empty, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process, probe="/hello")
            yield base
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_up(base: str, process: subprocess.Popen[bytes], probe: str = "/healthz") -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        with contextlib.suppress(OSError):
            if Session(base).get(probe).status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start within 60 s")


def worker_pids(master: int) -> list[int]:
    """Gunicorn worker process ids (children of the master)."""
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False
    )
    return [int(pid) for pid in out.stdout.split()]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str
    location: str = ""


@dataclass
class Session:
    """A browser-like HTTP session (cookies, redirects) over http.client: stdlib only."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0

    def _connection(self) -> http.client.HTTPConnection:
        parsed = urllib.parse.urlsplit(self.base)
        return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=self.timeout)

    def request(self, method: str, path: str, body: dict[str, object] | None = None) -> Reply:
        headers = {"Connection": "close", "Accept-Language": "en"}
        data = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = self._connection()
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for key, value in response.getheaders():
                if key.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookie_value = rest.split(";", 1)[0]
                    if cookie_value and "Max-Age=0" not in value:
                        self.cookies[name.strip()] = cookie_value
                    else:
                        self.cookies.pop(name.strip(), None)
            location = response.getheader("Location") or ""
            return Reply(response.status, dict(response.getheaders()), text, location)
        finally:
            connection.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, body: dict[str, object]) -> Reply:
        return self.request("POST", path, body)

    def follow(self, reply: Reply, limit: int = 6) -> tuple[str, Reply]:
        """Follow redirects with GET; returns the final path and reply."""
        path = ""
        while reply.status in (301, 302, 303, 307) and limit:
            path = urllib.parse.urlsplit(reply.location).path or reply.location
            query = urllib.parse.urlsplit(reply.location).query
            reply = self.get(path + (f"?{query}" if query else ""))
            limit -= 1
        return path, reply


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, object]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get"),
                               "fields": {}})  # fmt: skip
            return
        if not self.forms:
            return
        fields: dict[str, list[tuple[str, str]]] = self.forms[-1]["fields"]  # type: ignore[assignment]
        if tag in ("input", "textarea") and a.get("name"):
            fields.setdefault(a["name"], []).append((a.get("type", "text"), a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select:
            fields.setdefault(self._select, []).append(("option", a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def answer_form(
    html: str, page_path: str, text: str = "Fine"
) -> tuple[str, dict[str, str | list[str]]] | None:
    """The page's main POST form filled in with the first offered choice and `text` for text."""
    parser = _Form()
    parser.feed(html)
    for form in parser.forms:
        if str(form["method"]).lower() != "post" or "sign-out" in str(form["action"]):
            continue
        body: dict[str, str | list[str]] = {}
        for name, offered in form["fields"].items():  # type: ignore[union-attr]
            kinds = {kind for kind, _ in offered}
            if kinds & {"radio", "option", "checkbox"}:
                body[name] = next(value for kind, value in offered if kind != "hidden")
            elif kinds & {"text", "textarea", "email", "number"} and name != "csrf_token":
                body[name] = "3" if "number" in kinds else text
            elif len(offered) > 1:
                body[name] = [value for _kind, value in offered]  # e.g. every question shown
            else:
                body[name] = offered[0][1]
        return str(form["action"]) or page_path, body
    return None


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def populate(
    database_url: str,
    count: int,
    *,
    stage: str = "consultation",
    due_emails: bool = False,
    due_texts: bool = False,
) -> list[str]:
    """Add `count` child invitations (a child each) and return their raw link tokens.

    With `due_emails` they are instead email invitations due today and not yet sent, each to its
    own address, for `portal send-due` to find; with `due_texts`, texts due today to a mobile in
    Ofcom's drama range (never a real phone).
    """
    from portal import create_app
    from portal.crypto.tokens import hash_token, new_token
    from portal.extensions import db
    from portal.models import Child, Invitation, Review, StaffUser
    from portal.questionnaires import catalogue

    app = create_app(app_config(database_url))
    tokens = []
    today = dt.date.today()
    with app.app_context():
        form = catalogue().choose(stage, "child", "cared_for") or next(iter(catalogue()), None)
        iro = StaffUser(email=f"iro.{secrets.token_hex(3)}@example.org", role="iro", name="IRO")
        db.session.add(iro)
        for index in range(count):
            child = Child(
                case_ref=f"B-{secrets.token_hex(5)}", first_name=f"Child{index}",
                date_of_birth=today.replace(year=today.year - 9 - index % 8), iro=iro,
            )  # fmt: skip
            review = Review(child=child, kind="cared_for", iro=iro,
                            review_date=today + dt.timedelta(days=20))  # fmt: skip
            token = new_token()
            sending = (
                {"recipient_email": f"child{index}.{secrets.token_hex(3)}@example.org",
                 "channel": "email", "due_at": today}
                if due_emails else {"sent_at": dt.datetime.now(dt.UTC)}
            )  # fmt: skip
            if due_texts:
                sending = {"recipient_mobile": f"+4477009{index % 1000:05d}", "channel": "sms",
                           "due_at": today}  # fmt: skip
            db.session.add_all([child, review, Invitation(
                review=review, review_date=review.review_date, review_kind="cared_for",
                stage=form.stage if form else stage, role="child",
                form_key=form.key if form else "child_consultation",
                token_hash=hash_token(token),
                expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=60), **sending,
            )])  # fmt: skip
            tokens.append(token)
        db.session.commit()
        db.engine.dispose()
    return tokens
