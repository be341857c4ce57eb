"""A rate-limit store outage (Redis down) must not lock respondents or staff out: limits fall
back to each process's memory with a logged warning, and /healthz reports the database and the
rate-limit store separately (503 only when the database is down)."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import pytest
from flask import Flask

from portal import create_app
from tests.conftest import TEST_PASSWORD, _config, csrf_token
from tests.security.world import World

DEAD_REDIS = "redis://127.0.0.1:1"  # nothing listens on port 1
LIVE_REDIS = "redis://127.0.0.1:6379"


@pytest.fixture
def dead_store(app_config: dict) -> None:
    app_config["RATELIMIT_STORAGE_URI"] = DEAD_REDIS


def test_respondents_and_staff_get_their_normal_pages_while_the_store_is_down(
    dead_store, app: Flask, world: World, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.WARNING)
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
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("in-memory" in r.getMessage() for r in warnings)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert link.token not in logged and world.emails["iro"] not in logged


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
