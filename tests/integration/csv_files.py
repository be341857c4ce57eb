"""CSV files for the import tests, written as a council's spreadsheet would save them."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any


def write_rows(
    path: Path,
    rows: Iterable[Mapping[str, str]],
    header: Sequence[str],
    encoding: str = "utf-8",
    **dialect: Any,
) -> Path:
    """Write `header`, then each row's values in the header's order (a column the row does not
    have is left empty); `dialect` goes to csv.writer, e.g. delimiter=";"."""
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, **dialect)
        writer.writerow(header)
        writer.writerows([row.get(name, "") for name in header] for row in rows)
    return path
