"""`portal demo` includes held reviews with participation codes (a PN0 under-4, a chaired one)
and stood-down reasons, and reviews ready to be marked held; running it twice adds nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Child, Invitation, Review
from portal.rules.participation import is_under_four

HISTORY = Child.case_ref.like("HIST-%")


def test_demo_has_held_reviews_with_codes_stand_down_reasons_and_reviews_to_mark(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        reviews = list(db.session.scalars(select(Review)))
        held = [r for r in reviews if r.status == "held"]
        assert {r.participation for r in held} >= {"PN0", "PN1", "PN6"}
        [pn0] = [r for r in held if r.participation == "PN0"]
        assert is_under_four(pn0.child.date_of_birth, pn0.review_date)
        assert any(r.chaired_by_young_person for r in held)
        assert all(r.held_on and r.attended_roles for r in held)
        reasons = {r.stood_down_reason for r in reviews if r.status == "stood_down"}
        assert reasons == {"child_unwell", "other"}
        ready = [r for r in reviews if r.status == "scheduled" and r.review_date <= dt.date.today()]
        assert len(ready) >= 3
        young_forms = select(Invitation).join(Review).where(Invitation.role == "child")
        for invitation in db.session.scalars(young_forms):
            assert not is_under_four(invitation.review.child.date_of_birth, invitation.review_date)
        count = db.session.scalar(select(func.count(Review.id)))
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Review.id))) == count


def test_demo_history_holds_its_past_reviews_with_codes_and_stands_a_few_down(app, runner):
    result = runner.invoke(args=["demo", "--history"])
    assert result.exit_code == 0, result.output
    assert "past reviews held (with codes) or stood down" in result.output
    with app.app_context():
        held = db.session.execute(
            select(Review.participation, func.count()).join(Child).where(HISTORY, Review.status == "held")
            .group_by(Review.participation)
        ).all()  # fmt: skip
        codes = {code for code, _count in held}
        assert {"PN1", "PN6", "PN7", None} <= codes and "PN0" not in codes
        assert (
            db.session.scalar(
                select(func.count(Review.id))
                .join(Child)
                .where(HISTORY, Review.status == "held", Review.held_on.is_(None))
            )
            == 0
        )
        assert (
            db.session.scalar(
                select(func.count(Review.id))
                .join(Child)
                .where(HISTORY, Review.stood_down_reason.is_not(None))
            )
            > 0
        )
