"""Running send-due from the integration tests, once or as two copies at the same moment."""

from __future__ import annotations

import datetime as dt
import threading

from flask import Flask

from portal.delivery.sending import SendReport, send_due
from portal.extensions import db as _db


def send_today(app: Flask, today: dt.date | None = None) -> SendReport:
    """One run of send-due, as the scheduled job makes it."""
    with app.app_context():
        return send_due(today or dt.date.today())


def send_from_two_copies_at_once(app: Flask) -> list[SendReport]:
    """Two runs of send-due released at the same moment, as two schedulers started together
    would make them; fails the test if either run raised."""
    barrier = threading.Barrier(2)
    reports: list[SendReport] = []
    errors: list[Exception] = []

    def copy() -> None:
        try:
            with app.app_context():
                barrier.wait()
                reports.append(send_due(dt.date.today()))
                _db.session.remove()
        except Exception as error:  # an exception in a thread would not fail the test
            errors.append(error)

    threads = [threading.Thread(target=copy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return reports
