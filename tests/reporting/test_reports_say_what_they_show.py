"""Each report says what it counts, and counts what it says."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from portal.extensions import db
from portal.languages.i18n import staff_language_choice, staff_language_name
from portal.models import AuditEvent, Child, Response, Review
from portal.reporting.charts import RIGHT, WIDTH, bar_chart, line_chart
from tests.reporting.domain_data import domain_rows, write_csv
from tests.reporting.test_feedback_cli import ROWS as RESPONSE_ROWS
from tests.reporting.test_feedback_cli import answers, import_rows
from tests.reporting.test_report_screens import cells, page

# Feedback forms for the 2015/16 cared-for children: 40 sent after the review, 10 returned.
FEEDBACK_ROWS = [
    [f"FB2015-{i:04d}", "cared_for", "2015-06-01", "feedback", "child", "2015-06-02",
     "2015-06-20" if i < 10 else "", "email", "en", "iro.a@example.org", "",
     "online" if i < 10 else ""]
    for i in range(40)
]  # fmt: skip


@pytest.fixture
def both_stages(runner, tmp_path):
    path = write_csv(tmp_path / "i.csv", domain_rows() + FEEDBACK_ROWS)
    result = runner.invoke(args=["import", "invitations", str(path), "--quiet"])
    assert result.exit_code == 0, result.output


def test_the_annual_summary_counts_consultation_forms_unless_a_stage_is_chosen(
    client, make_staff, sign_in, both_stages
):
    sign_in(client, make_staff("manager"))
    html = page(client, "/admin/reports/returns?period=2015/16")
    got = cells(html)
    assert got["summary:all:young_person:sent"] == "288"  # not 328: feedback forms left out
    assert "Annual report summary: consultation forms" in html
    html = page(client, "/admin/reports/returns?period=2015/16&stage=feedback")
    got = cells(html)
    assert "Annual report summary: feedback forms" in html
    assert (got["summary:all:young_person:sent"], got["summary:all:young_person:received"]) == (
        "40", "10",
    )  # fmt: skip


def test_timeliness_counts_consultation_forms_only(client, make_staff, sign_in, both_stages):
    sign_in(client, make_staff("manager"))
    html = page(client, "/admin/reports/returns?period=2015/16")
    assert "1144 consultation forms" in html.replace("\n", " ")
    html = page(client, "/admin/reports/returns?period=2015/16&stage=feedback")
    assert "1144 consultation forms" in html.replace("\n", " ")


def test_year_on_year_compares_the_same_review_kind(client, make_staff, sign_in, both_stages):
    sign_in(client, make_staff("manager"))
    html = page(client, "/admin/reports/returns?period=2016/17&review_kind=cared_for")
    got = cells(html)
    # Parents: 233 cared-for + 5 pathway-plan in 2015/16; only the 233 compare with cared-for.
    assert got["previous:parent:sent"] == "233"
    assert got["summary:previous:parent:sent"] == "233"
    assert got["all:parent:sent"] == "492"
    assert "pathway_plan:parent:sent" not in got
    assert "Cared-for review (C4C) 2015/16" in html


LANGUAGE_NAMES = {
    "fa_AF": "Dari", "en_ER": "Easy read English", "ku": "Kurdish (Kurmanji)",
    "ckb": "Kurdish (Sorani)", "fa": "Farsi", "ar": "Arabic", "cy": "Welsh", "pl": "Polish",
    "om": "Oromo",
}  # fmt: skip


def test_language_names_are_the_ones_people_say():
    for code, name in LANGUAGE_NAMES.items():
        assert staff_language_name(code) == name
    assert staff_language_choice("fa_AF") == "Dari – دری"
    assert staff_language_choice("en_ER") == "Easy read English"
    assert staff_language_choice("en") == "English"
    assert staff_language_choice("pl") == "Polish – polski"
    assert staff_language_choice("om") == "Oromo – Oromoo"
    assert staff_language_name("xx") == "xx"


def test_staff_screens_show_language_names_not_codes(app, client, make_staff, sign_in):
    sign_in(client, make_staff("admin"))
    with app.app_context():
        child = Child(case_ref="LN-1", first_name="Sara", date_of_birth=dt.date(2012, 1, 1),
                      preferred_language="ar")  # fmt: skip
        db.session.add(child)
        db.session.commit()
        child_id = child.id
    html = page(client, f"/admin/children/{child_id}")
    assert "<dd>Arabic</dd>" in html
    html = page(client, "/admin/reports/returns?period=2015/16")
    assert ">Dari</option>" in html and ">Easy read English</option>" in html
    assert "Persian (Afghanistan)" not in html and "English (Eritrea)" not in html
    html = page(client, f"/admin/children/{child_id}/edit")
    assert "Dari – دری" in html and "Persian (Afghanistan)" not in html


def _chart(html: str, chart_id: str) -> str:
    return re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', html, re.S).group(0)


def test_the_role_chart_follows_the_chosen_period(client, make_staff, sign_in, both_stages):
    sign_in(client, make_staff("manager"))
    chart = _chart(page(client, "/admin/reports/returns?period=2015/16+Q2"), "chart-by-role")
    assert "2015/16 Q2" in chart
    descriptions = re.search(r"<desc[^>]*>(.*?)</desc>", chart, re.S).group(1)
    assert "2015-07" in descriptions and "2015-09" in descriptions
    assert "2015-06" not in descriptions and "2015-10" not in descriptions
    chart = _chart(page(client, "/admin/reports/returns?period=2015-06"), "chart-by-role")
    assert "2015-W23" in chart  # a month is drawn week by week
    chart = _chart(page(client, "/admin/reports/returns?period=2015/16"), "chart-by-role")
    assert chart.count("<circle") >= 12 and "2016-03" in chart


def test_no_bar_can_cover_the_target_label():
    svg = bar_chart("c", "Rates", [("email", 100.0), ("post", 50.0), ("hand", 75.0)], 50.0)
    label = re.search(r'<text class="chart-label chart-target-label" x="([\d.]+)"', svg)
    bars = [(float(x), float(x) + float(w)) for x, w in
            re.findall(r'<rect class="chart-bar[^"]*" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)]  # fmt: skip
    assert label and bars
    assert all(float(label.group(1)) > right for _left, right in bars)
    assert float(label.group(1)) >= WIDTH - RIGHT  # in the key, right of the plot
    lines = line_chart("l", "Rates", ["a", "b"], {"Child": [100.0, 20.0]}, 50.0)
    label = re.search(r'<text class="chart-label chart-target-label" x="([\d.]+)"', lines)
    assert float(label.group(1)) >= WIDTH - RIGHT


def test_exports_say_what_they_show_and_name_their_sheets_readably(
    client, make_staff, sign_in, both_stages
):
    sign_in(client, make_staff("manager"))
    url = "/admin/reports/returns?period=2015/16&stage=consultation&language=fa_AF&review_kind=cared_for"
    text = client.get(url + "&format=csv").get_data(as_text=True).lstrip("\ufeff")
    lines = text.splitlines()
    assert lines[0] == '"Return rates, 2015/16 (2015-04-01 to 2016-03-31)"'
    assert lines[1] == (
        "Filters: IRO: all; stage: consultation; review kind: cared_for; channel: all; "
        "language: Dari"
    )
    assert lines[2] == "Not for publication"
    assert "Return rates 2015/16" in lines[4]
    response = client.get(url + "&format=xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Return rates 2015-16", "Return rates 2014-15", "By channel 2015-16",
        "Channels by role 2015-16",
    ]  # fmt: skip
    first = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)][:4]
    assert first[0].startswith("Return rates, 2015/16") and first[1].startswith("Filters:")
    assert first[3] == "Return rates 2015/16"


def test_the_drill_down_links_and_exports_case_references(
    app, client, make_staff, sign_in, both_stages
):
    sign_in(client, make_staff("admin"))
    url = "/admin/reports/returns/invitations?period=2015/16&role=parent&review_kind=pathway_plan"
    html = page(client, url)
    links = re.findall(r'<a href="(/admin/reviews/\d+)">(PA2015-\d+)</a>', html)
    assert len(links) == 5
    assert page(client, links[0][0])  # the review the case reference links to opens
    assert "format=csv" in html
    text = client.get(url + "&format=csv").get_data(as_text=True)
    assert "Filters: IRO: all" in text and "Forms sent: parent, pathway_plan" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = rows.index(["case_ref", "review", "review_date", "review_kind", "stage", "role",
                         "channel", "language", "sent_on", "returned_on", "returned_by"])  # fmt: skip
    listed = rows[header + 1 :]
    assert len(listed) == 5 and listed[0][0].startswith("PA2015-")
    assert listed[0][1].startswith("http://") and "/admin/reviews/" in listed[0][1]
    with app.app_context():
        events = db.session.query(AuditEvent).filter_by(action="report_exported").all()
        assert [e.detail.get("report") for e in events] == ["forms-sent-2015-04-01"]


@pytest.fixture
def feedback_world(app, runner, tmp_path):
    """child_feedback: 4 imported answers in March 2017 and 1 a year earlier; parent_feedback: 6
    answers in March 2017 (so it is the busiest form), 2 of them on paper for a pathway-plan review."""
    rows = [*RESPONSE_ROWS, answers(submitted_on="2016-03-10", sent_form="no")]
    assert import_rows(runner, tmp_path, rows).exit_code == 0
    with app.app_context():
        child = Child(case_ref="FB-1", first_name="Ali", date_of_birth=dt.date(2000, 1, 1))
        reviews = [Review(child=child, kind=kind, review_date=dt.date(2017, 3, 1))
                   for kind in ("cared_for", "pathway_plan")]  # fmt: skip
        db.session.add_all([child, *reviews])
        db.session.flush()
        for index in range(6):
            paper = index < 2
            db.session.add(Response(
                form_key="parent_feedback", review_id=reviews[paper].id,
                answers={"shared_views": "yes" if paper else "no"},
                source="paper" if paper else "online",
                submitted_at=dt.datetime(2017, 3, 10, 12, tzinfo=dt.UTC),
            ))  # fmt: skip
        db.session.commit()


def test_the_feedback_report_opens_on_the_busiest_form_and_filters(
    client, make_staff, sign_in, feedback_world
):
    sign_in(client, make_staff("manager"))
    html = page(client, "/admin/reports/feedback?period=2017-03")
    assert '<option value="parent_feedback" selected>' in html
    got = cells(html)
    assert got["shared_views:yes:count"] == "2" and got["shared_views:no:count"] == "4"
    got = cells(page(client, "/admin/reports/feedback?period=2017-03&review_kind=pathway_plan"))
    assert (got["shared_views:yes:count"], got["shared_views:no:count"]) == ("2", "0")
    got = cells(page(client, "/admin/reports/feedback?period=2017-03&source=online"))
    assert (got["shared_views:yes:count"], got["shared_views:no:count"]) == ("0", "4")
    html = page(client, "/admin/reports/feedback?period=2017-03&review_kind=nonsense")
    assert cells(html)["shared_views:no:count"] == "4"  # an unknown kind is no filter, not a 500


def test_the_feedback_report_compares_a_year_earlier_and_exports_labels(
    client, make_staff, sign_in, feedback_world
):
    sign_in(client, make_staff("manager"))
    url = "/admin/reports/feedback?form=child_feedback&period=2017-03"
    got = cells(page(client, url))
    assert got["sent_form:yes:pct"] == "50.0%"  # 2 of the 4 in March 2017
    assert got["sent_form:no:previous"] == "100.0%"  # the one in March 2016 said no
    text = client.get(url + "&format=csv").get_data(as_text=True)
    assert "Were you sent a form to fill in before your review?,choice" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = next(n for n, row in enumerate(rows) if row[:2] == ["question", "type"])
    assert rows[header][-2:] == ["question_key", "option_key"]
    first = rows[header + 1]
    assert first[-2] == "sent_form" and first[0] != "sent_form"


def test_the_feedback_report_filters_by_the_young_persons_age_band(
    app, client, make_staff, sign_in, feedback_world
):
    with app.app_context():
        for case_ref, born, said in (
            ("AB-9", dt.date(2008, 3, 2), "yes"),  # 8 on 2017-03-01
            ("AB-14", dt.date(2003, 3, 1), "no"),
        ):  # 14 that day
            child = Child(case_ref=case_ref, first_name="Sam", date_of_birth=born)
            review = Review(child=child, kind="cared_for", review_date=dt.date(2017, 3, 1))
            db.session.add_all([child, review])
            db.session.flush()
            db.session.add(Response(
                form_key="child_feedback", review_id=review.id, role="child",
                answers={"sent_form": said}, source="online",
                submitted_at=dt.datetime(2017, 3, 12, 12, tzinfo=dt.UTC),
            ))  # fmt: skip
        db.session.commit()
    sign_in(client, make_staff("manager"))
    url = "/admin/reports/feedback?form=child_feedback&period=2017-03"
    got = cells(page(client, url + "&age_band=8-11"))
    assert (got["sent_form:yes:count"], got["sent_form:no:count"]) == ("1", "0")
    got = cells(page(client, url + "&age_band=12-17"))
    assert (got["sent_form:yes:count"], got["sent_form:no:count"]) == ("0", "1")
    got = cells(page(client, url + "&age_band=4-7"))
    assert (got["sent_form:yes:count"], got["sent_form:no:count"]) == ("0", "0")
    got = cells(page(client, url))
    assert got["sent_form:yes:count"] == "3"  # 2 imported (no age known) and the 8-year-old
