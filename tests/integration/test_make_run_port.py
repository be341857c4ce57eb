"""`make run PORT=5101` prints demo links on port 5101 unless PORTAL_BASE_URL is set."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _demo_environment(extra: dict[str, str]) -> str:
    """Run the shell line `make run` would use for `portal demo`, printing its environment."""
    env = {k: v for k, v in os.environ.items() if k != "PORTAL_BASE_URL"} | extra
    planned = subprocess.run(
        ["make", "-n", "run", "PORT=5101"], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout
    line = next(x for x in planned.splitlines() if "portal demo" in x)
    command = line.replace(".venv/bin/portal demo --history", "env")
    return subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_demo_links_follow_the_port():
    assert "PORTAL_BASE_URL=http://127.0.0.1:5101\n" in _demo_environment({})


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_an_explicit_base_url_wins():
    printed = _demo_environment({"PORTAL_BASE_URL": "https://portal.example.org"})
    assert "PORTAL_BASE_URL=https://portal.example.org\n" in printed
