"""CSV and XLSX exports of report tables, safe to open in a spreadsheet.

- CSV injection: a text cell beginning with = + - @ (or a tab or carriage return) is prefixed
  with an apostrophe, so a spreadsheet shows it as text instead of running it as a formula.
- XLSX cells are written as numbers or as plain strings, never as formulas.
- A download from a report screen starts with what it shows: the report, its period and every
  filter (the `heading` lines), and each table keeps its title, so a file read weeks later (or
  forwarded) still says what it counts. The command line's CSV stays bare for scripts.
- "For publication": the tables arrive already shown by the publication rule
  (portal/reporting/disclosure.py, ADR 0046); nothing here decides what to hide.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ExportTable:
    """A titled table: header names and rows of plain values (str, int, float or None)."""

    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def neutralise(value: Any) -> Any:
    """A text value that a spreadsheet would treat as a formula, made inert."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def csv_bytes(tables: Sequence[ExportTable], heading: Sequence[str] = ()) -> bytes:
    """One CSV file: the heading lines, then each table's title, header and rows, blank-separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in heading:
        writer.writerow([neutralise(line)])
    for index, table in enumerate(tables):
        if index or heading:
            writer.writerow([])
        if len(tables) > 1 or heading:
            writer.writerow([neutralise(table.title)])
        writer.writerow([neutralise(name) for name in table.headers])
        for row in table.rows:
            writer.writerow(["" if value is None else neutralise(value) for value in row])
    # A byte-order mark so Excel opens UTF-8 (Pashto, Arabic, Tigrinya comments) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel refuses []:*?/\ in a sheet name: "2016/17" becomes "2016-17", not "201617".
    clean = "".join("-" if ch in "[]:*?/\\" else ch for ch in title)[:28].strip() or "Sheet"
    name, number = clean, 2
    while name in used:
        name, number = f"{clean[:25]} {number}", number + 1
    used.add(name)
    return name


def xlsx_bytes(tables: Iterable[ExportTable], heading: Sequence[str] = ()) -> bytes:
    """One workbook, one sheet per table (titled, under the heading); text cells stay text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        if heading:
            for line in (*heading, table.title):
                sheet.append([neutralise(line)])
            sheet.append([])
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append([None if value is None else value for value in row])
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
