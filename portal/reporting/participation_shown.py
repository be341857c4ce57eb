"""The participation report as shown: the publication rule (ADR 0046) over its figures, and the
one JSON shape and export tables every output (screen, CSV, XLSX, the CLI) reads.

The code counts and `not_recorded` add up to the total (and, grouped, each group's counts add up
across groups), so they go into one lattice with secondary suppression. The rates' own counts
(PN1-PN6, total - PN0, ...) are checked by the primary rule: a rate made from a hidden count is
withheld.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.models import PARTICIPATION_CODES
from portal.reporting.disclosure import ALL, Disclosure, Rate, Shown, add_lattice
from portal.reporting.exports import ExportTable
from portal.reporting.participation import (
    NOT_RECORDED,
    Figures,
    ParticipationReport,
    code_rows,
)
from portal.reporting.returns import rate_pct
from portal.rules.participation import TOOK_PART, UNDER_FOUR

NOT_RECORDED_LABEL = _l("No code recorded yet")
PARTS = (*PARTICIPATION_CODES, NOT_RECORDED)


class ShownParticipation:
    """A ParticipationReport's figures as shown (for publication, or as they are)."""

    def __init__(self, report: ParticipationReport, publication: bool) -> None:
        self.report = report
        self.publication = publication
        self.disclosure = d = Disclosure(publication)
        cells: dict[tuple[Any, ...], int] = {}
        for key, figures in self._figure_sets():
            for part in PARTS:
                cells[(*key, part)] = _part(figures, part)
        add_lattice(d, "codes", cells)
        for key, figures in [*self._figure_sets(), (self._total_key, report.total)]:
            self._add_rate_counts(key, figures)
        advocacy, messages = report.advocacy, report.messages
        d.group(d.add("requests", advocacy.requests), [
            d.add("referred", advocacy.referred),
            d.add("not_referred", advocacy.requests - advocacy.referred),
        ])  # fmt: skip
        for part in ("sent_in_time", "opened"):
            d.group(d.add(("messages", part), messages.reviews), [
                d.add(part, getattr(messages, part)),
                d.add(f"not_{part}", messages.reviews - getattr(messages, part)),
            ])  # fmt: skip

    def _add_rate_counts(self, key: tuple[str, ...], figures: Figures) -> None:
        """The rates' counts, grouped with the code counts they add up (so a rate cannot
        give back a hidden code count: PN1-PN6 with one of them hidden is hidden too)."""
        d, code = self.disclosure, lambda part: self._count(key, part)
        d.add(("chaired", key), figures.chaired)
        took_part = d.add(("took_part", key), figures.took_part)
        eligible = d.add(("eligible", key), figures.eligible)
        recorded = d.add(("recorded", key), figures.recorded)
        d.group(took_part, [code(part) for part in TOOK_PART])
        d.group(recorded, [took_part, code("PN7")])
        d.group(eligible, [recorded, code(NOT_RECORDED)])
        d.group(code(ALL), [code(UNDER_FOUR), eligible])

    @property
    def _total_key(self) -> tuple[str, ...]:
        return (ALL,) if self.report.by else ()

    def _figure_sets(self) -> list[tuple[tuple[str, ...], Figures]]:
        if self.report.by:
            return [((label,), figures) for label, figures in self.report.groups.items()]
        return [((), self.report.total)]

    def _count(self, key: tuple[str, ...], part: str) -> Hashable:
        return ("codes", (*key, part))

    def figures(self, group: str | None = None) -> dict[str, Any]:
        """The report's JSON shape for the whole range (group None) or one group."""
        key = self._total_key if group is None else (group,)
        figures = self.report.total if group is None else self.report.groups[group]
        d, total = self.disclosure, self._count(key, ALL)

        def pct(part: str) -> Rate:
            return d.rate(
                rate_pct(_part(figures, part), figures.total), self._count(key, part), total
            )

        return {
            "rows": [
                {
                    "code": code,
                    "label": label,
                    "reviews": d.count(self._count(key, code)),
                    "pct": pct(code),
                }
                for code, label, _reviews in code_rows(figures)
            ],
            "not_recorded": d.count(self._count(key, NOT_RECORDED)),
            "total": d.count(total),
            "participation_rate_pct": d.rate(
                figures.rate_pct, ("took_part", key), ("eligible", key)
            ),
            "participation_rate_recorded_pct": d.rate(
                figures.recorded_rate_pct, ("took_part", key), ("recorded", key)
            ),
            "chaired_by_young_person": d.count(("chaired", key)),
        }

    def advocacy(self) -> dict[str, Shown]:
        return {"requests": self.disclosure.count("requests"),
                "referred": self.disclosure.count("referred")}  # fmt: skip

    def messages(self) -> dict[str, Any]:
        d, messages = self.disclosure, self.report.messages
        return {
            "reviews": d.count(("messages", "sent_in_time")),
            "sent_within_20_working_days": d.count("sent_in_time"),
            "sent_within_20_working_days_pct": d.rate(
                messages.sent_in_time_pct, "sent_in_time", ("messages", "sent_in_time")
            ),
            "opened": d.count("opened"),
            "opened_pct": d.rate(messages.opened_pct, "opened", ("messages", "opened")),
        }

    def groups(self) -> list[dict[str, Any]]:
        by = self.report.by
        return [{by: label, **self.figures(label)} for label in self.report.groups] if by else []

    def as_json(self) -> dict[str, Any]:
        """The CLI contract: the issue's shape, then advocacy, messages and any groups."""
        shown = {
            **self.figures(),
            "advocacy": self.advocacy(),
            "outcome_messages": self.messages(),
        }
        if self.report.by:
            shown["by"] = self.report.by
            shown["groups"] = self.groups()
        return shown

    def export_tables(self, title: str = "") -> list[ExportTable]:
        """Codes, then the rates and other figures, then (grouped) one row per group."""
        label = title or self.report.period.label
        figures = self.figures()
        codes = ExportTable(f"Participation {label}", ["code", "label", "reviews", "pct"])
        for row in figures["rows"]:
            codes.rows.append([row["code"], row["label"], row["reviews"], row["pct"]])
        codes.rows.append([NOT_RECORDED, str(NOT_RECORDED_LABEL), figures["not_recorded"], ""])
        codes.rows.append(["total", "Total", figures["total"], ""])
        summary = ExportTable(f"Rates {label}", ["figure", "value"])
        flat = {
            key: figures[key]
            for key in (
                "participation_rate_pct",
                "participation_rate_recorded_pct",
                "chaired_by_young_person",
            )
        }
        flat.update({f"advocacy_{key}": value for key, value in self.advocacy().items()})
        flat.update({f"outcome_messages_{key}": value for key, value in self.messages().items()})
        summary.rows.extend([key, value] for key, value in flat.items())
        tables = [codes, summary]
        if self.report.by:
            grouped = ExportTable(
                f"By {self.report.by} {label}",
                [self.report.by, "total", *PARTS, "participation_rate_pct",
                 "participation_rate_recorded_pct", "chaired_by_young_person"],
            )  # fmt: skip
            for group in self.groups():
                counts = {row["code"]: row["reviews"] for row in group["rows"]}
                grouped.rows.append([
                    group[self.report.by], group["total"],
                    *(counts.get(part, group[NOT_RECORDED]) for part in PARTS),
                    group["participation_rate_pct"], group["participation_rate_recorded_pct"],
                    group["chaired_by_young_person"],
                ])  # fmt: skip
            tables.append(grouped)
        return tables


def _part(figures: Figures, part: str) -> int:
    return figures.not_recorded if part == NOT_RECORDED else figures.codes[part]
