"""The responses inbox: filters, read status per staff member, what an IRO may see
(query strings and direct URLs included), one query per page, and pasted translations (kept
beside the original, audited without the text, removed by purge)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from portal.extensions import db as _db
from portal.models import AuditEvent, Response, ResponseRead, SafeguardingAlert
from portal.rules.retention import purge
from tests.conftest import csrf_token
from tests.integration.workspace import add_invitation, get, make_review

NOW = dt.datetime.now(dt.UTC)
FORM = "parent_consultation"


@pytest.fixture
def other_iro_id(make_staff):
    return make_staff("iro", name="Omar IRO")


@pytest.fixture
def admin_id(make_staff):
    return make_staff("admin")


@pytest.fixture
def admin(admin_id, signed_in):
    return signed_in(admin_id)


def add_response(app, review_id=None, *, source="online", form_key=FORM, answers=None,
                 text_languages=None, submitted_at=None, alert=False, role="parent"):  # fmt: skip
    """A stored response (through an invitation when there is a review); returns its id."""
    invitation_id = None
    if review_id is not None:
        invitation_id = add_invitation(app, review_id, role, returned_at=NOW)
    with app.app_context():
        response = Response(
            invitation_id=invitation_id, review_id=review_id, form_key=form_key, role=role,
            answers=answers or {"going_well": "School is fine"},
            text_languages=text_languages or {}, source=source,
            submitted_at=submitted_at or NOW,
        )  # fmt: skip
        _db.session.add(response)
        if alert:
            _db.session.add(SafeguardingAlert(invitation_id=invitation_id, review_id=review_id,
                                              form_key=form_key, question_key="worries",
                                              option_key="yes"))  # fmt: skip
        _db.session.commit()
        return response.id


def _ids(page_html):
    import re

    return [int(found) for found in re.findall(r'/admin/responses/(\d+)"', page_html)]


@pytest.fixture
def world(app, iro_id, other_iro_id):
    """Mine: online (Pashto text), paper with an alert, meeting QR; theirs: one; an import."""
    mine = make_review(app, iro_id, review_date=dt.date.today() - dt.timedelta(days=3))
    theirs = make_review(app, other_iro_id)
    return {
        "mine": mine,
        "theirs": theirs,
        "pashto": add_response(
            app,
            mine,
            answers={"going_well": "ښه دی"},
            text_languages={"going_well": "ps"},
            submitted_at=NOW - dt.timedelta(hours=1),
        ),
        "paper": add_response(
            app,
            mine,
            source="paper",
            alert=True,
            role="carer",
            submitted_at=NOW - dt.timedelta(hours=2),
        ),
        "qr": add_response(
            app, mine, source="meeting_qr", submitted_at=NOW - dt.timedelta(hours=3)
        ),
        "theirs_online": add_response(app, theirs, submitted_at=NOW - dt.timedelta(hours=4)),
        "imported": add_response(
            app, None, source="import", submitted_at=dt.datetime(2020, 6, 1, tzinfo=dt.UTC)
        ),
    }


def test_the_whole_team_sees_every_response_newest_first(admin, world):
    page = admin.get("/admin/responses")
    assert page.status_code == 200
    assert _ids(page.get_data(as_text=True)) == [world[k] for k in
        ("pashto", "paper", "qr", "theirs_online", "imported")]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("source=paper", ["paper"]),
        ("source=meeting_qr", ["qr"]),
        ("source=import", ["imported"]),
        ("alert=1", ["paper"]),
        ("translate=1", ["pashto"]),
        ("period=2020/21", ["imported"]),
        ("form=parent_consultation&period=2020-06", ["imported"]),
        ("form=child_consultation", []),
    ],
)
def test_filters(admin, world, query, expected):
    page = admin.get(f"/admin/responses?{query}").get_data(as_text=True)
    assert _ids(page) == [world[key] for key in expected]


def test_the_iro_filter_narrows_to_one_iros_reviews(admin, world, other_iro_id):
    page = admin.get(f"/admin/responses?iro={other_iro_id}").get_data(as_text=True)
    assert _ids(page) == [world["theirs_online"]]


@pytest.mark.parametrize(
    "query",
    [
        "source=email",
        "period=last-year",
        "form=nope",
        "alert=yes",
        "iro=abc",
        "page=0",
        "period=9999/00",
    ],
)
def test_bad_filters_are_a_400_that_says_which(admin, world, query):
    page = admin.get(f"/admin/responses?{query}")
    assert page.status_code == 400
    assert query.split("=")[0] in page.get_data(as_text=True)


def test_an_iro_sees_only_their_reviews_responses_whatever_the_query_string(app, iro, world,
                                                                            other_iro_id):  # fmt: skip
    mine = [world[k] for k in ("pashto", "paper", "qr")]
    assert _ids(iro.get("/admin/responses").get_data(as_text=True)) == mine
    assert _ids(iro.get(f"/admin/responses?iro={other_iro_id}").get_data(as_text=True)) == mine
    assert _ids(iro.get("/admin/responses?source=import").get_data(as_text=True)) == []
    for hidden in ("theirs_online", "imported"):
        assert iro.get(f"/admin/responses/{world[hidden]}").status_code == 404
        url = f"/admin/responses/{world[hidden]}/translation"
        token = csrf_token(iro, f"/admin/responses/{world['pashto']}")
        posted = iro.post(url, data={"csrf_token": token, "question_key": "going_well",
                                     "translation": "x"})  # fmt: skip
        assert posted.status_code == 404
    assert iro.get("/admin/responses/999999").status_code == 404


def test_read_status_is_per_staff_member(app, admin, iro, admin_id, iro_id, world):
    assert iro.get(f"/admin/responses/{world['paper']}").status_code == 200
    iro.get(f"/admin/responses/{world['paper']}")  # a second opening changes nothing
    unread_by_iro = _ids(iro.get("/admin/responses?unread=1").get_data(as_text=True))
    assert world["paper"] not in unread_by_iro and world["pashto"] in unread_by_iro
    unread_by_admin = _ids(admin.get("/admin/responses?unread=1").get_data(as_text=True))
    assert world["paper"] in unread_by_admin
    with app.app_context():
        reads = _db.session.execute(sa.select(ResponseRead)).scalars().all()
        assert [(r.response_id, r.user_id) for r in reads] == [(world["paper"], iro_id)]


def test_a_page_is_one_query_however_many_rows(app, admin, world):
    for _ in range(6):
        add_response(app, world["mine"])
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if "response" in statement.lower() and statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    with app.app_context():
        engine = _db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        page = admin.get("/admin/responses")
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert page.status_code == 200 and len(_ids(page.get_data(as_text=True))) == 11
    assert len(statements) == 1, statements


def test_pages_of_fifty(app, admin, world):
    for _ in range(50):
        add_response(
            app, None, source="import", submitted_at=dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
        )
    first = admin.get("/admin/responses").get_data(as_text=True)
    second = admin.get("/admin/responses?page=2&source=import").get_data(as_text=True)
    assert len(_ids(first)) == 50 and "Page 1 of 2" in first and "page=2" in first
    assert len(_ids(second)) == 1 and "Previous page" in second


def _translate(client, response_id, text, key="going_well"):
    token = csrf_token(client, f"/admin/responses/{response_id}")
    return client.post(f"/admin/responses/{response_id}/translation",
                       data={"csrf_token": token, "question_key": key, "translation": text})  # fmt: skip


def test_a_pasted_translation_sits_beside_the_original_and_is_audited_without_text(app, iro, world):
    page = iro.get(f"/admin/responses/{world['pashto']}").get_data(as_text=True)
    assert "needs translating" in page and "ښه دی" in page
    assert _translate(iro, world["pashto"], "It is good").status_code == 302
    stored = get(app, Response, world["pashto"])
    assert stored.answers == {"going_well": "ښه دی"}  # the original is never changed
    assert stored.translations == {"going_well": "It is good"}
    assert stored.untranslated_text is False
    for url in (f"/admin/responses/{world['pashto']}", f"/admin/reviews/{world['mine']}/digest"):
        shown = iro.get(url).get_data(as_text=True)
        assert "ښه دی" in shown and "It is good" in shown
    assert _ids(iro.get("/admin/responses?translate=1").get_data(as_text=True)) == []
    with app.app_context():
        [event] = _db.session.query(AuditEvent).filter_by(action="response_translated").all()
        assert event.detail == {"question_key": "going_well", "removed": False}
        assert "It is good" not in str(event.detail)


@pytest.mark.parametrize(
    ("key", "text"),
    [("worries", "x"), ("nope", "x"), ("going_well", "x" * 5001), ("going_well", "a\x00b")],
)
def test_a_translation_of_nothing_or_too_long_is_refused(app, iro, world, key, text):
    page = _translate(iro, world["pashto"], text, key=key)
    assert page.status_code == 400 and "There is a problem" in page.get_data(as_text=True)
    assert get(app, Response, world["pashto"]).translations is None


def test_a_manager_may_read_but_not_translate(make_staff, signed_in, world):
    manager = signed_in(make_staff("manager"))
    assert manager.get(f"/admin/responses/{world['pashto']}").status_code == 200
    assert _translate(manager, world["pashto"], "It is good").status_code == 403


def test_purge_removes_translations_with_the_free_text(app, iro, world):
    _translate(iro, world["pashto"], "It is good")
    with app.app_context():
        purge(today=dt.date.today() + dt.timedelta(days=800), retention_days=730,
              draft_retention_days=30)  # fmt: skip
        _db.session.commit()
    stored = get(app, Response, world["pashto"])
    assert stored.translations is None and stored.answers == {"going_well": True}
    assert stored.purged_at is not None
