"""Fixtures for the security suites: a populated world and clients signed in as each role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TEST_PASSWORD, csrf_token
from tests.security.world import World, build_world


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


@pytest.fixture
def client_as(app: Flask, world: World) -> Callable[[str | None], FlaskClient]:
    """A fresh test client signed in as a world staff label (None: anonymous)."""

    def make(label: str | None) -> FlaskClient:
        client = app.test_client()
        if label is None:
            return client
        token = csrf_token(client, "/auth/sign-in")
        response = client.post(
            "/auth/sign-in",
            data={"csrf_token": token, "email": world.emails[label], "password": TEST_PASSWORD},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        return client

    return make
