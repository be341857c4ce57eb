"""Fixtures the IRO workspace tests share: staff signed in through the real sign-in form."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient


@pytest.fixture
def signed_in(
    app: Flask, sign_in: Callable[[FlaskClient, int], None]
) -> Callable[[int], FlaskClient]:
    """Make a new client signed in as the given staff user (one client a person, so that two
    people in one test keep their own sessions)."""

    def make(user_id: int) -> FlaskClient:
        client = app.test_client()
        sign_in(client, user_id)
        return client

    return make


@pytest.fixture
def iro_id(make_staff: Callable[..., int]) -> int:
    """An IRO named Priya IRO, the name the workspace pages show for them."""
    return make_staff("iro", name="Priya IRO")


@pytest.fixture
def iro(iro_id: int, signed_in: Callable[[int], FlaskClient]) -> FlaskClient:
    """A client signed in as that IRO."""
    return signed_in(iro_id)
