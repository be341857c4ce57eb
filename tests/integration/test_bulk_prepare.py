"""Prepare in bulk (ADR 0060): every scheduled review in a window with no
consultation invitation yet gets exactly the Prepare screen's proposals; a second run makes
nothing; a missing address is never a refusal, only counted as needing a contact."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from sqlalchemy import event, func, select

from portal.extensions import db
from portal.models import AuditEvent, Invitation, Review
from portal.rules import bulk_prepare
from portal.rules import invitations as rules
from tests.conftest import csrf_token
from tests.integration.workspace import (
    add_contacts,
    add_invitation,
    make_review,
    working_days_ahead,
)

ADDRESS = "1 High Street\nTown\nAB1 2CD"


def window(days: int = 40) -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    return today, today + dt.timedelta(days=days)


def invitations_of(app, review_id: int) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(Invitation).where(Invitation.review_id == review_id).order_by(Invitation.id)
        ).scalars()
        return [(i.role, i.channel, i.recipient_email, i.postal_address, i.language) for i in rows]


def run(app, start: dt.date, end: dt.date, user=None) -> bulk_prepare.BulkSummary:
    with app.app_context():
        summary = bulk_prepare.prepare_window(start, end, user=user)
        db.session.commit()
        return summary


def test_same_proposals_as_the_prepare_screen_with_contacts_as_channels(app, iro_id):
    review_id = make_review(app, iro_id, language="ar")
    add_contacts(
        app,
        review_id,
        {"role": "parent", "name": "Mum", "email": "Mum@Example.org"},
        {"role": "parent", "name": "Dad", "postal_address": ADDRESS, "language": "ps"},
        {"role": "carer", "name": "Foster Carer"},
    )
    with app.app_context():
        review = db.session.get(Review, review_id)
        expected = [
            (p.role, p.channel, (p.recipient_email or "").lower() or None, p.postal_address,
             p.language)
            for p in rules.propose(review, "consultation")
        ]  # fmt: skip
    summary = run(app, *window())
    assert invitations_of(app, review_id) == expected
    assert [row[:2] for row in expected] == [
        ("child", "hand"), ("parent", "email"), ("parent", "post"), ("carer", "hand"),
        ("health", "hand"), ("education", "hand"),
    ]  # fmt: skip
    assert summary.as_dict() == {
        "reviews": 1,
        "invitations": 6,
        "by_role": {"child": 1, "parent": 2, "carer": 1, "health": 1, "education": 1},
        "need_contact": 4,  # child, carer (no details), health, education
    }
    with app.app_context():
        one = db.session.execute(select(Invitation).where(Invitation.role == "child")).scalar_one()
        review = db.session.get(Review, review_id)
        assert one.due_at == rules.due_date(review, "consultation")
        assert (one.review_date, one.review_kind, one.stage) == (
            review.review_date, "cared_for", "consultation")  # fmt: skip
        assert one.form_key == rules.proposal_for(review, "consultation", "child").form_key


def test_window_selection_only_scheduled_reviews_in_the_window(app, iro_id):
    start = working_days_ahead(10)
    end = start + dt.timedelta(days=14)
    inside = make_review(app, iro_id, review_date=start)
    last_day = make_review(app, iro_id, review_date=end)
    before = make_review(app, iro_id, review_date=start - dt.timedelta(days=1))
    after = make_review(app, iro_id, review_date=end + dt.timedelta(days=1))
    stood_down = make_review(app, iro_id, review_date=start, status="stood_down")
    summary = run(app, start, end)
    assert summary.reviews == 2
    assert invitations_of(app, inside) and invitations_of(app, last_day)
    for untouched in (before, after, stood_down):
        assert invitations_of(app, untouched) == []


def test_a_past_review_still_scheduled_is_left_out(app, iro_id):
    past = make_review(app, iro_id, review_date=dt.date.today() - dt.timedelta(days=3))
    assert run(app, dt.date.today() - dt.timedelta(days=10), dt.date.today()).reviews == 0
    assert invitations_of(app, past) == []


def test_idempotent_and_a_review_with_any_invitation_is_left_alone(app, iro_id):
    worked_on = make_review(app, iro_id)
    add_invitation(app, worked_on, "parent")
    fresh = make_review(app, iro_id)
    first = run(app, *window())
    assert (first.reviews, first.invitations) == (1, 5)
    assert len(invitations_of(app, worked_on)) == 1
    second = run(app, *window())
    assert second.as_dict() == {"reviews": 0, "invitations": 0, "by_role": {}, "need_contact": 0}
    assert len(invitations_of(app, fresh)) == 5


def test_a_second_run_while_the_first_is_uncommitted_waits_then_prepares_nothing(app, iro_id):
    reviews = [make_review(app, iro_id) for _ in range(3)]
    first_prepared, first_may_commit = threading.Event(), threading.Event()
    summaries: dict[str, bulk_prepare.BulkSummary] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with app.app_context():
                summaries["first"] = bulk_prepare.prepare_window(*window())
                first_prepared.set()
                first_may_commit.wait(timeout=30)
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # surfaced below
            errors.append(error)
            first_prepared.set()

    def second() -> None:
        try:
            summaries["second"] = run(app, *window())
            with app.app_context():
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    one, two = threading.Thread(target=first), threading.Thread(target=second)
    one.start()
    assert first_prepared.wait(timeout=30)
    two.start()
    two.join(timeout=1)  # unguarded, the second run is done by now (with duplicates)
    first_may_commit.set()
    one.join(timeout=60)
    two.join(timeout=60)
    assert errors == []
    assert summaries["first"].invitations == 15
    assert summaries["second"].as_dict()["invitations"] == 0
    assert [len(invitations_of(app, review)) for review in reviews] == [5, 5, 5]


def test_two_admins_pressing_prepare_at_once_both_see_a_summary_and_nothing_is_doubled(
    app, sign_in, make_staff, iro_id
):
    reviews = [make_review(app, iro_id) for _ in range(3)]
    clients = [signed_in(app, sign_in, make_staff("admin")) for _ in range(2)]
    tokens = [csrf_token(client, "/admin/invitations/prepare-all") for client in clients]
    barrier = threading.Barrier(2, timeout=30)
    pages: list[tuple[int, str]] = []

    def press(client, token) -> None:
        barrier.wait()
        response = client.post("/admin/invitations/prepare-all",
                               data={"csrf_token": token, "weeks": "8"})  # fmt: skip
        pages.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=press, args=pair) for pair in zip(clients, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [status for status, _page in pages] == [200, 200]
    headings = sorted("Nothing to prepare" in page for _status, page in pages)
    assert headings == [False, True]  # one prepared them, the other was told so
    assert [len(invitations_of(app, review)) for review in reviews] == [5, 5, 5]


def test_a_child_under_four_gets_no_form_the_adults_are_asked(app, iro_id):
    review_id = make_review(app, iro_id, age=2)
    summary = run(app, *window())
    roles = [row[0] for row in invitations_of(app, review_id)]
    assert roles == ["parent", "carer", "health", "education"]
    assert "child" not in summary.by_role


def test_pathway_plan_asks_the_care_leaver(app, iro_id):
    review_id = make_review(app, iro_id, kind="pathway_plan", age=18)
    run(app, *window())
    assert invitations_of(app, review_id)[0][0] == "care_leaver"


def test_an_iro_prepares_only_the_reviews_they_chair(app, iro_id, make_staff):
    other = make_staff("iro")
    mine = make_review(app, iro_id)
    theirs = make_review(app, other)
    with app.app_context():
        from portal.models import StaffUser

        user = db.session.get(StaffUser, iro_id)
        summary = bulk_prepare.prepare_window(*window(), user=user)
        db.session.commit()
    assert summary.reviews == 1
    assert invitations_of(app, mine) and invitations_of(app, theirs) == []


def test_audited_with_counts_only(app, iro_id):
    make_review(app, iro_id)
    run(app, *window())
    with app.app_context():
        event_ = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "invitations_prepared_in_bulk")
        ).scalar_one()
        assert event_.detail["invitations"] == 5 and event_.detail["need_contact"] == 5
        assert "Maya" not in json.dumps(event_.detail)


def test_a_handful_of_queries_however_many_reviews(app, iro_id):
    for _ in range(12):
        review_id = make_review(app, iro_id)
        add_contacts(app, review_id, {"role": "parent", "name": "Mum", "email": "m@example.org"})
    with app.app_context():
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            summary = bulk_prepare.prepare_window(*window())
            db.session.commit()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert summary.invitations == 60
        assert len(statements) <= 8, "\n".join(s[:100] for s in statements)
        count = db.session.scalar(select(func.count()).select_from(Invitation))
        assert count == 60


def test_a_window_backwards_or_too_long_is_refused(app):
    today = dt.date.today()
    with app.app_context(), pytest.raises(ValueError, match="before the start"):
        bulk_prepare.prepare_window(today, today - dt.timedelta(days=1))
    with app.app_context(), pytest.raises(ValueError, match="longer than a year"):
        bulk_prepare.prepare_window(today, today + dt.timedelta(days=400))


# --- `portal invitations prepare` ---


def prepare_cli(runner, *args: str):
    return runner.invoke(args=["invitations", "prepare", *args])


def test_cli_json_then_a_second_run_says_nothing_was_prepared(app, runner, iro_id):
    review_id = make_review(app, iro_id)
    add_contacts(app, review_id, {"role": "parent", "name": "Mum", "email": "m@example.org"})
    make_review(app, iro_id, age=2)
    start, end = window()
    result = prepare_cli(runner, "--from", str(start), "--to", str(end), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "reviews": 2,
        "invitations": 9,
        "by_role": {"child": 1, "parent": 2, "carer": 2, "health": 2, "education": 2},
        "need_contact": 8,
    }
    again = prepare_cli(runner, "--from", str(start), "--to", str(end), "--format", "json")
    assert json.loads(again.output)["invitations"] == 0
    with app.app_context():
        actions = db.session.execute(
            select(AuditEvent.detail).where(AuditEvent.action == "invitations_prepared_in_bulk")
        ).scalars()
        assert [detail["via"] for detail in actions] == ["cli", "cli"]


def test_cli_table(app, runner, iro_id):
    make_review(app, iro_id)
    start, end = window()
    result = prepare_cli(runner, "--from", start.strftime("%d/%m/%Y"), "--to", str(end))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["reviews", "1"]
    assert lines[1].split() == ["invitations", "5"]
    assert ["child", "1"] in [line.split() for line in lines]
    assert "need contact" in result.output
    again = prepare_cli(runner, "--from", str(start), "--to", str(end))
    assert "Nothing to prepare" in again.output and "invitations: 0" in again.output


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "2026-13-01", "--to", "2026-12-31"],
        ["--from", "tomorrow", "--to", "2026-12-31"],
        ["--from", "2026-12-31", "--to", "2026-12-01"],
        ["--from", "2026-01-01", "--to", "2028-01-01"],
        ["--to", "2026-12-31"],
        ["--from", "2026-12-01", "--to", "2026-12-31", "--format", "xml"],
    ],
)
def test_cli_bad_input_is_a_usage_error(app, runner, args):
    result = prepare_cli(runner, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


# --- "Prepare all reviews in the next N weeks" on the dashboard ---

URL = "/admin/invitations/prepare-all"


def signed_in(app, sign_in, user_id: int):
    client = app.test_client()
    sign_in(client, user_id)
    return client


def post_weeks(client, weeks: str | None, *, token: bool = True):
    data = {"csrf_token": csrf_token(client, "/admin/")} if token else {}
    if weeks is not None:
        data["weeks"] = weeks
    return client.post(URL, data=data)


def test_the_dashboard_offers_it_to_admins_and_iros_not_managers(app, sign_in, make_staff):
    for role, shown in (("admin", True), ("iro", True), ("manager", False)):
        page = signed_in(app, sign_in, make_staff(role)).get("/admin/").get_data(as_text=True)
        assert ('action="/admin/invitations/prepare-all"' in page) is shown, role


def test_an_admin_prepares_the_next_weeks_and_sees_what_needs_a_contact(
    app, sign_in, make_staff, iro_id
):
    soon = make_review(app, iro_id, review_date=working_days_ahead(5))
    add_contacts(app, soon, {"role": "parent", "name": "Mum", "email": "m@example.org"})
    later = make_review(app, iro_id, review_date=dt.date.today() + dt.timedelta(weeks=3))
    client = signed_in(app, sign_in, make_staff("admin"))
    response = post_weeks(client, "2")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Invitations prepared" in page
    assert f'href="/admin/reviews/{soon}"' in page  # needs a contact: linked
    assert len(invitations_of(app, soon)) == 5 and invitations_of(app, later) == []
    again = post_weeks(client, "2").get_data(as_text=True)
    assert "Nothing to prepare" in again
    with app.app_context():
        details = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "invitations_prepared_in_bulk")
        ).scalars()
        assert [(e.detail["via"], e.detail["invitations"], e.actor_id is not None)
                for e in details] == [("dashboard", 5, True), ("dashboard", 0, True)]  # fmt: skip


def test_an_iro_prepares_only_the_reviews_they_may_see(app, sign_in, make_staff, iro_id):
    mine = make_review(app, iro_id)
    theirs = make_review(app, make_staff("iro"))
    response = post_weeks(signed_in(app, sign_in, iro_id), "8")
    assert response.status_code == 200
    assert invitations_of(app, mine) and invitations_of(app, theirs) == []
    assert f"/admin/reviews/{theirs}" not in response.get_data(as_text=True)


@pytest.mark.parametrize("weeks", ["0", "9", "four", None])
def test_weeks_outside_one_to_eight_is_a_clear_400(app, sign_in, make_staff, iro_id, weeks):
    make_review(app, iro_id)
    response = post_weeks(signed_in(app, sign_in, make_staff("admin")), weeks)
    assert response.status_code == 400
    assert "Choose from 1 to 8 weeks" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_without_csrf_nothing_is_prepared(app, sign_in, make_staff, iro_id):
    make_review(app, iro_id)
    response = post_weeks(signed_in(app, sign_in, make_staff("admin")), "4", token=False)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_a_manager_may_not(app, sign_in, make_staff, iro_id):
    make_review(app, iro_id)
    client = signed_in(app, sign_in, make_staff("manager"))
    assert client.post(URL, data={"weeks": "4", "csrf_token": csrf_token(client, "/admin/")}
                       ).status_code == 403  # fmt: skip
    assert client.get(URL).status_code == 403


def test_the_page_works_without_the_dashboard(app, sign_in, make_staff):
    page = signed_in(app, sign_in, make_staff("iro")).get(URL)
    assert page.status_code == 200
    assert 'name="weeks"' in page.get_data(as_text=True)
