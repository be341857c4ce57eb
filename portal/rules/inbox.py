"""The responses inbox: every response across reviews, newest first, one page at a
time, in ONE query (no per-row look-ups), with read status per staff member.

An IRO sees only responses of reviews they may see (`staff.access.visible_reviews`); a meeting
QR response belongs to its review; a historical import with no review is for the whole team only.
Pasted translations sit beside the original free text (`Response.translations`, ADR 0062).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import (
    Child,
    Response,
    ResponseRead,
    Review,
    SafeguardingAlert,
    StaffUser,
    utcnow,
)
from portal.reporting.periods import Period
from portal.staff.access import visible_reviews

PAGE_SIZE = 50
TRANSLATION_MAX = 5000  # characters; a free-text answer is shorter than this


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox is narrowed to; every value already checked by the screen."""

    form_key: str | None = None
    iro_id: int | None = None
    period: Period | None = None
    source: str | None = None
    alert: bool = False
    needs_translating: bool = False
    unread: bool = False


@dataclass(frozen=True)
class InboxRow:
    response_id: int
    submitted_at: dt.datetime
    form_key: str
    role: str | None
    source: str
    language: str
    needs_translating: bool
    has_alert: bool
    read_at: dt.datetime | None
    review_id: int | None
    review_date: dt.date | None
    case_ref: str | None
    first_name: str | None
    iro_name: str | None


_ROW_FIELDS = tuple(field.name for field in fields(InboxRow))


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    total: int
    page: int
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _has_alert() -> Any:
    """An alert raised by this response's invitation (meeting QR responses have their own)."""
    return exists().where(
        SafeguardingAlert.invitation_id == Response.invitation_id,
        Response.invitation_id.is_not(None),
    )


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def inbox_page(user: StaffUser, filters: InboxFilters, page: int = 1) -> InboxPage:
    """One page of the inbox for `user`, with the total matching, read in a single query."""
    has_alert = _has_alert()
    iro_name = func.coalesce(func.nullif(StaffUser.name, ""), StaffUser.email)
    query = (
        select(
            Response.id.label("response_id"),
            Response.submitted_at,
            Response.form_key,
            Response.role,
            Response.source,
            Response.language,
            Response.untranslated_text.is_(True).label("needs_translating"),
            has_alert.label("has_alert"),
            ResponseRead.read_at,
            Review.id.label("review_id"),
            Review.review_date,
            Child.case_ref,
            Child.first_name,
            iro_name.label("iro_name"),
            func.count().over().label("total"),  # the total rides on every row: one query
        )
        .select_from(Response)
        .outerjoin(Review, Review.id == Response.review_id)
        .outerjoin(Child, Child.id == Review.child_id)
        .outerjoin(StaffUser, StaffUser.id == Review.iro_id)
        .outerjoin(
            ResponseRead,
            and_(ResponseRead.response_id == Response.id, ResponseRead.user_id == user.id),
        )
    )
    query = visible_reviews(user, query)  # through the response's (outer-joined) review
    if filters.form_key:
        query = query.where(Response.form_key == filters.form_key)
    if filters.iro_id is not None:
        query = query.where(Review.iro_id == filters.iro_id)
    if filters.period is not None:
        query = query.where(
            Response.submitted_at >= _start_of(filters.period.start),
            Response.submitted_at < _start_of(filters.period.end + dt.timedelta(days=1)),
        )
    if filters.source:
        query = query.where(Response.source == filters.source)
    if filters.alert:
        query = query.where(has_alert)
    if filters.needs_translating:
        query = query.where(Response.untranslated_text.is_(True))
    if filters.unread:
        query = query.where(ResponseRead.read_at.is_(None))
    query = (
        query.order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    result = db.session.execute(query).all()
    # The query's columns are labelled as InboxRow's fields; "total" is the page's, not a row's.
    rows = [InboxRow(**{name: row._mapping[name] for name in _ROW_FIELDS}) for row in result]
    total = int(result[0].total) if result else 0
    return InboxPage(rows=rows, total=total, page=page)


def get_response_or_404(response_id: int, user: StaffUser) -> Response:
    """A response the user may see (through its review), or 404: ids cannot be probed."""
    query = (
        select(Response).outerjoin(Review, Review.id == Response.review_id)
        .where(Response.id == response_id)
    )  # fmt: skip
    return db.one_or_404(visible_reviews(user, query))


def mark_read(response: Response, user: StaffUser) -> bool:
    """Record that `user` opened the response (once; a second opening keeps the first time)."""
    if db.session.get(ResponseRead, (response.id, user.id)) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(ResponseRead(response_id=response.id, user_id=user.id, read_at=utcnow()))
    except IntegrityError:  # the same person opened it twice at once
        return False
    return True


def translation_problem(response: Response, question_key: str, text: str) -> str | None:
    """Why this translation cannot be kept (plain words for the screen), or None."""
    if question_key not in (response.text_languages or {}) or not isinstance(
        (response.answers or {}).get(question_key), str
    ):
        return str(_l("There is no free-text answer to translate for that question"))
    if response.purged_at is not None:
        return str(
            _l("The free text was removed by the retention rule, so there is nothing to translate")
        )
    if len(text) > TRANSLATION_MAX:
        return str(
            _l("The translation must be %(count)d characters or fewer", count=TRANSLATION_MAX)
        )
    return None


def set_translation(response: Response, question_key: str, text: str) -> None:
    """Keep the translation beside the original (an empty text removes it)."""
    translations = dict(response.translations or {})
    text = text.strip()
    if text:
        translations[question_key] = text
    else:
        translations.pop(question_key, None)
    response.translations = translations or None
