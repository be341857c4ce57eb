"""The per-IRO monthly view for team meetings: forms sent and received, and feedback received."""

from __future__ import annotations

from dataclasses import dataclass

from portal.reporting.disclosure import Disclosure, Shown, add_lattice
from portal.reporting.exports import ExportTable
from portal.reporting.feedback import FeedbackFilters, monthly_response_counts
from portal.reporting.periods import Period, month
from portal.reporting.published import ShownReturns, ShownRow
from portal.reporting.returns import Filters, ReturnRow, ReturnTable, monthly_rates


@dataclass
class MonthlyRow:
    label: str
    consultation: ReturnRow
    feedback_forms: ReturnRow
    responses: int


@dataclass
class ShownMonth:
    label: str
    consultation: ShownRow
    feedback_forms: ShownRow
    responses: Shown


@dataclass
class MonthlyView:
    period: Period
    rows: list[MonthlyRow]

    def shown(self, publication: bool) -> list[ShownMonth]:
        """Each column's months add up to the year's total (shown on the return-rate page)."""
        stages = {
            stage: ReturnTable(self.period, ("period",), [getattr(row, stage) for row in self.rows])
            for stage in ("consultation", "feedback_forms")
        }
        rates = ShownReturns(stages, publication)
        responses = Disclosure(publication)
        add_lattice(responses, "responses", {(row.label,): row.responses for row in self.rows})
        return [
            ShownMonth(
                row.label,
                rates.row("consultation", (row.label,)),
                rates.row("feedback_forms", (row.label,)),
                responses.count(("responses", (row.label,))),
            )
            for row in self.rows
        ]

    def export(self, publication: bool) -> ExportTable:
        table = ExportTable(
            f"Monthly {self.period.label}",
            ["month", "consultation_sent", "consultation_received", "consultation_rate_pct",
             "feedback_sent", "feedback_received", "feedback_rate_pct", "responses_all_forms"],
        )  # fmt: skip
        for row in self.shown(publication):
            cells: list[object] = [row.label]
            for counts in (row.consultation, row.feedback_forms):
                cells += [counts.sent, counts.received, counts.rate_pct]
            cells.append(row.responses)
            table.rows.append(cells)
        return table


def monthly_view(period: Period, iro_id: int | None) -> MonthlyView:
    """Every month of `period`: return rates per stage and responses received (all forms)."""
    consultation = monthly_rates(period, Filters(stage="consultation", iro_id=iro_id))
    feedback = monthly_rates(period, Filters(stage="feedback", iro_id=iro_id))
    responses = monthly_response_counts(period, FeedbackFilters(iro_id=iro_id))
    rows = []
    for label, row in consultation.items():
        first = month(int(label[:4]), int(label[5:])).start
        rows.append(
            MonthlyRow(label, row, feedback[label], responses.get((first.year, first.month), 0))
        )
    return MonthlyView(period, rows)
