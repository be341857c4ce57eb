"""Report results as plain tables (for CSV, XLSX, the CLI's text table), optionally suppressed."""

from __future__ import annotations

from typing import Any

from portal.questionnaires import FormDefinition
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
    results: dict[str, Any],
    publication: bool = False,
    title: str = "",
    form: FormDefinition | None = None,
) -> ExportTable:
    """One row per option (and scale band and mean): question, type, answered, option, count, pct.

    Given the form, questions and options are their labels (what a reader understands) and the
    keys follow in two last columns; without it (the command line) they are the keys.
    """
    headers = ["question", "type", "answered", "option", "count", "pct"]
    labels = _labels(form) if form else None
    export = ExportTable(
        title or f"Feedback {results['form']}",
        headers + (["question_key", "option_key"] if labels is not None else []),
    )

    for question in shown_feedback(results, publication)["questions"]:

        def line(
            option: str, count: Any, pct: Any, question: dict[str, Any] = question
        ) -> list[Any]:
            return _feedback_line(question, option, count, pct, labels)

        if "options" not in question:
            export.rows.append(line("", "", ""))
            continue
        for option in question["options"]:
            export.rows.append(line(option["key"], option["count"], option["pct"]))
        for band in question.get("bands", []):
            export.rows.append(line(f"band {band['key']}", band["count"], band["pct"]))
        if "mean" in question:
            export.rows.append(line("mean", "", question["mean"]))
    return export


def _feedback_line(
    question: dict[str, Any], option: str, count: Any, pct: Any, labels: dict[str, str] | None
) -> list[Any]:
    key, answered = question["key"], question["answered"]
    if labels is None:
        return [key, question["type"], answered, option, count, pct]
    option_text = labels.get(f"{key}:{option}", option)
    return [labels.get(key, key), question["type"], answered, option_text, count, pct, key, option]


def _labels(form: FormDefinition) -> dict[str, str]:
    """question key -> label, and "question:option" -> the option's label."""
    labels: dict[str, str] = {}
    for question in form.questions:
        labels[question.key] = question.label
        for option in question.options:
            labels[f"{question.key}:{option.key}"] = option.label
    return labels


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
