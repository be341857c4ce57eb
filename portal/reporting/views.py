"""Data for the report screens (plain functions: the routes only parse, call these and render)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.languages.i18n import staff_language_name
from portal.models import CHANNELS, REVIEW_KINDS, ROLES, Child, Invitation, Review
from portal.reporting.charts import bar_chart, line_chart
from portal.reporting.disclosure import ALL, Shown
from portal.reporting.exports import ExportTable
from portal.reporting.participation import ParticipationFilters, participation_report
from portal.reporting.participation_shown import ShownParticipation
from portal.reporting.periods import Period, chart_granularity, periods_within
from portal.reporting.published import ShownReturns, ShownRow, ShownTimeliness, shown_timeliness
from portal.reporting.returns import (
    TARGET_PCT,
    Filters,
    ReturnTable,
    counts_as_sent,
    filtered,
    return_rates,
)
from portal.reporting.tables import returns_table
from portal.reporting.timeliness import timeliness
from portal.rules.roles import ROLE_LABELS, YOUNG_PERSON_LABEL, YOUNG_PERSON_ROLES, is_young_person

# The ways a person is sent a form, compared side by side (does texting move the rate?).
COMPARED_CHANNELS = ("email", "sms", "post", "hand")

# The annual report's first table puts a child's and a care leaver's own forms on one line.
FORM_FOR = (
    ("young_person", YOUNG_PERSON_LABEL, YOUNG_PERSON_ROLES),
    *((role, ROLE_LABELS[role], (role,)) for role in ROLES if not is_young_person(role)),
)


@dataclass
class ReturnsScreen:
    """Everything the return-rates page shows, as shown (ADR 0046 when for publication)."""

    period: Period
    previous: Period
    current: ReturnTable
    before: ReturnTable
    roles: list[str]
    timely: ShownTimeliness
    channels: ReturnTable
    shown: ShownReturns
    filters: Filters = field(default_factory=Filters)
    charts: list[Any] = field(default_factory=list)

    @property
    def compared_channels(self) -> list[str]:
        """The channels anything was sent by in the period, in the usual order."""
        used = {row.keys["channel"] for row in self.channels.rows if row.sent}
        return [channel for channel in COMPARED_CHANNELS if channel in used]

    def channel_cell(self, role: str | None, channel: str) -> ShownRow:
        """Sent, received and rate for one role (None: every role) by one channel."""
        return self.shown.row("channel_roles", (role or ALL, channel))

    @property
    def summary_stage(self) -> str:
        """The stage the annual summary counts: the one chosen, else consultation (as published)."""
        return self.filters.stage or "consultation"

    @property
    def kinds(self) -> tuple[str, ...]:
        """The review kinds with columns: the one chosen, or every kind."""
        return (self.filters.review_kind,) if self.filters.review_kind else REVIEW_KINDS

    @staticmethod
    def _table(previous: bool) -> str:
        return "before" if previous else "current"

    def cell(self, role: str, kind: str | None = None, previous: bool = False) -> ShownRow:
        """Sent and received for a role (and kind, or all kinds)."""
        return self.shown.row(self._table(previous), (role, kind or ALL))

    def kind_total(self, kind: str | None, previous: bool = False) -> ShownRow:
        return self.shown.row(self._table(previous), (ALL, kind or ALL))

    def form_for(self, roles: tuple[str, ...], previous: bool = False) -> ShownRow:
        """A line of the annual summary: these roles' forms of the summary's stage."""
        table = f"summary {self._table(previous)}"
        if len(roles) == 1:
            return self.shown.row(table, (roles[0], ALL))
        return self.shown.row(f"{'+'.join(roles)} {table}", ())

    @property
    def channel_rows(self) -> list[ShownRow]:
        return self.shown.rows("channels")

    @property
    def stood_down(self) -> Shown:
        return self.shown.total("current").stood_down

    @property
    def summary_rows(self) -> list[tuple[str, str, tuple[str, ...]]]:
        return [
            item
            for item in FORM_FOR
            if any(self.form_for(item[2], p).sent for p in (False, True))
            or any(role in self.roles for role in item[2])
        ]

    def export_tables(self, publication: bool) -> list[ExportTable]:
        return [
            returns_table(self.current, publication, f"Return rates {self.period.label}"),
            returns_table(self.before, publication, f"Return rates {self.previous.label}"),
            returns_table(self.channels, publication, f"By channel {self.period.label}"),
            returns_table(self.shown.tables["channel_roles"], publication,
                          f"Channels by role {self.period.label}"),
        ]  # fmt: skip


def _summary_tables(
    period: Period, previous: Period, filters: Filters, current: ReturnTable, before: ReturnTable
) -> dict[str, ReturnTable]:
    """The annual summary's two years, of one stage: reuses the main tables when they are it."""
    if filters.stage:
        return {"summary current": current, "summary before": before}
    consultation = replace(filters, stage="consultation")
    return {
        "summary current": return_rates(period, ("role", "review_kind"), consultation),
        "summary before": return_rates(previous, ("role", "review_kind"), consultation),
    }


def _summary_sums() -> dict[str, tuple[str, list[tuple[Any, ...]]]]:
    """The annual summary's lines that add roles together (child + care leaver)."""
    return {
        f"{'+'.join(roles)} {table}": (table, [(role, ALL) for role in roles])
        for _key, _label, roles in FORM_FOR
        if len(roles) > 1
        for table in ("summary current", "summary before")
    }


def returns_screen(period: Period, filters: Filters, publication: bool = False) -> ReturnsScreen:
    """Current and previous period by role x review kind, timeliness, by channel, charts."""
    previous = period.year_before()
    current = return_rates(period, ("role", "review_kind"), filters)
    before = return_rates(previous, ("role", "review_kind"), filters)
    present = {row.keys["role"] for row in current.rows + before.rows}
    roles = [role for role in ROLES if role in present]
    channels = return_rates(period, ("channel",), filters)
    channel_roles = return_rates(period, ("role", "channel"), filters)
    # The chart covers the period chosen, in steps that suit its length (not always 12 months).
    step = chart_granularity(period)
    steps = periods_within(period, step)
    monthly = return_rates(period, ("role", "period"), filters, step)
    tables = {"current": current, "before": before, "channels": channels, "monthly": monthly,
              "channel_roles": channel_roles,
              **_summary_tables(period, previous, filters, current, before)}  # fmt: skip
    shown = ShownReturns(tables, publication, _summary_sums())
    # The 10-working-day rule is for consultation forms: feedback forms go out after the review.
    timely = timeliness(period, replace(filters, stage="consultation"))
    screen = ReturnsScreen(
        period, previous, current, before, roles,
        shown_timeliness(timely, publication), channels, shown, filters,
    )  # fmt: skip
    labels = [p.label for p in steps]
    series = {
        str(ROLE_LABELS[role]): [shown.row("monthly", (role, label)).rate_pct for label in labels]
        for role in roles
    }
    screen.charts = [
        line_chart(
            "chart-by-role",
            f"Return rate by role, {period.label}, by {step}",
            labels,
            series,
            TARGET_PCT,
        ),
        bar_chart(
            "chart-by-channel",
            f"Return rate by channel, {period.label}",
            [(channel, shown.row("channels", (channel,)).rate_pct) for channel in CHANNELS],
            TARGET_PCT,
        ),
    ]
    return screen


def invitation_list(
    period: Period, filters: Filters, role: str | None, kind: str | None, limit: int = 500
) -> list[Any]:
    """The invitations behind one cell of the table (for admins), oldest review first.

    Chosen by the filter that counts the figure (`returns.filtered`, with its access limit), so
    the rows listed are exactly the ones counted as sent.
    """
    cell = replace(filters, role=role if role in ROLES else None,
                   review_kind=kind if kind in REVIEW_KINDS else None)  # fmt: skip
    query = (
        select(
            Invitation.id,
            Invitation.review_id,
            Child.case_ref,
            Invitation.review_date,
            Invitation.review_kind,
            Invitation.stage,
            Invitation.role,
            Invitation.channel,
            Invitation.language,
            Invitation.sent_at,
            Invitation.returned_at,
            Invitation.return_channel,
        )
        .join(Review, Review.id == Invitation.review_id)
        .join(Child, Child.id == Review.child_id)
        .where(counts_as_sent())
        .order_by(Invitation.review_date, Invitation.id)
        .limit(limit)
    )
    return list(db.session.execute(filtered(query, period, cell)))


def invitation_table(rows: list[Any], title: str, review_url: Callable[[int], str]) -> ExportTable:
    """The drill-down list as a table: each case reference with the address of its review."""
    table = ExportTable(title, ["case_ref", "review", "review_date", "review_kind", "stage", "role",
                                "channel", "language", "sent_on", "returned_on", "returned_by"])  # fmt: skip
    for row in rows:
        table.rows.append([
            row.case_ref, review_url(row.review_id), row.review_date.isoformat(), row.review_kind,
            row.stage, row.role, row.channel, staff_language_name(row.language),
            row.sent_at.date().isoformat() if row.sent_at else None,
            row.returned_at.date().isoformat() if row.returned_at else None, row.return_channel,
        ])  # fmt: skip
    return table


@dataclass
class ParticipationScreen:
    """The participation page: this range by IRO, the same range a year earlier, a chart."""

    period: Period
    previous: Period
    current: ShownParticipation
    before: ShownParticipation
    chart: Any = None

    def export_tables(self) -> list[ExportTable]:
        return [*self.current.export_tables(), *self.before.export_tables()[:2]]


def participation_screen(
    period: Period, filters: ParticipationFilters, publication: bool = False
) -> ParticipationScreen:
    """Figures for `period` (grouped by IRO) and for the same range a year earlier."""
    previous = period.year_before()
    current = ShownParticipation(participation_report(period, filters, "iro"), publication)
    before = ShownParticipation(participation_report(previous, filters), publication)
    figures = current.figures()
    chart = bar_chart(
        "chart-participation",
        f"Reviews held by participation code, {period.label}",
        [(row["code"], row["pct"]) for row in figures["rows"]],
        None,
        "no reviews",
    )
    return ParticipationScreen(period, previous, current, before, chart)
