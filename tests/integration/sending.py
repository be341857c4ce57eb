"""Running send-due from the integration tests, once or as two copies at the same moment."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from flask import Flask
from sqlalchemy import event

from portal.delivery.sending import SendReport, send_due
from portal.extensions import db as _db


def send_today(app: Flask, today: dt.date | None = None) -> SendReport:
    """One run of send-due, as the scheduled job makes it."""
    with app.app_context():
        return send_due(today or dt.date.today())


def send_watching_statements(on_statement: Callable[[str], object]) -> SendReport:
    """One run of send-due in the current app context, `on_statement` called with each SQL
    statement as it goes to the database."""
    listener = lambda *args: on_statement(args[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(_db.engine, "before_cursor_execute", listener)
    try:
        return send_due(dt.date.today())
    finally:
        event.remove(_db.engine, "before_cursor_execute", listener)


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
