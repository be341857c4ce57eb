"""`portal send-due` at speed without giving up at-most-once (ADRs 0060, 0076): one SMTP
connection for the run, renewed every MESSAGES_PER_CONNECTION messages and when the server has
closed it; items claimed in batches, each batch committed before any of its messages goes."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import event, select

from portal.delivery import mail, sending
from portal.delivery.sending import send_due
from portal.extensions import db
from portal.models import AuditEvent, Invitation
from tests.integration.sending import send_watching_statements
from tests.integration.workspace import add_invitation, make_review, working_days_ahead


@pytest.fixture
def app_config(smtp_sink):
    return {"MAIL_URL": smtp_sink.url, "PORTAL_BASE_URL": "https://portal.example"}


@pytest.fixture
def connects(monkeypatch):
    made: list[object] = []
    real = mail._connect

    def counting(url: str):
        made.append(url)
        return real(url)

    monkeypatch.setattr(mail, "_connect", counting)
    return made


def due(app, iro_id: int, count: int) -> None:
    review_id = make_review(app, iro_id, review_date=working_days_ahead(8))
    for n in range(count):
        add_invitation(app, review_id, "parent", email=f"p{n}@example.org", recipient_name="P")


def test_one_connection_for_the_run_and_each_email_once(app, make_staff, smtp_sink, connects):
    due(app, make_staff("iro"), 5)
    with app.app_context():
        statements: list[str] = []
        report = send_watching_statements(statements.append)
        assert (report.sent, report.failed) == (5, 0)
        assert sorted(m["To"] for m in smtp_sink.messages) == [
            f"p{n}@example.org" for n in range(5)
        ]
        assert len(connects) == 1
        # Per email: the claim and the audit event; a batch: one load (review, child and
        # message joined) and the reviews' invitations; a run: the two candidate queries.
        assert len(statements) <= 4 + 2 * 5, "\n".join(s[:80] for s in statements)
        sent = db.session.execute(select(AuditEvent).where(AuditEvent.action == "invitation_sent"))
        assert len(sent.all()) == 5
        assert send_due(dt.date.today()).sent == 0


def test_the_connection_is_renewed_every_so_many_messages(
    app, make_staff, smtp_sink, connects, monkeypatch
):
    monkeypatch.setattr(mail, "MESSAGES_PER_CONNECTION", 2)
    due(app, make_staff("iro"), 5)
    with app.app_context():
        assert send_due(dt.date.today()).sent == 5
    assert len(connects) == 3 and len(smtp_sink.messages) == 5


def test_a_connection_the_server_closed_is_opened_again(app, smtp_sink, connects):
    message = mail.Mail(to=["a@example.org"], subject="Hello", text="Hello")
    with app.app_context(), mail.kept_connection():
        mail.send(message)
        g.get(mail._KEPT).client.sock.shutdown(socket.SHUT_RDWR)  # as an idle timeout would
        mail.send(message)
        assert g.get(mail._KEPT) is not None
    with app.app_context():
        assert g.get(mail._KEPT) is None  # closed and forgotten at the end of the block
    assert len(connects) == 2 and len(smtp_sink.messages) == 2


def test_a_refused_message_fails_alone_on_the_kept_connection(app, make_staff, smtp_sink):
    due(app, make_staff("iro"), 3)
    with app.app_context():
        bad = db.session.execute(select(Invitation).order_by(Invitation.id)).scalars().first()
        bad.recipient_email = "broken\r\n@example.org"
        db.session.commit()
        report = send_due(dt.date.today())
    assert (report.sent, report.failed) == (2, 1)
    assert len(smtp_sink.messages) == 2


def test_without_mail_url_the_outbox_is_used_as_before(app, make_staff, connects):
    app.config["MAIL_URL"] = ""
    due(app, make_staff("iro"), 2)
    with app.app_context():
        assert send_due(dt.date.today()).sent == 2
    assert len(list(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))) == 2
    assert connects == []


def test_each_message_goes_only_after_its_batch_of_claims_is_committed(
    app, make_staff, smtp_sink, monkeypatch
):
    monkeypatch.setattr(sending, "CLAIM_BATCH", 2)
    due(app, make_staff("iro"), 5)
    seen_claimed: list[bool] = []
    real_send = mail.send

    def send_and_look(message, reference=""):
        # A connection of its own sees only what is committed, as a second copy of send-due would.
        with db.engine.connect() as other:
            sent_at = other.execute(
                select(Invitation.sent_at).where(Invitation.recipient_email == message.to[0])
            ).scalar_one()
        seen_claimed.append(sent_at is not None)
        return real_send(message, reference)

    monkeypatch.setattr(mail, "send", send_and_look)
    with app.app_context():
        commits: list[object] = []
        count = commits.append  # one bound method: `remove` finds listeners by identity
        session = db.session()  # this app context's session, which send_due uses
        event.listen(session, "after_commit", count)
        try:
            report = send_due(dt.date.today())
        finally:
            event.remove(session, "after_commit", count)
    assert report.sent == 5 and seen_claimed == [True] * 5
    assert len(commits) == 2 * 3  # three batches: the claims, then the results, of each
