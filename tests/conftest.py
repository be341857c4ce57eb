"""Shared fixtures: a real database (SQLite, or PostgreSQL via TEST_DATABASE_URL), the app,
clients that check every page, staff sign-in, a real SMTP server and a live HTTP server.

The schema is built once per run by the real Alembic migrations; each test then starts from
empty tables.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from portal import create_app
from portal.crypto.passwords import hash_password
from portal.extensions import db as _db
from portal.models import StaffUser
from tests.pagecheck import PageCheckingClient

os.environ.setdefault("PORTAL_ENV", "testing")
TEST_PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def _create_postgres_database(base_url: str) -> tuple[str, Callable[[], None]]:
    """A fresh database beside `base_url`'s, dropped again at the end of the run."""
    url = sa.engine.make_url(base_url)
    name = f"portal_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The run's database, migrated to the latest schema."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if base.startswith("postgresql"):
        url, drop = _create_postgres_database(base)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        drop = lambda: None  # noqa: E731
    app = create_app(_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision="heads")
        _db.engine.dispose()
    yield url
    drop()


def _config(url: str, instance: Path, **overrides: Any) -> dict[str, Any]:
    return {
        "PORTAL_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_DIR": str(instance),
        "OUTBOX_DIR": str(instance / "outbox"),
        "MAIL_URL": "",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        **overrides,
    }


def _empty_tables() -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        _db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Per-test config overrides: a test or fixture may add keys before `app` is built."""
    return {}


@pytest.fixture
def app(database_url: str, tmp_path: Path, app_config: dict[str, Any]) -> Iterator[Flask]:
    """The application on the run's database, with empty tables."""
    application = create_app(_config(database_url, tmp_path, **app_config))
    application.test_client_class = PageCheckingClient
    yield application
    with application.app_context():
        _db.session.remove()
        _empty_tables()
        _db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """The database inside an app context (for tests that work with models directly)."""
    with app.app_context():
        yield _db
        _db.session.rollback()


def csrf_token(client: FlaskClient, url: str) -> str:
    """GET a page and return the CSRF token from its form."""
    page = client.get(url)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} (status {page.status_code})"
    return match.group(1)


@pytest.fixture
def make_staff(app: Flask) -> Callable[..., int]:
    """Create a staff user; returns their id. Password is TEST_PASSWORD."""
    with app.app_context():  # the testing config's argon2 parameters
        password_hash = hash_password(TEST_PASSWORD)

    def make(role: str = "admin", email: str | None = None, **fields: Any) -> int:
        with app.app_context():
            user = StaffUser(
                email=email or f"{role}.{secrets.token_hex(3)}@example.org",
                name=fields.pop("name", f"Test {role}"),
                role=role,
                password_hash=password_hash,
                **fields,
            )
            _db.session.add(user)
            _db.session.commit()
            return user.id

    return make


@pytest.fixture
def sign_in(app: Flask) -> Callable[[FlaskClient, int], None]:
    """Sign a client in as the given staff user through the real sign-in form."""

    def do_sign_in(client: FlaskClient, user_id: int) -> None:
        with app.app_context():
            email = _db.session.get(StaffUser, user_id).email
        token = csrf_token(client, "/auth/sign-in")
        response = client.post(
            "/auth/sign-in", data={"csrf_token": token, "email": email, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]

    return do_sign_in


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps what it receives."""

    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """Start aiosmtpd in a thread; set `app_config["MAIL_URL"] = smtp_sink.url` to use it."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink("127.0.0.1", free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@dataclass
class LiveServer:
    url: str
    app: Flask


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """Serve the app from a real HTTP server thread on a free port (for the browser)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def notify_stand_in() -> Iterator[Any]:
    """A local GOV.UK Notify API (tests/notify_stand_in.py); configure the app with
    `notify_config(notify_stand_in)` to send through it."""
    from tests.notify_stand_in import running

    yield from running()


def notify_config(stand_in: Any) -> dict[str, str]:
    """The settings that send through the stand-in (as a council sets them for Notify)."""
    from tests.notify_stand_in import EMAIL_TEMPLATE_ID, SMS_TEMPLATE_ID

    return {
        "NOTIFY_API_KEY": stand_in.api_key,
        "NOTIFY_BASE_URL": stand_in.url,
        "NOTIFY_EMAIL_TEMPLATE_ID": EMAIL_TEMPLATE_ID,
        "NOTIFY_SMS_TEMPLATE_ID": SMS_TEMPLATE_ID,
    }
