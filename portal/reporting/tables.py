"""Report results as plain tables (for CSV, XLSX, the CLI's text table), optionally suppressed."""

from __future__ import annotations

from typing import Any

from portal.reporting.exports import ExportTable
from portal.reporting.published import ShownReturns, ShownRow, shown_feedback
from portal.reporting.returns import ReturnTable

TOTAL = "Total"


def _return_cells(row: ShownRow) -> list[Any]:
    return [row.sent, row.received, row.rate_pct]


def returns_table(table: ReturnTable, publication: bool = False, title: str = "") -> ExportTable:
    """by-fields, sent, received, rate_pct; then a total row."""
    export = ExportTable(
        title or f"Return rates {table.period.label}", [*table.by, "sent", "received", "rate_pct"]
    )
    shown = ShownReturns({"rates": table}, publication)
    for row in shown.rows("rates"):
        keys = ["" if value is None else value for value in row.keys.values()]
        export.rows.append([*keys, *_return_cells(row)])
    blanks = [""] * max(len(table.by) - 1, 0)
    first = [TOTAL] if table.by else []
    export.rows.append([*first, *blanks, *_return_cells(shown.total("rates"))])
    return export


def feedback_table(
    results: dict[str, Any], publication: bool = False, title: str = ""
) -> ExportTable:
    """One row per option (and scale band and mean): question, type, answered, option, count, pct."""
    export = ExportTable(
        title or f"Feedback {results['form']}",
        ["question", "type", "answered", "option", "count", "pct"],
    )

    for question in shown_feedback(results, publication)["questions"]:
        head = [question["key"], question["type"], question["answered"]]
        if "options" not in question:
            export.rows.append([*head, "", "", ""])
            continue
        for option in question["options"]:
            export.rows.append(
                [
                    *head,
                    option["key"],
                    option["count"],
                    option["pct"],
                ]
            )
        for band in question.get("bands", []):
            export.rows.append(
                [
                    *head,
                    f"band {band['key']}",
                    band["count"],
                    band["pct"],
                ]
            )
        if "mean" in question:
            export.rows.append([*head, "mean", "", question["mean"]])
    return export


def comments_table(rows: list[dict[str, Any]], title: str = "Comments") -> ExportTable:
    """Free-text answers: date, question, language, comment (neutralised on export)."""
    export = ExportTable(title, ["submitted_on", "question", "language", "comment"])
    for row in rows:
        submitted = row["submitted_at"]
        export.rows.append(
            [
                submitted.date().isoformat() if submitted else "",
                row["question"],
                row["language"],
                row["comment"],
            ]
        )
    return export


def text_table(table: ExportTable) -> str:
    """A plain aligned text table for the terminal."""
    cells = [table.headers] + [["" if v is None else str(v) for v in row] for row in table.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.headers))]
    lines = []
    for index, row in enumerate(cells):
        lines.append(
            "  ".join(
                value.rjust(width) if index and _numeric(value) else value.ljust(width)
                for value, width in zip(row, widths, strict=True)
            ).rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _numeric(value: str) -> bool:
    return value.replace(".", "", 1).isdigit() or value == "<5"
