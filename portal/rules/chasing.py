"""The chase list (ADR 0059): every form that is out and not back, across reviews.

One rule decides what is chasable; the screen, its CSV export, the bulk actions and the
dashboard counts all read it, so they cannot disagree.

- Chasable: not returned, not revoked, not declined, not a meeting QR response, the review not
  stood down; and either sent, or with a send-by date (due_at) of its own. A consultation form
  stops being chasable once its review date has passed (the views were wanted for the meeting).
- Overdue: the send-by date has passed and nothing has come back. Days overdue are England working
  days since the send-by date, the same calendar the send-by date itself is set with.
- Due this week: a send-by date from today to Sunday.
- Not delivered: GOV.UK Notify said the email or text permanently failed (ADR 0068); the row
  says so and suggests another way to send, since chasing the same address cannot work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select, update

from portal.delivery import notify
from portal.extensions import db
from portal.models import (
    CHANNELS,
    ROLES,
    ChaseNote,
    Child,
    Invitation,
    Review,
    StaffUser,
    utcnow,
)
from portal.rules.workdays import working_days_between
from portal.staff import audit
from portal.staff.access import visible_reviews

PAGE_SIZE = 50
NOTE_MAX = 200
# Sort keys and what they order by. "Days overdue" is monotonic in the send-by date, so both sort
# on due_at (most overdue first = earliest send-by date first) and stay one indexed ORDER BY.
SORTS = ("due", "overdue", "iro", "role", "channel")
DIRECTIONS = ("asc", "desc")
VIEWS = ("open", "declined")  # the list, or the declined ones (to undo a mistake)
REMINDABLE_CHANNELS = ("email", "sms")
PRINTABLE_CHANNELS = ("post", "hand")


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to and how it is ordered; every field already checked."""

    iro_id: int | None = None
    role: str | None = None
    channel: str | None = None
    overdue_only: bool = False
    due_this_week: bool = False
    view: str = "open"
    sort: str = "due"
    direction: str = "asc"

    def as_args(self) -> dict[str, str]:
        """The filters as query-string values (for links, pagination and the export)."""
        args = {
            "iro": str(self.iro_id) if self.iro_id else "",
            "role": self.role or "",
            "channel": self.channel or "",
            "overdue": "1" if self.overdue_only else "",
            "due": "week" if self.due_this_week else "",
            "view": "" if self.view == "open" else self.view,
            "sort": "" if self.sort == "due" else self.sort,
            "dir": "" if self.direction == "asc" else self.direction,
        }
        return {key: value for key, value in args.items() if value}


@dataclass(frozen=True)
class Row:
    """One line of the chase list: only what the table shows (no N+1 loading)."""

    id: int
    review_id: int
    review_date: dt.date
    stage: str
    role: str
    channel: str
    recipient_name: str
    due_at: dt.date | None
    sent_at: dt.datetime | None
    reminders_sent: int
    first_name: str
    case_ref: str
    iro_name: str
    last_chased_on: dt.date | None
    declined_at: dt.datetime | None
    delivery_status: str | None = None
    days_overdue: int = 0

    @property
    def undeliverable(self) -> bool:
        """Notify could not deliver it and will not try again: send it another way."""
        return self.delivery_status == "permanent-failure"


@dataclass
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int
    filters: Filters = field(default_factory=Filters)


def week_end(today: dt.date) -> dt.date:
    """The Sunday of today's week."""
    return today + dt.timedelta(days=6 - today.weekday())


def days_overdue(due_at: dt.date | None, today: dt.date) -> int:
    """Working days since the send-by date (0 until it has passed)."""
    if due_at is None or due_at >= today:
        return 0
    return working_days_between(due_at, today)


def _chasable(today: dt.date, *, declined: bool = False) -> list[Any]:
    """The one rule: what the list holds (or, `declined`, what was taken off it as declined)."""
    return [
        Invitation.returned_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.meeting_qr_id.is_(None),
        Invitation.declined_at.is_not(None) if declined else Invitation.declined_at.is_(None),
        Review.status != "stood_down",
        Invitation.sent_at.is_not(None) | Invitation.due_at.is_not(None),
        (Invitation.stage == "feedback") | (Invitation.review_date >= today),
    ]


def _base(user: StaffUser, today: dt.date, filters: Filters) -> Select[Any]:
    """Chasable invitations the user may see, narrowed by the filters (columns chosen later)."""
    query = visible_reviews(
        user, select(Invitation.id).join(Review, Invitation.review_id == Review.id)
    )
    query = query.where(*_chasable(today, declined=filters.view == "declined"))
    if filters.iro_id is not None:
        query = query.where(Review.iro_id == filters.iro_id)
    if filters.role:
        query = query.where(Invitation.role == filters.role)
    if filters.channel:
        query = query.where(Invitation.channel == filters.channel)
    if filters.overdue_only:
        query = query.where(Invitation.due_at < today)
    if filters.due_this_week:
        query = query.where(Invitation.due_at >= today, Invitation.due_at <= week_end(today))
    return query


def _order(filters: Filters) -> list[Any]:
    due = Invitation.due_at
    if filters.sort == "overdue":
        # More days overdue = an earlier send-by date, so "most overdue first" is due_at ascending.
        keys = [(due.asc() if filters.direction == "desc" else due.desc()).nulls_last()]
    else:
        column = {
            "due": due,
            "iro": func.lower(func.coalesce(func.nullif(StaffUser.name, ""), StaffUser.email)),
            "role": Invitation.role,
            "channel": Invitation.channel,
        }[filters.sort]
        first = column.desc() if filters.direction == "desc" else column.asc()
        keys = [first.nulls_last(), due.asc().nulls_last()]
    return [*keys, Invitation.id]


def _rows_query(user: StaffUser, today: dt.date, filters: Filters) -> Select[Any]:
    """One SELECT for a page: the columns shown, the total (a window count) and the last chase."""
    last_chased = (
        select(func.max(ChaseNote.chased_on))
        .where(ChaseNote.invitation_id == Invitation.id)
        .correlate(Invitation)
        .scalar_subquery()
    )
    return (
        _base(user, today, filters)
        .join(Child, Review.child_id == Child.id)
        .outerjoin(StaffUser, Review.iro_id == StaffUser.id)
        .add_columns(
            Invitation.review_id,
            Invitation.review_date,
            Invitation.stage,
            Invitation.role,
            Invitation.channel,
            Invitation.recipient_name,
            Invitation.due_at,
            Invitation.sent_at,
            Invitation.reminders_sent,
            Child.first_name,
            Child.case_ref,
            func.coalesce(func.nullif(StaffUser.name, ""), StaffUser.email, "").label("iro_name"),
            last_chased.label("last_chased_on"),
            Invitation.declined_at,
            Invitation.delivery_status,
            func.count().over().label("total"),
        )
        .order_by(*_order(filters))
    )


def _row(values: Any, today: dt.date) -> Row:
    data = dict(values._mapping)
    data.pop("total", None)
    return Row(**data, days_overdue=days_overdue(data["due_at"], today))


def chase_page(user: StaffUser, today: dt.date, filters: Filters, page: int = 1) -> Page:
    """One page of the list and how many rows there are in all, in one query."""
    found = db.session.execute(
        _rows_query(user, today, filters).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    total = found[0].total if found else 0
    if not found and page > 1:  # past the end: say how many there are, show none
        total = count(user, today, filters)
    return Page(
        rows=[_row(values, today) for values in found],
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters=filters,
    )


def all_rows(user: StaffUser, today: dt.date, filters: Filters) -> list[Row]:
    """Every row the filters select (for the CSV export), in the list's order."""
    return [_row(values, today) for values in db.session.execute(_rows_query(user, today, filters))]


def count(user: StaffUser, today: dt.date, filters: Filters) -> int:
    query = _base(user, today, filters).with_only_columns(func.count(Invitation.id))
    return int(db.session.execute(query).scalar_one())


@dataclass(frozen=True)
class Counts:
    overdue: int
    due_this_week: int


def counts(user: StaffUser, today: dt.date, iro_id: int | None = None) -> Counts:
    """The dashboard's figures: overdue and due this week, in one query."""
    due = Invitation.due_at
    query = _base(user, today, Filters(iro_id=iro_id)).with_only_columns(
        func.count(Invitation.id).filter(due < today),
        func.count(Invitation.id).filter(due >= today, due <= week_end(today)),
    )
    overdue, this_week = db.session.execute(query).one()
    return Counts(overdue=int(overdue or 0), due_this_week=int(this_week or 0))


# --- Bulk actions: choose all the ticked rows or none ---


def chosen(
    user: StaffUser, today: dt.date, ids: list[int], *, declined: bool = False
) -> list[Invitation] | None:
    """The ticked invitations, all on the user's list; None if any id is not (nothing to do)."""
    wanted = set(ids)
    if not wanted:
        return None
    query = (
        _base(user, today, Filters(view="declined" if declined else "open"))
        .with_only_columns(Invitation)
        .where(Invitation.id.in_(wanted))
        .order_by(Invitation.due_at, Invitation.id)
    )
    found = list(db.session.execute(query).scalars())
    return found if len(found) == len(wanted) else None


def wrong_channel(invitations: list[Invitation], channels: tuple[str, ...]) -> int:
    """How many of the ticked rows the action cannot go by."""
    return sum(1 for invitation in invitations if invitation.channel not in channels)


def can_email_now(invitation: Invitation) -> bool:
    """An email or text form with an address that works: sent now if it was not, else reminded.

    A sent feedback form is reminded in words for after the review (ADR 0075); only someone
    chasing it sends that, never `send-due`. Texts need GOV.UK Notify; an address Notify found
    does not exist gets nothing more (ADR 0068).
    """
    if invitation.channel not in REMINDABLE_CHANNELS:
        return False
    if invitation.channel == "sms":
        reachable = bool(invitation.recipient_mobile) and notify.configured()
    else:
        reachable = bool(invitation.recipient_email)
    return reachable and invitation.delivery_status != "permanent-failure"


def reminded_today(invitation: Invitation, today: dt.date) -> bool:
    """Already sent or reminded today: a second click must not send it twice."""
    last = invitation.last_reminded_at or invitation.sent_at
    return last is not None and last.date() >= today


def record_chase(
    invitations: list[Invitation], user: StaffUser, *, kind: str, chased_on: dt.date, note: str
) -> None:
    """A phone call or visit for each ticked row, kept as a history."""
    db.session.add_all(
        ChaseNote(invitation_id=invitation.id, kind=kind, chased_on=chased_on,
                  note=note.strip(), created_by_id=user.id)
        for invitation in invitations
    )  # fmt: skip
    audit.record("chase_recorded", None, actor=user, kind=kind,
                 invitations=[i.id for i in invitations], count=len(invitations))  # fmt: skip


def set_declined(invitations: list[Invitation], user: StaffUser, *, declined: bool) -> int:
    """Mark the rows declined (off the list) or undo it; a conditional UPDATE, so each once."""
    ids = [invitation.id for invitation in invitations]
    query = update(Invitation).where(Invitation.id.in_(ids))
    if declined:
        query = query.where(Invitation.declined_at.is_(None)).values(declined_at=utcnow())
    else:
        query = query.where(Invitation.declined_at.is_not(None)).values(declined_at=None)
    changed = db.session.execute(query.execution_options(synchronize_session="fetch")).rowcount
    audit.record("chase_declined" if declined else "chase_decline_undone", None, actor=user,
                 invitations=ids, count=changed or 0)  # fmt: skip
    return changed or 0


# The query-string filters with a fixed set of values (checked by the screen).
KNOWN = {"role": ROLES, "channel": CHANNELS, "sort": SORTS, "dir": DIRECTIONS, "view": VIEWS}
