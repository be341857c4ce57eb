"""Argon2 parameters: argon2-cffi's recommended ones everywhere but the test suite, where
thousands of hashes test the sign-in flow, not the cost of guessing."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from portal import create_app
from portal.crypto.passwords import hash_password, verify_password

PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize("environment", ["production", "development"])
def test_real_environments_hash_with_the_recommended_parameters(environment, tmp_path):
    app = create_app(
        {"PORTAL_ENV": environment, "SECRET_KEY": "x" * 40, "PORTAL_INSTANCE_DIR": str(tmp_path)}
    )
    with app.app_context():
        stored = hash_password(PASSWORD)
    parameters = extract_parameters(stored)
    assert (parameters.time_cost, parameters.memory_cost) == (
        RFC_9106_LOW_MEMORY.time_cost,
        RFC_9106_LOW_MEMORY.memory_cost,
    )
    assert extract_parameters(hash_password(PASSWORD)) == parameters  # outside an app too


def test_the_test_suite_hashes_cheaply_and_verifies_as_ever():
    app = create_app({"PORTAL_ENV": "testing", "SECRET_KEY": "x" * 40})
    with app.app_context():
        stored = hash_password(PASSWORD)
        assert verify_password(stored, PASSWORD)
        assert not verify_password(stored, "wrong " + PASSWORD)
        assert not verify_password(None, PASSWORD)
    assert stored.startswith("$argon2id$")
    assert extract_parameters(stored).memory_cost <= 1024
