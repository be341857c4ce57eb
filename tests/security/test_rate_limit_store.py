"""A rate-limit store outage (Redis down) must not lock respondents or staff out: limits fall
back to each process's memory with a logged warning, and /healthz reports the database and the
rate-limit store separately (503 only when the database is down)."""

from __future__ import annotations

import logging
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from portal import create_app
from tests.conftest import TEST_PASSWORD, _config, csrf_token
from tests.security.world import World

DEAD_REDIS = "redis://127.0.0.1:1"  # nothing listens on port 1
LIVE_REDIS = "redis://127.0.0.1:6379"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dead_store(app_config: dict) -> None:
    app_config["RATELIMIT_STORAGE_URI"] = DEAD_REDIS


def test_respondents_and_staff_get_their_normal_pages_while_the_store_is_down(
    dead_store, app: Flask, world: World, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    link, coded = world.links[0], world.links[2]
    respondent = app.test_client()
    assert respondent.get(f"/r/{link.token}").status_code == 302
    typed = app.test_client()
    token = csrf_token(typed, "/q")
    assert typed.post("/q", data={"csrf_token": token, "code": coded.code}).status_code == 302
    staff = app.test_client()
    token = csrf_token(staff, "/auth/sign-in")
    signed_in = staff.post(
        "/auth/sign-in",
        data={"csrf_token": token, "email": world.emails["iro"], "password": TEST_PASSWORD},
    )
    assert signed_in.status_code == 302
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert link.token not in logged and world.emails["iro"] not in logged


# Run in a fresh process: Flask-Limiter warns when its process first finds the store down, and
# the tests' one process has many apps sharing one limiter.
FIRST_OUTAGE = """
import logging, sys
from portal import create_app
from tests.conftest import _config
logging.basicConfig(level=logging.WARNING, stream=sys.stdout)
app = create_app(_config(sys.argv[1], __import__("pathlib").Path(sys.argv[2]),
                         RATELIMIT_STORAGE_URI=sys.argv[3]))
print(app.test_client().get("/r/" + "x" * 43).status_code)
"""


def test_a_process_that_finds_the_store_down_warns_and_carries_on(
    database_url: str, tmp_path: Path
):
    command = [sys.executable, "-c", FIRST_OUTAGE, database_url, str(tmp_path), DEAD_REDIS]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert any("WARNING" in line and "in-memory" in line for line in lines), run.stdout
    assert lines[-1] == "404"


def test_limits_still_apply_per_process_while_the_store_is_down(dead_store, app: Flask):
    client = app.test_client()
    guesses = [client.get(f"/r/{secrets.token_urlsafe(32)}").status_code for _ in range(40)]
    assert 429 in guesses and all(status < 500 for status in guesses)


def test_healthz_says_degraded_when_only_the_rate_limit_store_is_down(dead_store, app: Flask):
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {
        "status": "degraded",
        "database": "ok",
        "rate_limit_store": "down",
    }


@pytest.mark.parametrize(("uri", "reported"), [(LIVE_REDIS, "ok"), ("memory://", "memory")])
def test_healthz_names_the_rate_limit_store_it_uses(
    app_config: dict, uri: str, reported: str, request: pytest.FixtureRequest
):
    app_config["RATELIMIT_STORAGE_URI"] = uri
    app = request.getfixturevalue("app")
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "database": "ok", "rate_limit_store": reported}


def test_healthz_answers_503_when_the_database_is_down(tmp_path: Path):
    unreachable = f"sqlite:///{tmp_path / 'no-such-directory' / 'portal.db'}"
    app = create_app(_config(unreachable, tmp_path))
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "down", "database": "down", "rate_limit_store": "memory"}
