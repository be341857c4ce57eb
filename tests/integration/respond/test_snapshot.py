"""The respondent pages' one-query link snapshot and its one-statement draft writes."""

from __future__ import annotations

from sqlalchemy import delete, event, func, select

from portal.extensions import db
from portal.models import Draft, Invitation
from portal.web.respond.snapshot import DraftSnapshot, LinkSnapshot, load_link, store_draft
from tests.respond_support import make_invitation


def test_the_core_query_reads_what_the_orm_objects_hold(app):
    link = make_invitation(app, role="child")
    with app.app_context():
        db.session.add(Draft(invitation_id=link.invitation_id, answers={"a": "b"}, page=2))
        db.session.commit()
        from_orm = LinkSnapshot.from_invitation(db.session.get(Invitation, link.invitation_id))
        assert load_link(link.invitation_id) == from_orm
        assert load_link(link.invitation_id + 1000) is None


def test_a_draft_is_inserted_then_updated(app):
    link = make_invitation(app, role="carer")
    with app.app_context():
        store_draft(load_link(link.invitation_id), DraftSnapshot({"q": "x"}, {}, 1, "en"))
        store_draft(load_link(link.invitation_id), DraftSnapshot({"q": "y"}, {}, 2, "cy"))
        draft = db.session.scalars(select(Draft)).one()
        assert (draft.answers, draft.page, draft.language) == ({"q": "y"}, 2, "cy")


def test_a_page_saved_after_sending_from_another_device_does_not_bring_the_draft_back(app):
    link = make_invitation(app, role="carer")
    with app.app_context():
        store_draft(load_link(link.invitation_id), DraftSnapshot({"q": "x"}, {}, 1, "en"))
        stale = load_link(link.invitation_id)
        db.session.execute(delete(Draft))  # what sending does
        db.session.commit()
        store_draft(stale, DraftSnapshot({"q": "late"}, {}, 2, "en"))
        assert db.session.scalar(select(func.count(Draft.id))) == 0


def test_the_link_statements_go_through_sqlalchemy_where_observability_sees_them(app):
    link = make_invitation(app, role="carer")
    with app.app_context():
        seen: list[str] = []

        def record(_conn, _cursor, statement, _params, _context, _many) -> None:
            seen.append(statement.split()[0].upper())

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            store_draft(load_link(link.invitation_id), DraftSnapshot({"q": "x"}, {}, 1, "en"))
            store_draft(load_link(link.invitation_id), DraftSnapshot({"q": "y"}, {}, 2, "en"))
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert seen == ["SELECT", "INSERT", "SELECT", "UPDATE"]
