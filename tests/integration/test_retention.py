"""`portal purge`: stale drafts go, old reviews lose personal data, return rates stay the same."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from portal.crypto.tokens import hash_token, new_token
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Child,
    Contact,
    Draft,
    Invitation,
    Response,
    Review,
    SafeguardingAlert,
    StaffUser,
)

TODAY = dt.date.today()
NOW = dt.datetime.now(dt.UTC)
ROLES = ("child", "parent", "carer")


def _review(child: Child, days_ago: int, iro: StaffUser) -> Review:
    date = TODAY - dt.timedelta(days=days_ago)
    review = Review(child=child, kind="cared_for", review_date=date, venue="Nan's house", iro=iro)
    db.session.add(review)
    for index, role in enumerate(ROLES):
        invitation = Invitation(
            review=review,
            review_date=date,
            review_kind="cared_for",
            stage="consultation",
            role=role,
            form_key=f"{role}_consultation",
            recipient_name=f"{role.title()} Person",
            recipient_email=f"{role}@example.org",
            token_hash=hash_token(new_token()),
            short_code_hash=hash_token(new_token()),
            channel="email" if index else "post",
            sent_at=NOW - dt.timedelta(days=days_ago + 14),
        )
        db.session.add(invitation)
        if index < 2:  # child and parent returned theirs; the carer did not
            invitation.returned_at = NOW - dt.timedelta(days=days_ago + 3)
            invitation.return_channel = "online"
            db.session.add(
                Response(
                    invitation=invitation,
                    review_id=None,
                    form_key=invitation.form_key,
                    role=role,
                    answers={"anything_else": "I miss my brother Sam"},
                    text_languages={"anything_else": "en"},
                )
            )
        else:
            db.session.add(Draft(invitation=invitation, answers={"feel": "ok"}, updated_at=NOW))
    db.session.flush()
    db.session.add(
        SafeguardingAlert(
            review_id=review.id,
            form_key="child_consultation",
            question_key="safe",
            option_key="no",
            note="Called the carer, Sam is fine",
        )
    )
    return review


def _populate() -> None:
    iro = StaffUser(email="iro@example.org", role="iro", name="An IRO")
    old_child = Child(case_ref="CASE-OLD", first_name="Olivia", date_of_birth=dt.date(2005, 6, 7))
    current_child = Child(case_ref="CASE-NEW", first_name="Noah", date_of_birth=dt.date(2012, 3, 4))
    db.session.add_all([iro, old_child, current_child])
    _review(old_child, 800, iro)
    _review(current_child, 900, iro)  # Noah's old review is purged, Noah is not: he has a new one
    _review(current_child, 10, iro)
    db.session.commit()


def _return_rates() -> list[tuple]:
    """Sent and received by stage, role, review kind and month: what reports count."""
    month = sa.func.substr(sa.cast(Invitation.review_date, sa.String), 1, 7)
    return db.session.execute(
        sa.select(
            Invitation.stage,
            Invitation.role,
            Invitation.review_kind,
            Invitation.channel,
            month,
            sa.func.count(Invitation.sent_at),
            sa.func.count(Invitation.returned_at),
        )
        .group_by(
            Invitation.stage, Invitation.role, Invitation.review_kind, Invitation.channel, month
        )
        .order_by(Invitation.stage, Invitation.role, Invitation.channel, month)
    ).all()


def test_purge_forgets_old_personal_data_and_keeps_return_rates(app, runner):
    with app.app_context():
        _populate()
        before = _return_rates()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "invitations 6" in result.output and "children 1" in result.output
    with app.app_context():
        assert _return_rates() == before
        old = db.session.scalars(
            sa.select(Invitation).where(Invitation.review_date < TODAY - dt.timedelta(days=730))
        ).all()
        assert len(old) == 6
        for invitation in old:
            assert invitation.recipient_name == "" and invitation.recipient_email is None
            assert invitation.token_hash is None and invitation.short_code_hash is None
            assert invitation.sent_at is not None and invitation.stage == "consultation"
            assert invitation.draft is None
            if invitation.response is not None:
                # ADR 0047: the text goes; "answered" stays for the feedback figures.
                assert invitation.response.answers == {"anything_else": True}
                assert invitation.returned_at is not None
        recent = db.session.scalars(
            sa.select(Invitation).where(Invitation.review_date > TODAY - dt.timedelta(days=30))
        ).all()
        assert all(i.recipient_email and i.token_hash for i in recent)
        assert {
            r.answers.get("anything_else") for r in db.session.scalars(sa.select(Response))
        } == {
            True,
            "I miss my brother Sam",
        }
        assert db.session.query(Draft).count() == 1  # the recent carer's draft
        notes = {
            a.review.review_date: a.note for a in db.session.scalars(sa.select(SafeguardingAlert))
        }
        assert sorted(notes.values()) == ["", "", "Called the carer, Sam is fine"]
        olivia = db.session.scalars(sa.select(Child).where(Child.case_ref.like("purged-%"))).one()
        assert olivia.first_name == "" and olivia.date_of_birth == dt.date(2005, 1, 1)
        noah = db.session.scalars(sa.select(Child).where(Child.case_ref == "CASE-NEW")).one()
        assert noah.first_name == "Noah"
        assert {r.venue for r in db.session.scalars(sa.select(Review))} == {"", "Nan's house"}


def test_purge_is_audited_with_counts_only_and_a_second_run_changes_nothing(app, runner):
    with app.app_context():
        _populate()
    assert runner.invoke(args=["purge"]).exit_code == 0
    second = runner.invoke(args=["purge"])
    assert second.exit_code == 0
    assert "invitations 0" in second.output and "responses 0" in second.output
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "data_purged").order_by(AuditEvent.id)
        ).all()
        assert len(events) == 2
        assert events[0].detail["invitations"] == 6 and events[0].detail["responses"] == 4
        assert all(isinstance(value, int) for value in events[0].detail.values())
        assert sum(events[1].detail.values()) == 0


def test_purge_deletes_drafts_left_longer_than_the_draft_retention(app, runner):
    with app.app_context():
        _populate()
        draft = db.session.scalars(
            sa.select(Draft)
            .join(Invitation)
            .where(Invitation.review_date > TODAY - dt.timedelta(days=30))
        ).one()
        draft.updated_at = NOW - dt.timedelta(days=91)
        db.session.commit()
    result = runner.invoke(args=["purge"])
    assert "stale_drafts 1" in result.output, result.output
    with app.app_context():
        assert db.session.query(Draft).count() == 0


def test_purge_dry_run_reports_and_changes_nothing(app, runner):
    with app.app_context():
        _populate()
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0 and "Would purge" in result.output
    assert "invitations 6" in result.output
    with app.app_context():
        assert db.session.query(Draft).count() == 3
        assert db.session.query(AuditEvent).count() == 0
        assert all(c.first_name for c in db.session.scalars(sa.select(Child)))


def test_purge_deletes_an_anonymised_childs_contacts_and_old_letters_addresses(app, runner):
    """Contacts are personal data: they go with the child's name; a current child keeps theirs."""
    with app.app_context():
        _populate()
        for case_ref in ("CASE-OLD", "CASE-NEW"):
            child = db.session.scalars(sa.select(Child).where(Child.case_ref == case_ref)).one()
            db.session.add(
                Contact(child_id=child.id, role="parent", name="A Parent",
                        email="parent@example.org", postal_address="1 High Street\nTown")
            )  # fmt: skip
        for invitation in db.session.scalars(sa.select(Invitation)):
            invitation.postal_address = "1 High Street\nTown"
        db.session.commit()
    result = runner.invoke(args=["purge"])
    assert "children 1, contacts 1" in result.output, result.output
    with app.app_context():
        left = db.session.scalars(sa.select(Contact)).all()
        assert [contact.child.case_ref for contact in left] == ["CASE-NEW"]
        addresses = {
            invitation.review_date < TODAY - dt.timedelta(days=730): invitation.postal_address
            for invitation in db.session.scalars(sa.select(Invitation))
        }
        assert addresses == {True: None, False: "1 High Street\nTown"}
    assert "contacts 0" in runner.invoke(args=["purge"]).output


def test_purge_forgets_old_mobile_numbers_and_keeps_current_ones(app, runner):
    """A text's mobile number is personal data like an email address."""
    with app.app_context():
        _populate()
        for invitation in db.session.scalars(sa.select(Invitation)):
            invitation.recipient_email, invitation.recipient_mobile = None, "+447700900123"
        db.session.commit()
    assert runner.invoke(args=["purge"]).exit_code == 0
    with app.app_context():
        mobiles = {
            invitation.review_date < TODAY - dt.timedelta(days=730): invitation.recipient_mobile
            for invitation in db.session.scalars(sa.select(Invitation))
        }
    assert mobiles == {True: None, False: "+447700900123"}
