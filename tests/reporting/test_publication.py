"""For publication, no count from 1 to 4 and no rate made from one appears in any output, and no
hidden count can be worked out from a total (ADR 0046): screens, feedback page, timeliness,
charts, CSV and XLSX exports, and the CLI's json, table and csv."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook

from tests.reporting.domain_data import write_csv
from tests.reporting.test_feedback_cli import ROWS as RESPONSE_ROWS
from tests.reporting.test_feedback_cli import import_rows

SMALL = {"1", "2", "3", "4"}
PERIOD = "2016-04-01..2017-03-31"
# (review kind, role, channel) -> (sent, received, sent late): small cells beside large ones.
FIGURES = {
    ("cared_for", "child", "post"): (3, 1, 3),
    ("cared_for", "parent", "email"): (12, 6, 0),
    ("cared_for", "carer", "email"): (7, 5, 0),
    ("pathway_plan", "parent", "email"): (9, 9, 0),
    ("pathway_plan", "care_leaver", "email"): (6, 2, 0),
}


def _rows() -> list[list[str]]:
    rows = []
    for (kind, role, channel), (sent, received, late) in FIGURES.items():
        for index in range(sent):
            rows.append(
                [
                    f"{kind[:2]}-{role}-{index}", kind, "2016-06-15", "consultation", role,
                    "2016-06-13" if index < late else "2016-05-02",
                    "2016-06-14" if index < received else "", channel, "en",
                    "iro.a@example.org", "", "online" if index < received else "",
                ]
            )  # fmt: skip
    return rows


@pytest.fixture
def small_world(runner, tmp_path, client, make_staff, sign_in):
    result = runner.invoke(
        args=["import", "invitations", str(write_csv(tmp_path / "i.csv", _rows())), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert import_rows(runner, tmp_path, RESPONSE_ROWS).exit_code == 0
    sign_in(client, make_staff("manager"))
    return client


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _text(fragment: str) -> str:
    fragment = re.sub(r'<span class="visually-hidden">.*?</span>', "", fragment, flags=re.S)
    return re.sub(r"<[^>]+>", "", fragment).replace("&lt;", "<").strip()


def _cells(html: str) -> dict[str, str]:
    found = re.findall(r'<(?:td|p)[^>]*data-cell="([^"]+)">(.*?)</(?:td|p)>', html, re.S)
    return {key: _text(value) for key, value in found}


def _no_small(values, where: str) -> None:
    bad = [value for value in values if str(value).strip() in SMALL]
    assert not bad, f"{where}: small counts shown {bad}"


def _not_derivable(total: str, parts: list[str], where: str) -> None:
    """A shown total with exactly one hidden part would give that part away."""
    if total.isdigit():
        assert sum(part == "<5" for part in parts) != 1, f"{where}: {total} beside {parts}"


def _rates_withheld(rows: list[list[str]], where: str) -> None:
    """A rate beside a hidden sent or received count is withheld."""
    for row in rows:
        if "<5" in row[-3:-1]:
            assert row[-1] == "suppressed", f"{where}: {row}"


def test_returns_screen_timeliness_and_charts_hide_small_numbers(small_world):
    html = _get(small_world, f"/admin/reports/returns?period={PERIOD}&publication=1")
    cells = _cells(html)
    _no_small(cells.values(), "returns screen")
    assert re.sub(r"\D", "", cells["cared_for:child:sent"]) == "5"  # "<5"
    for measure in ("sent", "received"):
        for kind in ("cared_for", "pathway_plan"):
            parts = [cells.get(f"{kind}:{role}:{measure}", "0") for role in
                     ("child", "care_leaver", "parent", "carer")]  # fmt: skip
            _not_derivable(cells[f"{kind}:total:{measure}"], parts, f"{kind} {measure}")
        for role in ("child", "care_leaver", "parent", "carer"):
            parts = [cells.get(f"{kind}:{role}:{measure}", "0") for kind in
                     ("cared_for", "pathway_plan")]  # fmt: skip
            _not_derivable(cells[f"all:{role}:{measure}"], parts, f"{role} {measure}")
    young = [cells["all:child:sent"], cells["all:care_leaver:sent"]]
    _not_derivable(cells["summary:all:young_person:sent"], young, "child + care leaver")
    for line in ("timely:sent", "timely:returned"):
        numbers = re.findall(r"<5|\d+(?:\.\d)?%?", cells[line].split("forms")[0])
        _no_small(numbers, line)
        assert "%" not in cells[line] or "<5" not in cells[line], cells[line]
    descriptions = dict(re.findall(r'<desc id="([^"]+)-desc">(.*?)</desc>', html))
    child = descriptions["chart-by-role"].split("Child or young person: ")[1].split(";")[0]
    assert "%" not in child and "suppressed" in child
    assert "post suppressed" in descriptions["chart-by-channel"]
    bars = re.findall(r'<rect class="chart-bar', html)
    assert not bars  # post is withheld, and email with it (its complement)


def test_feedback_page_and_its_exports_hide_small_numbers(small_world):
    url = "/admin/reports/feedback?form=child_feedback&period=2016-04-01..2017-03-31&publication=1"
    html = _get(small_world, url)
    cells = _cells(html)
    assert cells["responses"].startswith("<5 responses"), cells["responses"]
    _no_small(cells.values(), "feedback screen")
    _no_small(re.findall(r"Answered by (\S+?)[.;]", html), "answered lines")
    for fmt in ("csv", "xlsx"):
        counts = _export_cells(small_world, url + f"&format={fmt}", fmt, ("answered", "count"))
        assert counts and "<5" in counts
        _no_small(counts, f"feedback {fmt}")


def _export_cells(client, url: str, fmt: str, columns: tuple[str, ...] = ()) -> list[str]:
    """Every cell of an export (or of the named columns: scale points are labels, not counts)."""
    body = client.get(url).data
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        book = load_workbook(io.BytesIO(body))
        rows = [["" if c is None else str(c) for c in row] for sheet in book
                for row in sheet.iter_rows(values_only=True)]  # fmt: skip
    if not columns:
        return [cell for row in rows for cell in row]
    # Exports open with lines saying what they show (ADR 0063): the header is the row naming them.
    start = next(n for n, row in enumerate(rows) if all(name in row for name in columns))
    wanted = [rows[start].index(name) for name in columns]
    return [row[i] for row in rows[start + 1 :] for i in wanted if i < len(row)]


def test_returns_and_monthly_exports_hide_small_numbers(small_world):
    for url in (
        f"/admin/reports/returns?period={PERIOD}&publication=1",
        "/admin/reports/monthly?period=2016/17&publication=1",
    ):
        for fmt in ("csv", "xlsx"):
            _no_small(_export_cells(small_world, f"{url}&format={fmt}", fmt), f"{url} {fmt}")
    monthly = _cells(_get(small_world, "/admin/reports/monthly?period=2016/17&publication=1"))
    _no_small(monthly.values(), "monthly screen")


def test_cli_returns_json_table_and_csv_hide_small_numbers(runner, small_world):
    base = ["report", "returns", "--from", "2016-04-01", "--to", "2017-03-31", "--publication"]
    data = json.loads(runner.invoke(args=[*base, "--format", "json"]).output)
    values = [str(v) for row in data["rows"] for v in row.values()]
    _no_small(values + [str(v) for v in data["total"].values()], "cli json")
    assert {"sent": "<5", "received": "<5", "rate_pct": "suppressed"}.items() <= next(
        row for row in data["rows"] if row["role"] == "child"
    ).items()
    table = runner.invoke(args=[*base, "--format", "csv", "--by", "channel"]).output
    rows = list(csv.reader(io.StringIO(table)))[1:]
    _no_small([cell for row in rows for cell in row], "cli csv")
    _rates_withheld(rows, "cli csv")
    for column in (1, 2):
        _not_derivable(rows[-1][column], [row[column] for row in rows[:-1]], "cli csv total")
    text = runner.invoke(args=[*base, "--format", "table"]).output
    _no_small(text.split(), "cli table")
    feedback = runner.invoke(
        args=[
            "report",
            "feedback",
            "--form",
            "child_feedback",
            "--from",
            "2017-04-01",
            "--to",
            "2017-04-30",
            "--publication",
        ]
    ).output
    answers = json.loads(feedback)
    assert answers["responses"] == "<5"
    _no_small(re.findall(r'"(?:count|answered|responses)": (\d+)', feedback), "cli feedback json")
