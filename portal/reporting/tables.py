"""Report results as plain tables (for CSV, XLSX, the CLI's text table), optionally suppressed."""

from __future__ import annotations

from typing import Any

from ..exports import ExportTable, suppress_count, suppress_rate
from .returns import ReturnRow, ReturnTable

TOTAL = "Total"


def _return_cells(row: ReturnRow, publication: bool) -> list[Any]:
    if not publication:
        return [row.sent, row.received, row.rate_pct]
    return [
        suppress_count(row.sent),
        suppress_count(row.received),
        suppress_rate(row.rate_pct, row.sent, row.received),
    ]


def returns_table(table: ReturnTable, publication: bool = False, title: str = "") -> ExportTable:
    """by-fields, sent, received, rate_pct; then a total row."""
    export = ExportTable(
        title or f"Return rates {table.period.label}", [*table.by, "sent", "received", "rate_pct"]
    )
    for row in table.rows:
        keys = ["" if value is None else value for value in row.keys.values()]
        export.rows.append([*keys, *_return_cells(row, publication)])
    blanks = [""] * max(len(table.by) - 1, 0)
    first = [TOTAL] if table.by else []
    export.rows.append([*first, *blanks, *_return_cells(table.total, publication)])
    return export


def feedback_table(
    results: dict[str, Any], publication: bool = False, title: str = ""
) -> ExportTable:
    """One row per option (and scale band and mean): question, type, answered, option, count, pct."""
    export = ExportTable(
        title or f"Feedback {results['form']}",
        ["question", "type", "answered", "option", "count", "pct"],
    )

    def count(value: int) -> Any:
        return suppress_count(value) if publication else value

    def pct(value: float | None, *counts: int) -> Any:
        return suppress_rate(value, *counts) if publication else value

    for question in results["questions"]:
        answered = question["answered"]
        head = [question["key"], question["type"], count(answered)]
        if "options" not in question:
            export.rows.append([*head, "", "", ""])
            continue
        for option in question["options"]:
            export.rows.append(
                [
                    *head,
                    option["key"],
                    count(option["count"]),
                    pct(option["pct"], option["count"], answered),
                ]
            )
        for band in question.get("bands", []):
            export.rows.append(
                [
                    *head,
                    f"band {band['key']}",
                    count(band["count"]),
                    pct(band["pct"], band["count"], answered),
                ]
            )
        if "mean" in question:
            mean = question["mean"]
            export.rows.append([*head, "mean", "", pct(mean, answered)])
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
