"""The chase list (ADR 0059): who sees which rows, sorting and filters, the bulk
actions all or nothing, declined forms, the CSV export, the dashboard counts, and a manager
acknowledging an alert for an absent IRO."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from portal.delivery.sending import send_due
from portal.extensions import db as _db
from portal.models import AuditEvent, ChaseNote, Invitation, SafeguardingAlert
from portal.rules import chasing
from portal.rules.workdays import working_days_between
from portal.web.respond import journey
from tests.conftest import csrf_token
from tests.integration.workspace import (
    add_invitation,
    get,
    mail_part,
    make_review,
    working_days_ahead,
)

BASE = "https://portal.example"
ROW_IDS = re.compile(r'name="ids" value="(\d+)"')


@pytest.fixture
def app_config(smtp_sink):
    return {"MAIL_URL": smtp_sink.url, "PORTAL_BASE_URL": BASE}


@pytest.fixture
def team(app, make_staff):
    """Two IROs, an admin and a manager; each IRO has a review with forms out."""
    people = {
        "amy": make_staff("iro", name="Amy Iro"),
        "ben": make_staff("iro", name="Ben Iro"),
        "admin": make_staff("admin"),
        "manager": make_staff("manager"),
    }
    # 8 working days away: consultation forms were due to go 2 working days ago (overdue).
    amy_review = make_review(app, people["amy"], review_date=working_days_ahead(8), case_ref="A-1")
    ben_review = make_review(app, people["ben"], review_date=working_days_ahead(30), case_ref="B-1")
    people["amy_email"] = add_invitation(app, amy_review, "parent", email="mum@example.org")
    people["amy_post"] = add_invitation(app, amy_review, "carer", channel="post", email=None)
    people["ben_email"] = add_invitation(app, ben_review, "health", email="nurse@example.org")
    people["amy_review"], people["ben_review"] = amy_review, ben_review
    return people


def signed_in(app, sign_in, user_id):
    client = app.test_client()
    sign_in(client, user_id)
    return client


def listed(client, url="/admin/chase"):
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)[:400]
    return [int(i) for i in ROW_IDS.findall(page.get_data(as_text=True))], page


def post_action(client, ids, action, url="/admin/chase", **fields):
    token = csrf_token(client, "/admin/chase")
    data = {"csrf_token": token, "action": action, "ids": [str(i) for i in ids], **fields}
    return client.post(url, data=data)


# --- Who sees what ---


def test_an_iro_sees_only_their_own_reviews_forms_even_asking_for_another_iro(app, sign_in, team):
    amy = signed_in(app, sign_in, team["amy"])
    ids, _ = listed(amy)
    assert sorted(ids) == sorted([team["amy_email"], team["amy_post"]])
    # Asking for Ben's forms by the query string shows nothing of his.
    assert listed(amy, f"/admin/chase?iro={team['ben']}")[0] == []
    csv_text = amy.get(f"/admin/chase.csv?iro={team['ben']}").get_data(as_text=True)
    assert "B-1" not in csv_text


def test_admins_and_managers_see_everyone_but_a_manager_has_no_actions(app, sign_in, team):
    everyone = {team["amy_email"], team["amy_post"], team["ben_email"]}
    admin = signed_in(app, sign_in, team["admin"])
    assert set(listed(admin)[0]) == everyone
    manager = signed_in(app, sign_in, team["manager"])
    page = manager.get("/admin/chase")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "B-1" in html and "A-1" in html
    assert 'name="ids"' not in html and "Do this for the ticked forms" not in html
    token = csrf_token(manager, "/admin/alerts")  # any page with a token (the sign-out form)
    refused = manager.post(
        "/admin/chase",
        data={"csrf_token": token, "action": "decline", "ids": [str(team["amy_email"])]},
    )
    assert refused.status_code == 403
    assert get(app, Invitation, team["amy_email"]).declined_at is None


def test_returned_revoked_stood_down_and_qr_forms_are_not_on_the_list(app, sign_in, team):
    with app.app_context():
        now = dt.datetime.now(dt.UTC)
        _db.session.get(Invitation, team["amy_email"]).returned_at = now
        _db.session.get(Invitation, team["amy_post"]).revoked_at = now
        _db.session.commit()
    admin = signed_in(app, sign_in, team["admin"])
    assert listed(admin)[0] == [team["ben_email"]]


# --- Sorting and filtering ---


def test_sorting_and_filtering(app, sign_in, team):
    admin = signed_in(app, sign_in, team["admin"])
    by_due = listed(admin)[0]
    assert by_due[-1] == team["ben_email"]  # Ben's send-by date is weeks away
    most_overdue_last = listed(admin, "/admin/chase?sort=overdue&dir=asc")[0]
    assert most_overdue_last[0] == team["ben_email"]
    by_iro_desc = listed(admin, "/admin/chase?sort=iro&dir=desc")[0]
    assert by_iro_desc[0] == team["ben_email"]
    by_role = listed(admin, "/admin/chase?sort=role")[0]
    assert by_role == [
        team["amy_post"],
        team["ben_email"],
        team["amy_email"],
    ]  # carer, health, parent
    assert listed(admin, "/admin/chase?channel=post")[0] == [team["amy_post"]]
    assert listed(admin, "/admin/chase?role=health")[0] == [team["ben_email"]]
    assert set(listed(admin, "/admin/chase?overdue=1")[0]) == {team["amy_email"], team["amy_post"]}
    assert listed(admin, f"/admin/chase?iro={team['ben']}")[0] == [team["ben_email"]]


@pytest.mark.parametrize(
    "query", ["sort=surname", "role=uncle", "dir=sideways", "iro=abc", "page=0", "iro=99999999999"]
)
def test_a_filter_the_page_cannot_use_is_a_400_with_a_reason(app, sign_in, team, query):
    admin = signed_in(app, sign_in, team["admin"])
    page = admin.get(f"/admin/chase?{query}")
    assert page.status_code == 400
    assert "filter" in page.get_data(as_text=True)


def test_days_overdue_are_working_days_and_the_list_pages(app, sign_in, team, db):
    today = dt.date.today()
    with app.app_context():
        due = _db.session.get(Invitation, team["amy_email"]).due_at
    assert chasing.days_overdue(due, today) == working_days_between(due, today) > 0
    assert chasing.days_overdue(today, today) == 0
    review = make_review(app, team["amy"], review_date=working_days_ahead(40), case_ref="P-1")
    for _ in range(chasing.PAGE_SIZE + 2):
        add_invitation(app, review, "education", email="s@example.org")
    admin = signed_in(app, sign_in, team["admin"])
    first, page = listed(admin)
    assert len(first) == chasing.PAGE_SIZE
    assert "page 1 of 2" in page.get_data(as_text=True)
    second, _ = listed(admin, "/admin/chase?page=2")
    assert len(second) == 5 and not set(first) & set(second)


def test_one_page_is_one_query(app, team, db):
    """No N+1: a page is a single SELECT whatever its length."""
    import sqlalchemy as sa

    from portal.models import StaffUser

    statements = []
    with app.app_context():
        user = _db.session.get(StaffUser, team["admin"])
        sa.event.listen(_db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        page = chasing.chase_page(user, dt.date.today(), chasing.Filters())
        assert page.total == 3 and [row.case_ref for row in page.rows]
    assert len(statements) == 1


# --- Bulk actions ---


def test_a_ticked_id_the_user_may_not_see_refuses_the_whole_action(app, sign_in, team):
    amy = signed_in(app, sign_in, team["amy"])
    refused = post_action(amy, [team["amy_email"], team["ben_email"]], "decline")
    assert refused.status_code == 404
    assert get(app, Invitation, team["amy_email"]).declined_at is None
    assert get(app, Invitation, team["ben_email"]).declined_at is None
    refused = post_action(amy, [team["amy_post"], 2_000_000], "record", kind="phone",
                          chased_on=dt.date.today().isoformat())  # fmt: skip
    assert refused.status_code == 404
    with app.app_context():
        assert _db.session.query(ChaseNote).count() == 0


def test_ticking_nothing_or_a_bad_id_is_a_400(app, sign_in, team):
    admin = signed_in(app, sign_in, team["admin"])
    assert post_action(admin, [], "decline").status_code == 400
    assert post_action(admin, ["x1"], "decline").status_code == 400
    assert post_action(admin, [team["amy_email"]], "explode").status_code == 400


def test_remind_now_sends_exactly_once_and_counts_as_a_reminder(app, sign_in, team, smtp_sink):
    amy = signed_in(app, sign_in, team["amy"])
    with app.app_context():  # sent yesterday by the scheduled run
        invitation = _db.session.get(Invitation, team["amy_email"])
        invitation.sent_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        invitation.token_hash = "a" * 64
        _db.session.commit()
    done = post_action(amy, [team["amy_email"]], "remind")
    assert done.status_code == 303
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0]["To"] == "mum@example.org"
    assert "Reminder" in smtp_sink.messages[0]["Subject"]
    again = post_action(amy, [team["amy_email"]], "remind")  # a second click
    assert again.status_code == 303
    assert len(smtp_sink.messages) == 1
    reminded = get(app, Invitation, team["amy_email"])
    assert reminded.reminders_sent == 1 and reminded.last_reminded_at is not None
    with app.app_context():
        actions = [e.action for e in _db.session.query(AuditEvent).order_by(AuditEvent.id)]
        event = _db.session.query(AuditEvent).filter_by(action="chase_reminders").first()
        assert event.detail["reminded"] == 1 and "mum@" not in str(event.detail)
    assert "reminder_sent" in actions


def test_a_feedback_form_is_reminded_after_the_review_with_a_link_that_works_again(
    app, sign_in, team, smtp_sink
):
    held = make_review(app, team["amy"], review_date=dt.date.today() - dt.timedelta(days=40),
                       status="held", case_ref="H-1")  # fmt: skip
    month_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=35)
    feedback = add_invitation(app, held, "parent", stage="feedback", email="dad@example.org",
                              sent_at=month_ago, expires_at=month_ago + dt.timedelta(days=28),
                              token_hash="b" * 64)  # fmt: skip
    with app.app_context():  # the daily run never reminds a feedback form
        assert send_due(dt.date.today(), review_id=held).reminded == 0
    admin = signed_in(app, sign_in, team["admin"])
    assert post_action(admin, [feedback], "remind").status_code == 303
    [message] = smtp_sink.messages
    assert message["Subject"] == "Reminder: tell us how the review went"
    text = mail_part(message)
    assert "how it went" in text and "This is a reminder" in text and "before the" not in text
    token = re.search(rf"{BASE}/r/(\S+)", text).group(1)
    with app.app_context():
        state, _invitation = journey.find_by_token(token)
        assert state is journey.LinkState.OK  # its first link had run out
    assert post_action(admin, [feedback], "remind").status_code == 303  # a second click
    assert len(smtp_sink.messages) == 1
    reminded = get(app, Invitation, feedback)
    assert reminded.reminders_sent == 1 and reminded.last_reminded_at is not None
    with app.app_context():
        events = _db.session.query(AuditEvent).filter_by(action="chase_reminders").all()
        assert [(e.detail["reminded"], e.detail["skipped"]) for e in events] == [(1, 0), (0, 1)]
        assert _db.session.query(AuditEvent).filter_by(action="reminder_sent").count() == 1


def test_remind_refuses_post_forms_and_sends_nothing(app, sign_in, team, smtp_sink):
    amy = signed_in(app, sign_in, team["amy"])
    refused = post_action(amy, [team["amy_email"], team["amy_post"]], "remind")
    assert refused.status_code == 400
    assert "Untick 1 forms" in refused.get_data(as_text=True)
    assert smtp_sink.messages == []


def test_an_unsent_email_form_goes_out_as_its_first_email(app, sign_in, team, smtp_sink):
    amy = signed_in(app, sign_in, team["amy"])
    assert post_action(amy, [team["amy_email"]], "remind").status_code == 303
    assert len(smtp_sink.messages) == 1
    sent = get(app, Invitation, team["amy_email"])
    assert sent.sent_at is not None and sent.reminders_sent == 0


def test_print_letters_for_post_forms_only(app, sign_in, team):
    amy = signed_in(app, sign_in, team["amy"])
    refused = post_action(amy, [team["amy_post"], team["amy_email"]], "print")
    assert refused.status_code == 400
    assert get(app, Invitation, team["amy_post"]).sent_at is None
    printed = post_action(amy, [team["amy_post"]], "print")
    assert printed.status_code == 200
    html = printed.get_data(as_text=True)
    assert 'class="letter"' in html and "Test carer" in html
    assert get(app, Invitation, team["amy_post"]).sent_at is not None


def test_record_a_call_keeps_a_history_and_checks_date_and_note(app, sign_in, team):
    amy = signed_in(app, sign_in, team["amy"])
    today = dt.date.today()
    future = post_action(amy, [team["amy_post"]], "record", kind="phone",
                         chased_on=(today + dt.timedelta(days=1)).isoformat())  # fmt: skip
    assert future.status_code == 400
    assert "today or in the past" in future.get_data(as_text=True)
    too_long = post_action(amy, [team["amy_post"]], "record", kind="visit",
                           chased_on=today.isoformat(), note="x" * 201)  # fmt: skip
    assert too_long.status_code == 400
    no_kind = post_action(amy, [team["amy_post"]], "record", chased_on=today.isoformat())
    assert no_kind.status_code == 400
    for kind in ("phone", "visit"):
        done = post_action(amy, [team["amy_post"], team["amy_email"]], "record", kind=kind,
                           chased_on=today.isoformat(), note="Spoke to carer")  # fmt: skip
        assert done.status_code == 303
    with app.app_context():
        notes = _db.session.query(ChaseNote).filter_by(invitation_id=team["amy_post"]).all()
        assert sorted(n.kind for n in notes) == ["phone", "visit"]
        event = _db.session.query(AuditEvent).filter_by(action="chase_recorded").first()
        assert event.detail["count"] == 2 and "Spoke" not in str(event.detail)
    assert today.strftime("%Y") in listed(amy)[1].get_data(as_text=True)


def test_declined_leaves_the_list_stays_not_returned_and_can_be_undone(app, sign_in, team):
    amy = signed_in(app, sign_in, team["amy"])
    assert post_action(amy, [team["amy_post"]], "decline").status_code == 303
    assert listed(amy)[0] == [team["amy_email"]]
    declined = get(app, Invitation, team["amy_post"])
    assert declined.declined_at is not None and declined.returned_at is None
    assert listed(amy, "/admin/chase?view=declined")[0] == [team["amy_post"]]
    # Declined forms cannot be declined again (they are not on the open list)...
    assert post_action(amy, [team["amy_post"]], "decline").status_code == 404
    # ...and undo works only from the declined view.
    undo = post_action(amy, [team["amy_post"]], "undecline", url="/admin/chase?view=declined")
    assert undo.status_code == 303
    assert sorted(listed(amy)[0]) == sorted([team["amy_email"], team["amy_post"]])
    with app.app_context():
        actions = {e.action for e in _db.session.query(AuditEvent)}
    assert {"chase_declined", "chase_decline_undone"} <= actions


def test_declined_still_counts_as_sent_and_not_returned_in_return_rates(app, team, db):
    """Return rates read sent_at and returned_at only: declining changes neither."""
    with app.app_context():
        invitation = _db.session.get(Invitation, team["amy_post"])
        invitation.sent_at = dt.datetime.now(dt.UTC)
        invitation.declined_at = dt.datetime.now(dt.UTC)
        _db.session.commit()
        assert invitation.returned_at is None and invitation.sent_at is not None


# --- CSV export ---


def test_csv_export_records_the_filters_and_is_formula_safe(app, sign_in, team):
    with app.app_context():
        _db.session.get(Invitation, team["amy_post"]).recipient_name = "=HYPERLINK(1)"
        _db.session.commit()
    admin = signed_in(app, sign_in, team["admin"])
    response = admin.get("/admin/chase.csv?channel=post&overdue=1")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert "channel=post" in rows[0][0] and "overdue=1" in rows[0][0]
    assert rows[1][0] == "Send by"
    assert len(rows) == 3 and rows[2][2] == "A-1" and rows[2][7] == "'=HYPERLINK(1)"
    with app.app_context():
        assert _db.session.query(AuditEvent).filter_by(action="chase_exported").count() == 1


# --- Dashboard ---


def test_the_dashboard_shows_the_iros_counts_linking_to_the_filtered_list(app, sign_in, team):
    amy = signed_in(app, sign_in, team["amy"])
    html = amy.get("/admin/").get_data(as_text=True)
    assert "2 forms overdue" in html
    assert "0 forms due this week" in html
    assert "/admin/chase?overdue=1" in html.replace("&amp;", "&")
    with app.app_context():
        user = _db.session.get(__import__("portal.models").models.StaffUser, team["ben"])
        counts = chasing.counts(user, dt.date.today())
    assert counts.overdue == 0


# --- A manager covers an absent IRO's alert ---


def _alert(app, review_id):
    with app.app_context():
        alert = SafeguardingAlert(review_id=review_id, form_key="f", question_key="q",
                                  option_key="o")  # fmt: skip
        _db.session.add(alert)
        _db.session.commit()
        return alert.id


def test_a_manager_acknowledges_an_alert_on_behalf_of_the_iro(app, sign_in, team):
    alert_id = _alert(app, team["amy_review"])
    manager = signed_in(app, sign_in, team["manager"])
    page = manager.get(f"/admin/alerts/{alert_id}")
    assert "Acknowledge on behalf of Amy Iro" in page.get_data(as_text=True)
    token = csrf_token(manager, f"/admin/alerts/{alert_id}")
    done = manager.post(f"/admin/alerts/{alert_id}/acknowledge",
                        data={"csrf_token": token, "note": "Rang the duty team"})  # fmt: skip
    assert done.status_code == 302
    acknowledged = get(app, SafeguardingAlert, alert_id)
    assert acknowledged.acknowledged_by_id == team["manager"]
    with app.app_context():
        event = _db.session.query(AuditEvent).filter_by(action="alert_acknowledged").one()
        assert event.detail == {"on_behalf_of": team["amy"], "actor_role": "manager"}
    assert "on behalf of Amy Iro" in manager.get(f"/admin/alerts/{alert_id}").get_data(as_text=True)


def test_the_iro_acknowledging_their_own_alert_is_not_on_behalf_of_anyone(app, sign_in, team):
    alert_id = _alert(app, team["amy_review"])
    amy = signed_in(app, sign_in, team["amy"])
    token = csrf_token(amy, f"/admin/alerts/{alert_id}")
    amy.post(f"/admin/alerts/{alert_id}/acknowledge", data={"csrf_token": token, "note": ""})
    with app.app_context():
        event = _db.session.query(AuditEvent).filter_by(action="alert_acknowledged").one()
        assert event.detail == {}


def test_a_manager_still_cannot_see_or_acknowledge_what_does_not_exist(app, sign_in, team):
    manager = signed_in(app, sign_in, team["manager"])
    token = csrf_token(manager, "/admin/alerts")
    assert manager.post("/admin/alerts/999/acknowledge",
                        data={"csrf_token": token}).status_code == 404  # fmt: skip
