"""A small populated world for route-walking suites: staff of every role, reviews for two IROs,
an invitation with a known link token and short code for every form in the catalogue, a submitted
response, a draft, a safeguarding alert and a meeting QR code.

Ids start at 1 in empty tables (SQLite reuses them, PostgreSQL restarts identities), so a sample
integer argument of 1 names an object owned by the first IRO.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from flask import Flask

from portal.crypto.passwords import hash_password
from portal.crypto.tokens import hash_token, new_token
from portal.extensions import db
from portal.models import (
    AdvocacyRequest,
    Child,
    Draft,
    Invitation,
    MeetingQR,
    Response,
    Review,
    SafeguardingAlert,
    StaffUser,
)
from portal.questionnaires import catalogue
from portal.questionnaires.catalogue import age_band
from tests.conftest import TEST_PASSWORD
from tests.invitations import invite

STAFF = ("admin", "iro", "other_iro", "manager")
CHILD_ROLES = ("child", "care_leaver")
CHILDREN = (
    ("iro", "Maya", 6, "cared_for"),
    ("iro", "Leo", 9, "cared_for"),
    ("other_iro", "Yonas", 15, "cared_for"),
    ("other_iro", "Jordan", 19, "pathway_plan"),
)


@dataclass
class Link:
    """An invitation whose raw token and short code we know."""

    invitation_id: int
    token: str
    code: str
    form_key: str
    role: str
    stage: str
    iro: str
    band: str = ""


@dataclass
class World:
    staff: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    answered: Link | None = None
    meeting_token: str = ""
    review_of: dict[str, int] = field(default_factory=dict)  # iro label -> review id

    def link_for(self, iro: str = "iro") -> Link:
        return next(link for link in self.links if link.iro == iro and link is not self.answered)


def _child(name: str, age: int, iro: StaffUser, today: dt.date) -> Child:
    born = today.replace(year=today.year - age) - dt.timedelta(days=30)
    return Child(
        case_ref=f"CASE-{secrets.token_hex(3)}", first_name=name, date_of_birth=born, iro=iro
    )


def build_world(app: Flask) -> World:
    """Create the world in the app's (empty) database."""
    world = World()
    today = dt.date.today()
    with app.app_context():
        password = hash_password(TEST_PASSWORD)
        users = {}
        for label in STAFF:
            role = "iro" if label == "other_iro" else label
            users[label] = StaffUser(
                email=f"{label}@example.org", name=f"Staff {label}", role=role,
                password_hash=password,
            )  # fmt: skip
        db.session.add_all(users.values())
        db.session.flush()
        world.staff = {label: user.id for label, user in users.items()}
        world.emails = {label: user.email for label, user in users.items()}
        forms = list(catalogue())
        # Every age band: 4-7 and 8-11 for the first IRO, 12-17 and a care leaver for the other.
        for iro_label, name, age, kind in CHILDREN:
            iro = users[iro_label]
            child = _child(name, age, iro, today)
            review = Review(
                child=child, kind=kind, review_date=today + dt.timedelta(days=14),
                start_time=dt.time(10), venue="Town Hall", iro=iro,
            )  # fmt: skip
            db.session.add_all([child, review])
            db.session.flush()
            world.review_of.setdefault(iro_label, review.id)
            band = age_band(child.date_of_birth, review.review_date,
                            care_leaver=kind == "pathway_plan")  # fmt: skip
            for form in [f for f in forms if kind in f.review_kinds] or [None]:
                for role in form.roles if form else ("child",):
                    if (role == "care_leaver") != (kind == "pathway_plan") and role in CHILD_ROLES:
                        continue
                    invited = invite(
                        review, stage=form.stage if form else "consultation", role=role,
                        form_key=form.key if form else "child_consultation",
                        recipient_name=f"Recipient {role}", recipient_email=f"{role}@example.net",
                        sent_at=dt.datetime.now(dt.UTC),
                        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=60),
                    )  # fmt: skip
                    invitation, token, code = invited.invitation, invited.token, invited.code
                    world.links.append(
                        Link(invitation.id, token, code, invitation.form_key, role,
                             invitation.stage, iro_label, band if role in CHILD_ROLES else "")
                    )  # fmt: skip
        first = world.links[0]
        answered = world.links[1] if len(world.links) > 1 else first
        invitation = db.session.get(Invitation, answered.invitation_id)
        invitation.returned_at = dt.datetime.now(dt.UTC)
        invitation.return_channel = "online"
        db.session.add(
            Response(
                invitation=invitation, review_id=invitation.review_id,
                form_key=invitation.form_key, role=invitation.role,
                answers={"anything_else": "answer from the world"},
                iro_id=world.staff["iro"],
            )
        )  # fmt: skip
        world.answered = answered
        db.session.add(Draft(invitation_id=first.invitation_id, answers={}, page=0))
        db.session.add(
            SafeguardingAlert(
                invitation_id=answered.invitation_id, review_id=world.review_of["iro"],
                form_key=answered.form_key, question_key="safe", option_key="no",
            )
        )  # fmt: skip
        db.session.add(
            AdvocacyRequest(
                invitation_id=answered.invitation_id, review_id=world.review_of["iro"],
                form_key=answered.form_key, question_key="take_part", option_key="advocate",
            )
        )  # fmt: skip
        world.meeting_token = new_token()
        db.session.add(
            MeetingQR(
                review_id=world.review_of["iro"], token_hash=hash_token(world.meeting_token),
                expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
            )
        )  # fmt: skip
        db.session.commit()
    return world
