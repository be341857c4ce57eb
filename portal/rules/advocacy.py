"""Advocacy requests: a young person said they want an advocate, so their IRO refers them on.

Options marked `advocacy: true` in forms/*.yaml mean "I want an advocate". When a young person's
response is stored with one, `request_advocacy` adds ONE request for that response in the same
transaction (`portal.rules.responses.submit_response`, which paper returns use too): a lost
response never leaves a request behind, and a double submit never makes two. It is a task, not
a safeguarding alert: nobody is emailed, the IRO sees it on their home page and the digest and
records the date they referred the young person to the advocacy service (ADR 0057).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import Select, select, update
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import AdvocacyRequest, Review, StaffUser
from portal.questionnaires import FormDefinition, catalogue
from portal.rules.roles import is_young_person
from portal.staff import audit
from portal.staff.access import visible_reviews


def advocacy_choice(form: FormDefinition, answers: Mapping[str, Any]) -> tuple[str, str] | None:
    """(question key, option key) of the first chosen option marked `advocacy: true`, or None."""
    for question in form.questions:
        if not question.has_advocacy_options():
            continue
        answer = answers.get(question.key)
        chosen = answer if isinstance(answer, list) else [answer]
        for option in question.options:
            if option.advocacy and option.key in chosen:
                return question.key, option.key
    return None


def request_advocacy(
    *,
    invitation_id: int,
    review_id: int | None,
    form: FormDefinition,
    answers: Mapping[str, Any],
    role: str | None,
) -> AdvocacyRequest | None:
    """Add the request a response makes, if any (the caller commits with the response).

    Only the young person's own answer counts: an adult's form cannot ask on their behalf (the
    forms check also keeps advocacy options off adults' forms).
    """
    choice = advocacy_choice(form, answers)
    if choice is None or not is_young_person(role):
        return None
    request = AdvocacyRequest(
        invitation_id=invitation_id,
        review_id=review_id,
        form_key=form.key,
        question_key=choice[0],
        option_key=choice[1],
    )
    db.session.add(request)
    return request


def _lines_query(user: StaffUser) -> Select[Any]:
    """Requests with their review and who referred them, restricted to the reviews `user` sees."""
    referrer = aliased(StaffUser)
    query = (
        select(AdvocacyRequest, Review, referrer)
        .join(Review, Review.id == AdvocacyRequest.review_id)
        .outerjoin(referrer, referrer.id == AdvocacyRequest.referred_by_id)
    )
    return visible_reviews(user, query)


@dataclass
class RequestLine:
    """A request with what the team's screens show beside it."""

    request: AdvocacyRequest
    review: Review
    referred_by: StaffUser | None = None

    @property
    def answer(self) -> str:
        """What the young person chose, in the form's English words (the IRO reads English)."""
        form = catalogue().get(self.request.form_key)
        question = form.question(self.request.question_key) if form else None
        for option in question.options if question else []:
            if option.key == self.request.option_key:
                return option.label
        return self.request.option_key


def _lines(query: Select[Any]) -> list[RequestLine]:
    rows = db.session.execute(query.order_by(AdvocacyRequest.created_at, AdvocacyRequest.id))
    return [RequestLine(request, review, by) for request, review, by in rows.all()]


def open_requests(user: StaffUser, *, iro_id: int | None = None) -> list[RequestLine]:
    """Requests not yet referred that the user may see (oldest first: they have waited longest)."""
    query = _lines_query(user).where(AdvocacyRequest.referred_on.is_(None))
    if iro_id is not None:
        query = query.where(Review.iro_id == iro_id)
    return _lines(query)


def review_requests(review: Review, user: StaffUser) -> list[RequestLine]:
    """Every request for a review the user may see."""
    return _lines(_lines_query(user).where(AdvocacyRequest.review_id == review.id))


def get_request_or_404(request_id: int, user: StaffUser) -> RequestLine:
    """A request the user may see, or 404 (never 403: ids cannot be probed)."""
    found = _lines(_lines_query(user).where(AdvocacyRequest.id == request_id))
    if not found:
        abort(404)
    return found[0]


def referral_date_problem(request: AdvocacyRequest, referred_on: dt.date, today: dt.date) -> str:
    """Why a referral date cannot be right ("" if it can): not in the future, nor before the ask."""
    if referred_on > today:
        return "future"
    if request.created_at is not None and referred_on < request.created_at.date():
        return "before_request"
    return ""


def record_referral(
    request: AdvocacyRequest, user: StaffUser, referred_on: dt.date, note: str | None
) -> bool:
    """Record the referral once (atomic: a second person's click changes nothing); audited."""
    done = db.session.execute(
        update(AdvocacyRequest)
        .where(AdvocacyRequest.id == request.id, AdvocacyRequest.referred_on.is_(None))
        .values(referred_on=referred_on, referred_by_id=user.id, note=(note or "").strip())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if done:
        audit.record("advocacy_referred", request, actor=user, review_id=request.review_id)
    return bool(done)
