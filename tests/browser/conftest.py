"""Real Chromium (Debian's /usr/bin/chromium) through Playwright, phone-sized by default."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("/usr/bin/chromium is missing: .ci/run must install it")
    skip = pytest.mark.skip(reason="Chromium is not installed: apt-get install -y chromium")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 375, "height": 667}}


@pytest.fixture
def artifacts() -> Path:
    """Where browser tests keep screenshots (ignored by git, kept by CI logs)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
