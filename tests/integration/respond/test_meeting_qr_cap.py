"""A meeting QR code's response cap holds at submission, not only at scan time.

Sessions opened while there was room must not all be stored: the place is taken atomically
when the answers are sent, so parallel submits (real threads; real concurrent connections on
PostgreSQL via TEST_DATABASE_URL) never store more than the cap. Submissions are also rate
limited per QR code.
"""

from __future__ import annotations

import importlib.util
import threading

from flask import Flask
from flask.testing import FlaskClient

from portal.config import PROJECT_ROOT
from portal.extensions import db
from portal.models import Draft, MeetingQR, Response
from portal.web.respond.views import QR_SUBMIT_RATE_LIMIT
from tests.integration.respond.test_meeting_qr import new_qr
from tests.respond_support import csrf_from, post_page

MIGRATION = PROJECT_ROOT / "migrations" / "versions" / "0006_links.py"
FULL_TITLE = "This QR code has been used as many times as it allows"


def ready_to_send(app: Flask, raw: str, language: str = "en") -> tuple[FlaskClient, str]:
    """A phone that scanned the code, answered the form and has the check page's CSRF token."""
    phone = app.test_client()
    phone.get(f"/m/{raw}")
    phone.get(f"/m/role?lang={language}")
    scan_and_pick_role(phone)
    token = csrf_from(phone.get("/r/start").get_data(as_text=True))
    phone.post("/r/start", data={"csrf_token": token})
    assert post_page(phone, 1, {"received_form": "no"}).status_code == 302
    return phone, csrf_from(phone.get("/r/check").get_data(as_text=True))


def scan_and_pick_role(phone: FlaskClient) -> None:
    token = csrf_from(phone.get("/m/role").get_data(as_text=True))
    assert phone.post("/m/role", data={"csrf_token": token, "role": "parent"}).status_code == 302


def stored(app: Flask) -> tuple[int, int]:
    """(responses stored, the QR code's places taken)."""
    with app.app_context():
        responses = db.session.scalar(db.select(db.func.count(Response.id)))
        taken = db.session.scalar(db.select(MeetingQR.responses_taken))
        return responses, taken


def test_six_sessions_opened_under_a_cap_of_two_store_exactly_two(app: Flask):
    raw, _ = new_qr(app, max_responses=2)
    phones = [ready_to_send(app, raw, "cy" if n == 5 else "en") for n in range(6)]
    answers = [phone.post("/r/check", data={"csrf_token": token}) for phone, token in phones]
    assert [a.status_code for a in answers] == [302, 302, 409, 409, 409, 409]
    assert stored(app) == (2, 2)
    refused = answers[2].get_data(as_text=True)
    assert FULL_TITLE in refused and "your answers were not saved" in refused
    assert "Mae'r cod QR hwn" in answers[5].get_data(as_text=True)  # in the phone's language
    with app.app_context():
        answered = db.select(Response.invitation_id)
        left = db.session.scalars(db.select(Draft).where(Draft.invitation_id.not_in(answered)))
        assert left.all() == []  # the refused answers are not kept as drafts either


def test_parallel_submits_never_store_more_than_the_cap(app: Flask):
    raw, _ = new_qr(app, max_responses=2)
    phones = [ready_to_send(app, raw) for _ in range(6)]
    barrier = threading.Barrier(len(phones), timeout=30)
    statuses: list[int] = []

    def press(phone: FlaskClient, token: str) -> None:
        barrier.wait()
        statuses.append(phone.post("/r/check", data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=press, args=pair) for pair in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 302, 409, 409, 409, 409]
    assert stored(app) == (2, 2)


def test_a_scan_after_the_cap_was_taken_at_submission_is_refused(app: Flask):
    raw, _ = new_qr(app, max_responses=1)
    phone, token = ready_to_send(app, raw)
    assert phone.post("/r/check", data={"csrf_token": token}).status_code == 302
    page = app.test_client().get(f"/m/{raw}")
    assert page.status_code == 410 and FULL_TITLE in page.get_data(as_text=True)


def test_submissions_are_rate_limited_per_qr_code(app: Flask):
    limit = int(QR_SUBMIT_RATE_LIMIT.split()[0])
    raw, _ = new_qr(app, max_responses=limit + 5)
    other_raw, _ = new_qr(app)
    first, first_token = ready_to_send(app, raw)
    second, second_token = ready_to_send(app, raw)
    elsewhere, elsewhere_token = ready_to_send(app, other_raw)
    for _ in range(limit):
        assert first.post("/r/check", data={"csrf_token": first_token}).status_code < 429
    # Another phone on the same code is limited; a phone on another code is not.
    assert second.post("/r/check", data={"csrf_token": second_token}).status_code == 429
    assert elsewhere.post("/r/check", data={"csrf_token": elsewhere_token}).status_code == 302


def test_the_migration_counts_responses_already_received_as_places_taken(app: Flask):
    raw, _ = new_qr(app, max_responses=5)
    for phone, token in [ready_to_send(app, raw) for _ in range(3)]:
        assert phone.post("/r/check", data={"csrf_token": token}).status_code == 302
    new_qr(app)  # a code nobody answered through
    spec = importlib.util.spec_from_file_location("migration_0006", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with app.app_context():
        db.session.execute(db.update(MeetingQR).values(responses_taken=0))
        db.session.execute(db.text(migration.BACKFILL))
        db.session.commit()
        taken = db.session.scalars(db.select(MeetingQR.responses_taken).order_by(MeetingQR.id))
        assert taken.all() == [3, 0]
