"""Demo data for `make run`: a small team, children of every age band, reviews and invitations.

Idempotent: running it again changes nothing. The admin password is printed the first time only.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import select

from portal.crypto.passwords import hash_password
from portal.crypto.tokens import format_short_code, hash_token, new_token
from portal.extensions import db
from portal.models import (
    Child,
    MeetingQR,
    Review,
    ReviewOutcome,
    StaffUser,
    utcnow,
)
from portal.questionnaires import age_band, catalogue
from portal.rules import dates, settings
from portal.rules.invitations import create, gets_no_form, new_link_values
from portal.rules.meeting_qr import create_meeting_qr
from portal.rules.reviews import mark_held, mark_stood_down
from portal.rules.roles import YOUNG_PERSON_ROLES
from portal.rules.workdays import (
    is_working_day,
    next_working_day,
    working_days_before,
)

DEMO_ADMIN = "admin@example.org"
# The demo makes staff accounts sharing one printed password: never on a live site.
DEMO_ENVIRONMENTS = ("development", "testing")

# (case ref, first name, age in years, language, review kind, days until review)
DEMO_CHILDREN = [
    ("DEMO-001", "Maya", 6, "en", "cared_for", 12),
    ("DEMO-002", "Leo", 9, "en", "cared_for", 20),
    ("DEMO-003", "Amira", 14, "ar", "cared_for", 15),
    ("DEMO-004", "Ahmad", 16, "ps", "cared_for", 25),
    ("DEMO-005", "Yonas", 15, "ti", "cared_for", 18),
    ("DEMO-006", "Jordan", 19, "en", "pathway_plan", 22),
]
# Reviews that have taken place: how each child took part, or why it was stood down.
# (case ref, first name, age, language, kind, working days ago, what happened)
DEMO_PAST = [
    ("DEMO-007", "Ruby", 2, "en", "cared_for", 9,
     {"participation": "PN0", "chaired": False, "attended": ("parent", "carer", "health")}),
    ("DEMO-008", "Kai", 15, "en", "cared_for", 8,
     {"participation": "PN1", "chaired": True, "attended": ("child", "carer", "education"),
      "saw_child_days": 4}),
    ("DEMO-009", "Sara", 11, "so", "cared_for", 7,
     {"participation": "PN6", "chaired": False, "attended": ("parent", "carer")}),
    ("DEMO-010", "Ellie", 17, "en", "pathway_plan", 6,
     {"participation": "PN2", "chaired": False, "attended": ("care_leaver",)}),
    ("DEMO-011", "Ben", 8, "en", "cared_for", 5, {"stood_down": "child_unwell"}),
    ("DEMO-012", "Zoe", 13, "en", "cared_for", 3,
     {"stood_down": "other", "note": "Court hearing moved the plan"}),
    # Not yet marked held: try "Mark as held" on these.
    ("DEMO-013", "Noah", 7, "en", "cared_for", 1, {}),
    ("DEMO-014", "Zarmina", 13, "ps", "cared_for", 1, {}),
    ("DEMO-015", "Alfie", 3, "en", "cared_for", 0, {}),
]  # fmt: skip
DEMO_ROLES = {
    "cared_for": ("child", "parent", "carer", "health", "education"),
    "pathway_plan": ("care_leaver", "parent"),
}


DEMO_SETTINGS = {
    "advocacy_name": "Speak Up Advocacy (example)",
    "advocacy_phone": "0800 000 0000",
    "advocacy_url": "https://advocacy.example.org",
    # 01632 960xxx is Ofcom's range for drama: a number no one answers.
    "team_name": "Example Council IRO team",
    "team_phone": "01632 960 321",
    "team_email": "iro.team@example.org",
    "team_address": "Example Council IRO team\nTown Hall\nExample Street\nExampletown\nEX1 1AA",
}


def _birthday(age: int, today: dt.date) -> dt.date:
    return today.replace(year=today.year - age) - dt.timedelta(days=40)


def _meeting_day(day: dt.date) -> dt.date:
    """Reviews are held on working days: a weekend or bank holiday moves to the next one."""
    return day if is_working_day(day) else next_working_day(day)


def _past_meeting_day(today: dt.date, working_days_ago: int) -> dt.date:
    """A working day on or before today: a review that can already be marked held."""
    if working_days_ago == 0 and is_working_day(today):
        return today
    return working_days_before(today, max(working_days_ago, 1))


def _invitation(review: Review, stage: str, role: str, form_key: str, language: str) -> None:
    """Add a demo invitation the way the screens do (rules.invitations.create), with a link."""
    young = role in YOUNG_PERSON_ROLES
    invitation = create(
        review,
        stage=stage,
        role=role,
        form_key=form_key,
        language=language,
        # Adults by email to a made-up address (`Send due emails now` writes them to
        # instance/outbox/); the young person's link is given by hand.
        channel="hand" if young else "email",
        recipient_email=None if young else f"{role}.{review.child.case_ref.lower()}@example.org",
    )
    invitation.token_hash = hash_token(new_token())


def _staff(email: str, name: str, role: str, password: str | None = None) -> StaffUser:
    user = StaffUser(
        email=email,
        name=name,
        role=role,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    return user


class DemoRefused(RuntimeError):
    """The demo was asked for outside development and testing."""


def ensure_demo_allowed() -> None:
    """Raise DemoRefused unless PORTAL_ENV is development or testing."""
    environment = current_app.config.get("PORTAL_ENV")
    if environment not in DEMO_ENVIRONMENTS:
        raise DemoRefused(
            "portal demo creates staff accounts with a shared password, so it runs only when "
            f"PORTAL_ENV is development or testing (here it is {environment}). Nothing was changed."
        )


def load_demo(echo: Callable[[str], None], today: dt.date | None = None) -> bool:
    """Create the demo data unless it exists; returns True if it was created now.

    Either way, every demo invitation gets a fresh link and short code, printed by `echo`.
    Raises DemoRefused outside development and testing.
    """
    ensure_demo_allowed()
    if db.session.execute(db.select(StaffUser).where(StaffUser.email == DEMO_ADMIN)).first():
        issue_demo_links(echo)
        return False
    today = today or dates.today()
    password = secrets.token_urlsafe(12)
    _staff(DEMO_ADMIN, "Sam Business Support", "admin", password)
    iros = [
        _staff("iro.one@example.org", "Priya Shah", "iro", password),
        _staff("iro.two@example.org", "Tom Evans", "iro", password),
    ]
    _staff("manager@example.org", "Alex Morgan", "manager", password)
    upcoming = [
        (ref, name, age, language, kind, _meeting_day(today + dt.timedelta(days=days)), {})
        for ref, name, age, language, kind, days in DEMO_CHILDREN
    ]
    past = [
        (ref, name, age, language, kind, _past_meeting_day(today, ago), what)
        for ref, name, age, language, kind, ago, what in DEMO_PAST
    ]
    for index, (case_ref, name, age, language, kind, review_date, what) in enumerate(
        upcoming + past
    ):
        iro = iros[index % len(iros)]
        child = Child(
            case_ref=case_ref,
            first_name=name,
            date_of_birth=_birthday(age, today),
            preferred_language=language,
            iro=iro,
        )
        review = Review(
            child=child,
            kind=kind,
            review_date=review_date,
            start_time=dt.time(10, 0),
            venue="Town Hall, Room 2",
            iro=iro,
        )
        db.session.add_all([child, review])
        if review_date > today:  # past reviews carry no links: the printed list stays short
            _add_consultation_invitations(review, language)
        _what_happened(review, what)
    # Example values only (example.org, a number no one answers): the council puts its own in.
    settings.save(DEMO_SETTINGS)
    db.session.commit()
    echo("Demo data loaded.")
    echo(f"Sign in at /auth/sign-in as {DEMO_ADMIN} (also iro.one@, iro.two@, manager@)")
    echo(f"Demo password for all staff (shown once): {password}")
    issue_demo_links(echo)
    return True


def _add_consultation_invitations(review: Review, language: str) -> None:
    """Everyone's consultation form (none for a child under 4: rules/invitations)."""
    forms = catalogue()
    for role in DEMO_ROLES[review.kind]:
        if gets_no_form(review, role):
            continue
        form = forms.choose("consultation", role, review.kind)
        _invitation(
            review,
            "consultation",
            role,
            form.key if form else f"{role}_consultation",
            language if role in YOUNG_PERSON_ROLES else "en",
        )


def _what_happened(review: Review, what: dict[str, Any]) -> None:
    """Hold or stand down a past demo review through the same rules as the screens."""
    if "participation" in what:
        saw_days = what.get("saw_child_days")
        mark_held(
            review,
            review.review_date,
            participation=what["participation"],
            chaired_by_young_person=what["chaired"],
            attended_roles=what["attended"],
            iro_saw_child_on=review.review_date - dt.timedelta(days=saw_days) if saw_days else None,
        )
    elif "stood_down" in what:
        db.session.flush()  # standing down updates its links by review id
        mark_stood_down(review, what["stood_down"], what.get("note", ""))


# Working links for every demo invitation, re-issued on each run (only hashes stored).


def _demo_reviews() -> list[Review]:
    query = (
        select(Review)
        .join(Child)
        .where(Child.case_ref.like("DEMO-%"))
        .order_by(Child.case_ref, Review.id)
    )
    return list(db.session.scalars(query))


def _ensure_feedback_invitations(reviews: list[Review]) -> None:
    """One feedback invitation for the young person, per demo review kind."""
    forms = catalogue()
    for kind in DEMO_ROLES:
        review = next((r for r in reviews if r.kind == kind), None)
        role = DEMO_ROLES[kind][0]
        form = forms.choose("feedback", role, kind)
        if review is None or form is None:
            continue
        if any(i.stage == "feedback" and i.meeting_qr_id is None for i in review.invitations):
            continue
        _invitation(review, "feedback", role, form.key, review.child.preferred_language)
    db.session.flush()


# The IRO's message to one held young person's review: written in English, as IROs do.
DEMO_MESSAGE = {
    "talked_about": "We talked about school, football and seeing your brother.",
    "decided": "You will stay with Sam and Alex. You will see your brother every two weeks.",
    "next_steps": "Your social worker will visit you next month. Your next review is in six months.",
    "who_to_talk_to": "You can talk to me, your social worker or your carer at any time.",
}


def _demo_message(reviews: list[Review]) -> None:
    """One message on a held demo review, preferring a young person who reads another language."""
    held = [r for r in reviews if r.status == "held" and r.kind == "cared_for"]
    held.sort(key=lambda r: r.child.preferred_language == "en")
    if not held or any(r.outcome is not None for r in held):
        return
    review = held[0]
    if not any(i.stage == "feedback" and i.role == "child" for i in review.invitations):
        form = catalogue().choose("feedback", "child", review.kind)
        if form is None:
            return
        _invitation(review, "feedback", "child", form.key, review.child.preferred_language)
    db.session.add(ReviewOutcome(review=review, written_by_id=review.iro_id, **DEMO_MESSAGE))
    db.session.flush()


def _meeting_qr_link(reviews: list[Review], base: str) -> str | None:
    review = next((r for r in reviews if r.kind == "cared_for"), None)
    if review is None:
        return None
    old = db.session.scalars(select(MeetingQR).where(MeetingQR.review_id == review.id)).all()
    for qr in old:
        qr.revoked_at = qr.revoked_at or utcnow()
    return f"{base}/m/{create_meeting_qr(review)}"


def issue_demo_links(echo: Callable[[str], None]) -> None:
    """Give every demo invitation a new link and short code and print them."""
    forms = catalogue()
    base = current_app.config["PORTAL_BASE_URL"]
    reviews = _demo_reviews()
    _demo_message(reviews)
    _ensure_feedback_invitations(reviews)
    echo("Demo links (new on every run; the old ones stop working):")
    for review in reviews:
        child = review.child
        for invitation in sorted(review.invitations, key=lambda i: (i.stage, i.id)):
            if invitation.meeting_qr_id is not None:
                continue
            if invitation.form_key not in forms:
                form = forms.choose(invitation.stage, invitation.role, review.kind)
                invitation.form_key = form.key if form else invitation.form_key
            token, code, hashes = new_link_values()
            invitation.token_hash = hashes["token_hash"]
            invitation.short_code_hash = hashes["short_code_hash"]
            invitation.revoked_at = invitation.expires_at = None
            band = (
                age_band(
                    child.date_of_birth,
                    review.review_date,
                    care_leaver=invitation.role == "care_leaver",
                )
                if invitation.role in YOUNG_PERSON_ROLES
                else "adult"
            )
            status = "" if invitation.form_key in forms else "  (form not in the catalogue yet)"
            if invitation.returned_at is not None:
                status = "  (already answered)"
            echo(
                f"  {child.first_name:<7} {invitation.stage:<12} {invitation.role:<11} {band:<6} "
                f"{invitation.form_key:<28} {base}/r/{token}  code {format_short_code(code)}{status}"
            )
    qr_link = _meeting_qr_link(reviews, base)
    db.session.commit()
    if qr_link:
        echo(f"Meeting QR link (anyone at the meeting, any role): {qr_link}")
    echo(f"Type a code at {base}/q")
