"""The report screens show the same figures as the CLI, exports hold them too, access is checked."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from portal.extensions import db
from portal.models import AuditEvent, StaffUser
from tests.reporting.domain_data import domain_rows, write_csv
from tests.reporting.test_feedback_cli import ROWS as RESPONSE_ROWS
from tests.reporting.test_feedback_cli import import_rows


@pytest.fixture
def imported(runner, tmp_path):
    result = runner.invoke(
        args=["import", "invitations", str(write_csv(tmp_path / "i.csv", domain_rows())), "--quiet"]
    )
    assert result.exit_code == 0, result.output


def cells(html):
    found = re.findall(r'<td[^>]*data-cell="([^"]+)">(.*?)</td>', html, re.S)
    return {key: re.sub(r"<[^>]+>", "", value).split(" ")[0].strip() for key, value in found}


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    return response.get_data(as_text=True)


def test_returns_screen_reproduces_both_annual_report_tables(client, make_staff, sign_in, imported):
    sign_in(client, make_staff("manager"))
    html = page(client, "/admin/reports/returns?period=2016/17")
    got = cells(html)
    # Second table: cared-for, 2016/17 beside 2015/16.
    for role, sent, received in (("child", 429, 87), ("parent", 492, 91), ("carer", 496, 191),
                                 ("health", 319, 104), ("education", 431, 133)):  # fmt: skip
        assert got[f"cared_for:{role}:sent"] == str(sent)
        assert got[f"cared_for:{role}:received"] == str(received)
    assert (got["cared_for:total:sent"], got["cared_for:total:received"]) == ("2167", "606")
    assert got["cared_for:total:rate"] == "28.0%"
    assert (got["pathway_plan:care_leaver:sent"], got["pathway_plan:care_leaver:received"]) == (
        "197", "21",
    )  # fmt: skip
    # First table (2015/16) from the year-on-year columns and the annual report summary.
    html = page(client, "/admin/reports/returns?period=2015/16")
    got = cells(html)
    expected = {"young_person": ("288", "36", "12.5%"), "parent": ("238", "15", "6.3%"),
                "carer": ("256", "90", "35.2%"), "health": ("185", "54", "29.2%"),
                "education": ("177", "67", "37.9%")}  # fmt: skip
    for key, (sent, received, rate) in expected.items():
        assert got[f"summary:all:{key}:sent"] == sent
        assert got[f"summary:all:{key}:received"] == received
        assert got[f"summary:all:{key}:rate"] == rate
    assert (got["all:total:sent"], got["all:total:received"], got["all:total:rate"]) == (
        "1144", "262", "22.9%",
    )  # fmt: skip
    assert got["summary:previous:education:sent"] == "0"
    assert "<svg" in html and "chart-by-role" in html and "target 50%" in html
    assert "How these figures are counted" in html


def test_an_iro_sees_only_their_own_figures_and_cannot_drill_down(
    app, client, make_staff, sign_in, imported
):
    with app.app_context():
        iro = db.session.query(StaffUser).filter_by(email="iro.a@example.org").one()
        iro.active, iro.password_hash = True, db.session.get(StaffUser, make_staff()).password_hash
        db.session.commit()
        iro_id = iro.id
    sign_in(client, iro_id)
    got = cells(page(client, "/admin/reports/returns?period=2015/16"))
    assert got["cared_for:child:sent"] == "91"  # every other review of 182
    assert 'name="iro"' not in page(client, "/admin/reports/returns?period=2015/16")
    page(client, "/admin/reports/returns/invitations?period=2015/16&role=child", 403)


def test_admins_drill_down_from_a_cell_to_its_invitations(client, make_staff, sign_in, imported):
    sign_in(client, make_staff("admin"))
    html = page(client, "/admin/reports/returns?period=2015/16")
    assert "/admin/reports/returns/invitations?" in html
    listed = page(
        client,
        "/admin/reports/returns/invitations?period=2015/16&role=parent&review_kind=pathway_plan",
    )
    assert len(re.findall(r'<tr><td><a href="/admin/reviews/\d+">PA2015-', listed)) == 5


def test_filters_narrow_the_table(client, make_staff, sign_in, imported):
    sign_in(client, make_staff("manager"))
    got = cells(page(client, "/admin/reports/returns?period=2015/16&channel=post"))
    assert got["all:total:sent"] == "570"  # odd-numbered rows went by post
    got = cells(page(client, "/admin/reports/returns?period=2015/16&stage=feedback"))
    assert got["all:total:sent"] == "0"


def test_a_bad_period_is_a_400_with_a_clear_message(client, make_staff, sign_in):
    sign_in(client, make_staff("manager"))
    html = page(client, "/admin/reports/returns?period=last+year", 400)
    assert "is not a period" in html


def test_csv_and_xlsx_exports_hold_the_same_numbers_and_are_audited(
    app, client, make_staff, sign_in, imported
):
    sign_in(client, make_staff("manager"))
    csv_text = client.get("/admin/reports/returns?period=2015/16&format=csv").get_data(as_text=True)
    assert "education,cared_for,177,67,37.9" in csv_text
    response = client.get("/admin/reports/returns?period=2015/16&format=xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("Return rates, 2015/16 (2015-04-01 to 2016-03-31)")
    assert ["role", "review_kind", "sent", "received", "rate_pct"] in rows
    assert ["education", "cared_for", 177, 67, 37.9] in rows
    assert rows[-1] == ["Total", None, 1144, 262, 22.9]
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="report_exported").count() == 2


def test_publication_suppresses_counts_of_1_to_4_and_their_rates(
    client, make_staff, sign_in, tmp_path, runner
):
    rows = [r for r in domain_rows() if r[4] == "parent" and r[1] == "pathway_plan"]
    runner.invoke(args=["import", "invitations", str(write_csv(tmp_path / "p.csv", rows))])
    sign_in(client, make_staff("manager"))
    got = cells(page(client, "/admin/reports/returns?period=2015/16&publication=1"))
    assert got["pathway_plan:parent:sent"] == "5" and got["pathway_plan:parent:received"] == "0"
    csv_text = client.get(
        "/admin/reports/returns?period=2015/16&format=csv&publication=1"
    ).get_data(as_text=True)
    assert "parent,pathway_plan,5,0,0.0" in csv_text
    # The first week of April 2015 holds three of those forms: 3 is published as "<5".
    csv_text = client.get(
        "/admin/reports/returns?period=2015-04-01..2015-04-07&format=csv&publication=1"
    ).get_data(as_text=True)
    assert "parent,pathway_plan,<5,0,suppressed" in csv_text
    got = cells(page(client, "/admin/reports/returns?period=2015-04-01..2015-04-07&publication=1"))
    assert got["pathway_plan:parent:sent"] == "&lt;5"
    assert got["pathway_plan:parent:rate"] == "suppressed"


def test_feedback_screen_shows_counts_and_escaped_comments_and_audits_the_view(
    app, client, make_staff, sign_in, runner, tmp_path
):
    rows = [*RESPONSE_ROWS, [*RESPONSE_ROWS[0][:-1], "<script>alert(1)</script>"]]
    assert import_rows(runner, tmp_path, rows).exit_code == 0
    sign_in(client, make_staff("manager"))
    html = page(client, "/admin/reports/feedback?form=child_feedback&period=2017-03")
    got = cells(html)
    assert got["sent_form:yes:count"] == "3" and got["sent_form:yes:pct"] == "60.0%"
    assert got["iro_listening:7-10:count"] == "3"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "Thank you" in html
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="report_comments_viewed").count() == 1
    published = page(
        client, "/admin/reports/feedback?form=child_feedback&period=2017-03&publication=1"
    )
    assert "Thank you" not in published and cells(published)["sent_form:yes:count"] == "&lt;5"
    exported = client.get(
        "/admin/reports/feedback?form=child_feedback&period=2017-03&format=csv"
    ).get_data(as_text=True)
    assert "'=HYPERLINK" in exported
    workbook = client.get("/admin/reports/feedback?form=child_feedback&period=2017-03&format=xlsx")
    comments_sheet = load_workbook(io.BytesIO(workbook.data)).worksheets[1]
    written = {cell.value: cell.data_type for row in comments_sheet.iter_rows() for cell in row}
    # Stored as a text cell, never as a formula.
    assert written['=HYPERLINK("http://x")'] == "s"
    assert "f" not in written.values()


def test_monthly_view_lists_every_month_of_the_year(client, make_staff, sign_in, imported):
    sign_in(client, make_staff("manager"))
    html = page(client, "/admin/reports/monthly?period=2016/17")
    assert html.count('<tr><th scope="row">20') == 12
    page(client, "/admin/reports/monthly?period=2017-03", 400)


def test_report_pages_need_sign_in(client):
    assert client.get("/admin/reports/returns").status_code == 302


def test_the_drill_down_rows_keep_an_iros_access_limit(app, imported):
    """The rows behind a figure are counted by the same filter as the figure, IRO limit included."""
    from portal.reporting.periods import parse_period
    from portal.reporting.returns import Filters, return_rates
    from portal.reporting.views import invitation_list

    with app.app_context():
        iro = db.session.query(StaffUser).filter_by(email="iro.a@example.org").one()
        period, limit = parse_period("2015/16"), Filters(own_iro_id=iro.id)
        rows = invitation_list(period, limit, "parent", None, limit=5000)
        figure = return_rates(period, ("role",), limit).row(role="parent").sent
        everyone = invitation_list(period, Filters(), "parent", None, limit=5000)
    assert 0 < len(rows) == figure < len(everyone)
