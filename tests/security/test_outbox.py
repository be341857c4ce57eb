"""Outbox .eml files (MAIL_URL empty) hold live links and names.

Written 0600 under a temporary name and renamed, so a full disk never leaves a 0-byte or half
file, and the failure is recorded on the item; `portal purge` removes files past
OUTBOX_RETENTION_DAYS.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

import pytest

from portal.delivery import mail
from portal.models import Invitation
from tests.integration.workspace import (
    add_invitation,
    get,
    make_review,
    working_days_ahead,
)

MESSAGE = mail.Mail(to=["mum@example.org"], subject="Have your say", text="A link", kind="test")


def _outbox(app) -> Path:
    return Path(app.config["OUTBOX_DIR"])


def _files(app) -> list[Path]:
    directory = _outbox(app)
    return sorted(directory.iterdir()) if directory.exists() else []


def test_an_outbox_file_is_readable_by_its_owner_only_and_complete(app):
    with app.app_context():
        mail.send(MESSAGE)
    [path] = _files(app)
    assert path.suffix == ".eml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"A link" in path.read_bytes()


def _disk_full_after(monkeypatch, budget: int) -> None:
    """os.write writes up to `budget` bytes in all, then fails as a full disk does."""
    real_write = os.write
    left = [budget]

    def write(descriptor: int, data: bytes) -> int:
        if left[0] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        written = real_write(descriptor, bytes(data[: left[0]]))
        left[0] -= written
        return written

    monkeypatch.setattr(os, "write", write)


@pytest.mark.parametrize("budget", [0, 40])
def test_a_full_disk_leaves_no_file_and_the_send_fails(app, monkeypatch, budget):
    _disk_full_after(monkeypatch, budget)
    with app.app_context(), pytest.raises(mail.MailError):
        mail.send(MESSAGE)
    assert _files(app) == []


def test_a_full_disk_is_recorded_on_the_invitation_and_the_run_exits_1(
    app, make_staff, runner, monkeypatch
):
    review_id = make_review(app, make_staff("iro"), review_date=working_days_ahead(8))
    invitation_id = add_invitation(app, review_id, "parent")
    _disk_full_after(monkeypatch, 0)
    result = runner.invoke(args=["send-due"])
    assert result.exit_code == 1 and "failed 1" in result.output
    invitation = get(app, Invitation, invitation_id)
    assert invitation.sent_at is None and invitation.send_error == "OSError"
    assert _files(app) == []


def _age(path: Path, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def test_purge_removes_outbox_files_past_the_outbox_retention_and_keeps_newer(app, runner):
    with app.app_context():
        for _ in range(3):
            mail.send(MESSAGE)
    old, older, new = _files(app)
    _age(old, 15)
    _age(older, 400)
    stray = _outbox(app) / ".left-by-a-crash.eml.tmp"
    stray.write_bytes(b"half")
    _age(stray, 20)
    keep = _outbox(app) / "notes.txt"  # not ours: never touched
    keep.write_text("x")
    _age(keep, 400)
    assert app.config["OUTBOX_RETENTION_DAYS"] == 14
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0 and "outbox_files 3" in dry.output
    assert len(_files(app)) == 5
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "outbox_files 3" in result.output, result.output
    assert _files(app) == sorted([new, keep])
    assert "outbox_files 0" in runner.invoke(args=["purge"]).output


def test_purge_without_an_outbox_directory_is_fine(app, runner):
    assert not _outbox(app).exists()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "outbox_files 0" in result.output


def test_the_outbox_retention_comes_from_configuration(app, runner):
    app.config["OUTBOX_RETENTION_DAYS"] = 2
    with app.app_context():
        mail.send(MESSAGE)
    [path] = _files(app)
    _age(path, 3)
    assert "outbox_files 1" in runner.invoke(args=["purge"]).output
