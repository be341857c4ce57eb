"""Report figures as shown: every output reads these, so the publication rule (ADR 0046) applies
to screens, exports, the CLI and charts alike. Not for publication they are the plain figures."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from portal.reporting.disclosure import ALL, Disclosure, Rate, Shown, add_lattice
from portal.reporting.returns import ReturnRow, ReturnTable
from portal.reporting.timeliness import Timeliness

MEASURES = ("sent", "received", "stood_down")


@dataclass
class ShownRow:
    """One row of a return-rate table as shown."""

    keys: dict[str, Any]
    sent: Shown
    received: Shown
    rate_pct: Rate
    stood_down: Shown = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.keys,
            "sent": self.sent,
            "received": self.received,
            "rate_pct": self.rate_pct,
        }


class ShownReturns:
    """A ReturnTable's rows, every total over its fields, and extra named sums, as shown."""

    def __init__(
        self,
        tables: dict[str, ReturnTable],
        publication: bool,
        sums: dict[str, tuple[str, list[tuple[Any, ...]]]] | None = None,
    ) -> None:
        self.tables = tables
        self.disclosure = Disclosure(publication)
        for name, table in tables.items():
            for measure in MEASURES:
                cells = {tuple(row.keys.values()): getattr(row, measure) for row in table.rows}
                add_lattice(self.disclosure, (name, measure), cells)
        for sum_name, (table_name, keys) in (sums or {}).items():
            self._add_sum(sum_name, table_name, keys)

    def _add_sum(self, name: str, table: str, keys: list[tuple[Any, ...]]) -> None:
        """A total of some cells of `table` shown on its own (e.g. child + care leaver)."""
        for measure in MEASURES:
            parts = [((table, measure), key) for key in keys]
            total = sum(self.disclosure.values.get(part, 0) for part in parts)
            self.disclosure.add(((name, measure), ()), total)
            present = [part for part in parts if part in self.disclosure.values]
            self.disclosure.group(((name, measure), ()), present)

    def row(self, table: str, key: tuple[Any, ...], keys: dict[str, Any] | None = None) -> ShownRow:
        """The row (or total, with ALL in the key) of `table`; zeros when nothing was sent."""
        found = {m: ((table, m), key) for m in MEASURES}
        d = self.disclosure
        sent, received = d.values.get(found["sent"], 0), d.values.get(found["received"], 0)
        return ShownRow(
            keys or {},
            d.count(found["sent"]),
            d.count(found["received"]),
            d.rate(ReturnRow({}, sent, received).rate_pct, found["sent"], found["received"]),
            d.count(found["stood_down"]),
        )

    def rows(self, table: str) -> list[ShownRow]:
        return [self.row(table, tuple(r.keys.values()), r.keys) for r in self.tables[table].rows]

    def total(self, table: str) -> ShownRow:
        return self.row(table, (ALL,) * len(self.tables[table].by))

    def as_json(self, table: str) -> dict[str, Any]:
        """The CLI contract: from, to, by, rows, total, stood_down_not_counted."""
        source, total = self.tables[table], self.total(table)
        return {
            "from": source.period.start.isoformat(),
            "to": source.period.end.isoformat(),
            "by": list(source.by),
            "rows": [row.as_dict() for row in self.rows(table)],
            "total": {"sent": total.sent, "received": total.received, "rate_pct": total.rate_pct},
            "stood_down_not_counted": total.stood_down,
        }


@dataclass
class ShownTimeliness:
    sent: Shown
    sent_on_time: Shown
    sent_on_time_pct: Rate
    received: Shown
    returned_before: Shown
    returned_before_pct: Rate


def shown_timeliness(timely: Timeliness, publication: bool) -> ShownTimeliness:
    """On time / late and before / after each add up to a total: both parts are grouped."""
    d = Disclosure(publication)
    for total, part, value, whole in (
        ("sent", "on_time", timely.sent_on_time, timely.sent),
        ("received", "before", timely.returned_before, timely.received),
    ):
        d.add(total, whole)
        d.group(total, [d.add(part, value), d.add(f"not_{part}", whole - value)])
    return ShownTimeliness(
        d.count("sent"),
        d.count("on_time"),
        d.rate(timely.sent_on_time_pct, "sent", "on_time"),
        d.count("received"),
        d.count("before"),
        d.rate(timely.returned_before_pct, "received", "before"),
    )


def shown_feedback(results: dict[str, Any], publication: bool) -> dict[str, Any]:
    """Feedback results (the CLI's JSON shape) as shown: options and bands add up to answered."""
    d = Disclosure(publication)
    d.add("responses", results["responses"])
    for question in results["questions"]:
        key = question["key"]
        answered = d.add((key, "answered"), question["answered"])
        for part in ("options", "bands"):
            cells = [
                d.add((key, part, item["key"]), item["count"]) for item in question.get(part, [])
            ]
            if question["type"] != "multi" and cells:  # multi answers do not add up
                d.group(answered, cells)
    return {
        **results,
        "responses": d.count("responses"),
        "questions": [_shown_question(d, question) for question in results["questions"]],
    }


def _shown_question(d: Disclosure, question: dict[str, Any]) -> dict[str, Any]:
    key = question["key"]
    answered: Hashable = (key, "answered")
    shown = {**question, "answered": d.count(answered)}
    for part in ("options", "bands"):
        if part in question:
            shown[part] = [
                {
                    **item,
                    "count": d.count((key, part, item["key"])),
                    "pct": d.rate(item["pct"], (key, part, item["key"]), answered),
                }
                for item in question[part]
            ]
    if "mean" in question:
        shown["mean"] = d.rate(question["mean"], answered)
    return shown
