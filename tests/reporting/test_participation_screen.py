"""The Participation report screen: figures, year on year, by IRO, exports, access."""

from __future__ import annotations

import datetime as dt
import html
import io

import pytest
from openpyxl import load_workbook

from portal.extensions import db
from portal.models import AuditEvent
from tests.reporting.participation_data import add_reviews
from tests.reporting.test_report_screens import cells, page

URL = "/admin/reports/participation?period=2016/17"


@pytest.fixture
def held(app, make_staff):
    """Two IROs' reviews in 2016/17 and one the year before."""
    ids = {"a": make_staff("iro", email="iro.a@example.org"),
           "b": make_staff("iro", email="iro.b@example.org")}  # fmt: skip
    with app.app_context():
        add_reviews(
            dt.date(2016, 6, 1), {"PN1": 6, "PN7": 2, None: 1}, iro_id=ids["a"], chaired=True
        )
        add_reviews(dt.date(2016, 9, 1), {"PN6": 5, "PN0": 3}, iro_id=ids["b"], kind="pathway_plan")
        add_reviews(dt.date(2015, 7, 1), {"PN1": 2, "PN7": 2}, iro_id=ids["a"])
        db.session.commit()
    return ids


def test_the_screen_shows_codes_rates_year_on_year_and_by_iro(client, make_staff, sign_in, held):
    sign_in(client, make_staff("manager"))
    html = page(client, URL)
    got = cells(html)
    assert (got["PN1:reviews"], got["PN1:pct"]) == ("6", "35.3%")  # 6 of 17
    assert got["PN2:reviews"] == "0" and got["PN2:pct"] == "0.0%"
    assert got["not_recorded:reviews"] == "1" and got["total:reviews"] == "17"
    assert got["rate"] == "78.6%"  # 11 of 14
    assert got["rate_recorded"] == "84.6%"  # 11 of 13
    assert got["chaired"] == "9"
    assert (got["previous:total:reviews"], got["previous:rate"]) == ("4", "50.0%")
    assert got["iro:iro.a@example.org:total"] == "9"
    assert got["iro:iro.b@example.org:rate"] == "100.0%"
    assert "chart-participation" in html and "<svg" in html
    assert "PN4: child physically attends but does not speak for themselves" in html
    assert 'href="/admin/reports/participation"' in html  # in the reports navigation
    kind = cells(page(client, URL + "&kind=pathway_plan"))
    assert kind["total:reviews"] == "8"


def test_an_iro_sees_only_their_own_reviews_whatever_the_query_string(
    client, make_staff, sign_in, held
):
    sign_in(client, held["a"])
    for url in (URL, f"{URL}&iro={held['b']}"):
        html = page(client, url)
        got = cells(html)
        assert got["total:reviews"] == "9", url
        assert "iro:iro.b@example.org:total" not in got
        assert 'name="iro"' not in html
    csv_text = client.get(f"{URL}&iro={held['b']}&format=csv").get_data(as_text=True)
    assert "total,Total,9" in csv_text


def test_managers_filter_by_iro(client, make_staff, sign_in, held):
    sign_in(client, make_staff("manager"))
    got = cells(page(client, f"{URL}&iro={held['b']}"))
    assert got["total:reviews"] == "8"


def test_publication_on_the_screen(client, make_staff, sign_in, held):
    sign_in(client, make_staff("manager"))
    got = {
        key: html.unescape(value)
        for key, value in cells(page(client, URL + "&publication=1")).items()
    }
    assert got["PN0:reviews"] == "<5"
    assert got["PN7:reviews"] == "<5"
    assert got["previous:total:reviews"] == "<5"
    assert got["previous:rate"] == "suppressed"


def test_csv_and_xlsx_downloads_hold_the_figures_and_are_audited(
    app, client, make_staff, sign_in, held
):
    sign_in(client, make_staff("manager"))
    response = client.get(URL + "&format=csv")
    assert response.headers["Content-Disposition"].endswith('participation-2016-04-01.csv"')
    text = response.get_data(as_text=True)
    assert "PN1,PN1: child physically attends and speaks for themselves,6,35.3" in text
    assert "participation_rate_pct,78.6" in text
    assert "iro.a@example.org,9,0,6,0,0,0,0,0,2,1,66.7,75.0,9" in text
    response = client.get(URL + "&format=xlsx")
    book = load_workbook(io.BytesIO(response.data))
    first = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    # Each sheet opens with what it shows (report, period, filters), then the table (ADR 0063).
    assert first[0][0].startswith("Participation, 2016/17")
    header = first.index(["code", "label", "reviews", "pct"])
    assert first[header + 2][:3] == [
        "PN1", "PN1: child physically attends and speaks for themselves", 6,
    ]  # fmt: skip
    with app.app_context():
        events = db.session.query(AuditEvent).filter_by(action="report_exported").all()
        assert len(events) == 2


def test_a_bad_period_is_a_400_with_a_clear_message(client, make_staff, sign_in):
    sign_in(client, make_staff("manager"))
    assert "is not a period" in page(client, "/admin/reports/participation?period=soon", 400)
