"""Row-level CSVs that reproduce the Cheshire East tables in /work/shared/DOMAIN.md."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

HEADER = [
    "case_ref", "review_kind", "review_date", "stage", "role", "sent_on", "returned_on",
    "channel", "language", "iro", "recipient", "return_channel",
]  # fmt: skip

# (financial year start, review kind, role) -> (sent, received)
FIGURES = {
    (2015, "cared_for", "child"): (182, 24),
    (2015, "cared_for", "parent"): (233, 15),
    (2015, "cared_for", "carer"): (256, 90),
    (2015, "cared_for", "health"): (185, 54),
    (2015, "cared_for", "education"): (177, 67),
    (2015, "pathway_plan", "care_leaver"): (106, 12),
    (2015, "pathway_plan", "parent"): (5, 0),
    (2016, "cared_for", "child"): (429, 87),
    (2016, "cared_for", "parent"): (492, 91),
    (2016, "cared_for", "carer"): (496, 191),
    (2016, "cared_for", "health"): (319, 104),
    (2016, "cared_for", "education"): (431, 133),
    (2016, "pathway_plan", "care_leaver"): (197, 21),
}
IROS = ("iro.a@example.org", "iro.b@example.org")


def domain_rows() -> list[list[str]]:
    """One row per consultation form sent, spread over each financial year's review dates.

    Returns alternate between paper and online (both count as received); channels alternate.
    """
    rows = []
    for (year, kind, role), (sent, received) in FIGURES.items():
        reviews = max(s for (y, k, _), (s, _) in FIGURES.items() if y == year and k == kind)
        for index in range(sent):
            review_date = dt.date(year, 4, 1) + dt.timedelta(days=index * 365 // reviews)
            returned = index < received
            rows.append(
                [
                    f"{kind[:2].upper()}{year}-{index:04d}",
                    kind,
                    review_date.isoformat(),
                    "consultation",
                    role,
                    (review_date - dt.timedelta(days=21)).isoformat(),
                    (review_date - dt.timedelta(days=2)).isoformat() if returned else "",
                    ("email", "post")[index % 2],
                    "en",
                    IROS[index % 2],
                    "",
                    ("paper", "online")[index % 2] if returned else "",
                ]
            )
    return rows


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    """Write rows under a header as UTF-8 CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
