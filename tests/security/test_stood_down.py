"""Standing a review down closes its links and QR codes, and takes its unreturned forms out of
the return-rate denominator (ADR 0048), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from portal.extensions import db
from portal.models import Invitation, MeetingQR
from tests.conftest import csrf_token


def _returns(runner, **extra: str) -> dict:
    today = dt.date.today()
    args = ["report", "returns", "--from", today.isoformat(), "--to",
            (today + dt.timedelta(days=60)).isoformat(), "--format", "json"]  # fmt: skip
    for name, value in extra.items():
        args += [f"--{name}", value]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _stand_down(client, review_id: int) -> None:
    token = csrf_token(client, f"/admin/reviews/{review_id}")
    response = client.post(
        f"/admin/reviews/{review_id}/stood-down",
        data={"csrf_token": token, "reason": "iro_unavailable"},
    )
    assert response.status_code == 302


def test_standing_down_revokes_open_links_and_meeting_qr_codes(app, world, client_as):
    review_id = world.review_of["iro"]
    with app.app_context():
        ids = set(
            db.session.scalars(sa.select(Invitation.id).where(Invitation.review_id == review_id))
        )
    open_links = [
        link for link in world.links if link.invitation_id in ids and link is not world.answered
    ]
    assert app.test_client().get(f"/r/{open_links[0].token}").status_code < 400
    _stand_down(client_as("admin"), review_id)
    for link in open_links:
        assert (
            app.test_client().get(f"/r/{link.token}", follow_redirects=True).status_code == 410
        ), link.form_key
    assert (
        app.test_client().get(f"/m/{world.meeting_token}", follow_redirects=True).status_code == 410
    )
    with app.app_context():
        answered = db.session.get(Invitation, world.answered.invitation_id)
        assert answered.revoked_at is None  # a returned form is history, not an open link
        assert db.session.scalars(sa.select(MeetingQR.revoked_at)).all()[0] is not None


def test_stood_down_forms_leave_the_denominator_and_the_report_says_how_many(
    app, world, client_as, runner
):
    review_id = world.review_of["iro"]
    with app.app_context():
        unreturned = db.session.scalar(
            sa.select(sa.func.count()).where(
                Invitation.review_id == review_id, Invitation.returned_at.is_(None)
            )
        )
    before = _returns(runner)
    _stand_down(client_as("admin"), review_id)
    after = _returns(runner)
    assert after["total"]["sent"] == before["total"]["sent"] - unreturned
    assert after["total"]["received"] == before["total"]["received"] == 1
    assert after["stood_down_not_counted"] == unreturned
    assert _returns(runner, stage="consultation")["total"]["sent"] < before["total"]["sent"]
    today = dt.date.today()
    period = f"{today.isoformat()}..{(today + dt.timedelta(days=60)).isoformat()}"
    page = client_as("manager").get(f"/admin/reports/returns?period={period}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert (
        'data-cell="stood-down"' in text
        and f">{unreturned} " in text.split('data-cell="stood-down"')[1][:40]
    )
