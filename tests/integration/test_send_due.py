"""`portal send-due` against a real SMTP server: due invitations and reminders go exactly once."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.crypto.tokens import hash_short_code, hash_token, short_code_key
from portal.extensions import db as _db
from portal.models import AuditEvent, Invitation, SafeguardingAlert, StaffUser
from portal.rules.workdays import reminder_dates
from tests.conftest import free_port
from tests.integration.sending import send_from_two_copies_at_once, send_today
from tests.integration.workspace import (
    add_alert,
    add_invitation,
    due_review,
    get,
    mail_part,
    make_review,
    working_days_ahead,
)

BASE = "https://portal.example"


@pytest.fixture
def app_config(smtp_sink):
    return {"MAIL_URL": smtp_sink.url, "PORTAL_BASE_URL": BASE}


def test_a_due_invitation_is_emailed_once_with_a_working_link_and_short_code(
    app, iro_id, smtp_sink
):
    review_id = due_review(app, iro_id)
    invitation_id = add_invitation(app, review_id, "parent", email="mum@example.org")
    report = send_today(app)
    assert (report.sent, report.failed) == (1, 0)
    assert send_today(app).sent == 0
    [message] = smtp_sink.messages
    assert message["To"] == "mum@example.org"
    text, html = mail_part(message, "plain"), mail_part(message, "html")
    token = re.search(rf"{BASE}/r/([A-Za-z0-9_-]+)", text).group(1)
    code = re.search(r"type this code: ([A-Z0-9]{4})-([A-Z0-9]{4})", text)
    invitation = get(app, Invitation, invitation_id)
    assert invitation.token_hash == hash_token(token)
    assert invitation.short_code_hash == hash_short_code(
        code.group(1) + code.group(2), short_code_key(app.config)
    )
    assert invitation.sent_at is not None and invitation.expires_at is not None
    assert f'href="{BASE}/r/{token}"' in html
    assert "Maya" in text
    with app.app_context():
        assert _db.session.query(AuditEvent).filter_by(action="invitation_sent").count() == 1


def test_the_email_is_in_the_recipients_language(app, iro_id, smtp_sink):
    review_id = due_review(app, iro_id)
    add_invitation(app, review_id, "child", email="maya@example.org", language="ar")
    send_today(app)
    html = mail_part(smtp_sink.messages[0], "html")
    assert '<html lang="ar" dir="rtl">' in html
    # The address and code read left to right inside the Arabic sentence.
    assert re.search(r'<bdi dir="ltr">[A-Z0-9]{4}-[A-Z0-9]{4}</bdi>', html)
    assert f'<bdi dir="ltr">{BASE}/q</bdi>' in html


@pytest.mark.parametrize(
    "fields",
    [
        {"channel": "post"},
        {"email": None, "channel": "hand"},
        {"returned_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "return_channel": "paper"},
        {"revoked_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
    ],
)
def test_post_returned_and_revoked_invitations_are_not_emailed(app, iro_id, smtp_sink, fields):
    review_id = due_review(app, iro_id)
    add_invitation(app, review_id, "parent", **fields)
    assert send_today(app).sent == 0
    assert smtp_sink.messages == []


def test_nothing_goes_before_the_send_by_date_or_for_a_stood_down_review(app, iro_id, smtp_sink):
    later = make_review(app, iro_id, review_date=working_days_ahead(15))
    add_invitation(app, later, "parent")
    stood_down = due_review(app, iro_id, status="stood_down")
    add_invitation(app, stood_down, "parent")
    assert send_today(app).sent == 0
    assert smtp_sink.messages == []


def test_feedback_goes_once_the_review_is_held(app, iro_id, smtp_sink):
    review_id = make_review(app, iro_id, review_date=dt.date.today(), status="held")
    invitation_id = add_invitation(app, review_id, "parent", stage="feedback",
                                   due_at=dt.date.today())  # fmt: skip
    assert send_today(app).sent == 1
    assert "how it went" in mail_part(smtp_sink.messages[0])
    assert get(app, Invitation, invitation_id).sent_at is not None


def test_two_reminders_on_their_working_days_and_never_after_return(app, iro_id, smtp_sink):
    review_date = working_days_ahead(15)
    first, second = reminder_dates(review_date)
    review_id = make_review(app, iro_id, review_date=review_date)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    reminded = add_invitation(app, review_id, "parent", email="a@example.org", sent_at=long_ago)
    returned = add_invitation(app, review_id, "carer", email="b@example.org", sent_at=long_ago)
    with app.app_context():
        _db.session.get(Invitation, returned).returned_at = dt.datetime.now(dt.UTC)
        _db.session.commit()
    assert send_today(app, first - dt.timedelta(days=1)).reminded == 0
    assert send_today(app, first).reminded == 1
    assert send_today(app, first).reminded == 0  # once a day at most
    assert send_today(app, second).reminded == 1
    assert send_today(app, second + dt.timedelta(days=1)).reminded == 0  # at most two
    assert [m["To"] for m in smtp_sink.messages] == ["a@example.org", "a@example.org"]
    assert "reminder" in mail_part(smtp_sink.messages[0]).lower()
    invitation = get(app, Invitation, reminded)
    assert invitation.reminders_sent == 2 and invitation.last_reminded_at is not None
    token = re.search(rf"{BASE}/r/(\S+)", mail_part(smtp_sink.messages[-1])).group(1)
    assert invitation.token_hash == hash_token(token)


def test_a_failed_send_is_shown_on_the_review_page_and_retried_next_run(
    app, iro_id, smtp_sink, sign_in
):
    review_id = due_review(app, iro_id)
    invitation_id = add_invitation(app, review_id, "parent")
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{free_port()}?timeout=2"
    report = send_today(app)
    assert (report.sent, report.failed) == (0, 1)
    invitation = get(app, Invitation, invitation_id)
    assert invitation.sent_at is None and invitation.send_error and invitation.send_attempts == 1
    client = app.test_client()
    sign_in(client, iro_id)
    page = client.get(f"/admin/reviews/{review_id}").get_data(as_text=True)
    assert "Last send failed" in page and "sending failed" in page
    app.config["MAIL_URL"] = smtp_sink.url
    assert send_today(app).sent == 1
    invitation = get(app, Invitation, invitation_id)
    assert invitation.sent_at is not None and invitation.send_error is None
    assert len(smtp_sink.messages) == 1


def test_two_copies_running_at_once_send_each_invitation_exactly_once(app, iro_id, smtp_sink):
    review_ids = [due_review(app, iro_id) for _ in range(4)]
    expected = {
        add_invitation(app, review_id, role, email=f"{role}.{review_id}@example.org")
        for review_id in review_ids
        for role in ("parent", "carer", "health", "education", "child")
    }
    reports = send_from_two_copies_at_once(app)
    assert sum(report.sent for report in reports) == len(expected)
    recipients = [message["To"] for message in smtp_sink.messages]
    assert len(recipients) == len(set(recipients)) == len(expected)


def test_the_cli_command_sends_and_reports(app, iro_id, smtp_sink, runner):
    review_id = due_review(app, iro_id)
    add_invitation(app, review_id, "parent")
    result = runner.invoke(args=["send-due"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(smtp_sink.messages) == 1
    bad = runner.invoke(args=["send-due", "--date", "not-a-date"])
    assert bad.exit_code != 0


def test_without_its_database_the_command_says_so_in_one_line(tmp_path):
    from portal import create_app
    from tests.conftest import _config

    broken = create_app(_config(f"sqlite:///{tmp_path}/no/such/folder/portal.db", tmp_path))
    result = broken.test_cli_runner().invoke(args=["send-due"])
    assert result.exit_code == 1
    assert "the database went away; run again" in result.output
    assert "Traceback" not in result.output


def test_one_message_that_cannot_be_built_does_not_stop_the_run(
    app, iro_id, make_staff, smtp_sink, runner
):
    """Legacy rows with line breaks (saved before the forms refused them) fail alone, recorded."""
    legacy = due_review(app, iro_id, case_ref="C-1\r\nBcc: someone@evil.example")
    legacy_alert = add_alert(
        app, legacy, add_invitation(app, legacy, "child", sent_at=None, channel="hand", email=None)
    )
    broken_iro = make_staff("iro")
    with app.app_context():
        _db.session.get(StaffUser, broken_iro).email = "iro@council.example\r\nBcc: x@evil.example"
        _db.session.commit()
    other = due_review(app, broken_iro)
    unsendable_alert = add_alert(app, other, None)
    bad = add_invitation(app, legacy, "parent", email="mum@example.org\r\nBcc: x@evil.example")
    good = [add_invitation(app, review, "carer", email=f"carer{review}@example.org")
            for review in (legacy, other)]  # fmt: skip
    result = runner.invoke(args=["send-due"])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[0] == (
        "sent 2, reminded 0, failed 1, skipped 0 (claimed elsewhere), alerts sent 1, alerts failed 1"
    )
    assert "Traceback" not in result.output and "evil" not in result.output
    assert sorted(m["To"] for m in smtp_sink.messages if "alert" not in m["Subject"]) == sorted(
        f"carer{review}@example.org" for review in (legacy, other)
    )
    for invitation_id in good:
        assert get(app, Invitation, invitation_id).sent_at is not None
    failed = get(app, Invitation, bad)
    assert failed.sent_at is None and "line break" in failed.send_error
    assert "evil" not in failed.send_error
    assert get(app, SafeguardingAlert, legacy_alert).emailed_at is not None
    unsent = get(app, SafeguardingAlert, unsendable_alert)
    assert unsent.emailed_at is None and "line break" in unsent.email_error
    with app.app_context():
        assert _db.session.query(AuditEvent).filter_by(action="invitation_send_failed").count() == 1
