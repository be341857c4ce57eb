"""Reading a UTF-8 CSV import: header checks, line numbers, and the shared error and summary."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from portal.rules.dates import date_problem
from portal.rules.text import single_line_problem

Progress = Callable[[int], None]
NOON = dt.time(12, 0, tzinfo=dt.UTC)
# Far more than any import knows (the responses import has one column per question, under 100).
MAX_COLUMNS = 1000


class ImportError_(Exception):
    """The file has bad rows; `problems` holds one `line N: reason` per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportSummary:
    """What an import did, for the one-line summary."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def line(self) -> str:
        return (
            f"{self.read} rows read, {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


def count_lines(path: Path) -> int:
    """Data lines in a file (for the progress bar); cheap even at a million rows."""
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return max(lines - 1, 0)


def read_rows(
    path: Path, header_check: Callable[[list[str]], list[str]]
) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) for each data row after `header_check` accepts the header.

    Line numbers are the file's physical lines (the header is line 1), each row's first line.
    Blank lines are skipped.
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
        with handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise ImportError_(["line 1: the file is empty (expected a header row)"])
            problems = header_check([name.strip() for name in header])
            if problems:
                raise ImportError_(problems)
            width = len(header)
            start = reader.line_num + 1
            for fields in reader:
                # A quoted cell may span lines: report the line the row starts on.
                line, start = start, reader.line_num + 1
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue
                if len(fields) != width:
                    yield line, [f"__width__:{len(fields)}:{width}"]
                    continue
                yield line, fields
    except UnicodeDecodeError as error:
        raise ImportError_([f"line 1: the file is not UTF-8 ({error.reason})"]) from error
    except csv.Error as error:
        raise ImportError_([f"line {reader.line_num}: {error}"]) from error


def width_problem(fields: list[str]) -> str | None:
    """The message for a row with the wrong number of fields, if it is one."""
    if len(fields) == 1 and fields[0].startswith("__width__:"):
        _, found, expected = fields[0].split(":")
        return f"expected {expected} fields, found {found}"
    return None


def header_problems(
    header: list[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> list[str]:
    """Missing, unknown and repeated columns, reported against line 1.

    Linear in the header's width (sets and one count), so a hostile header costs little; an
    absurdly wide one is refused in a single line rather than listing every column.
    """
    if len(header) > MAX_COLUMNS:
        return [f"line 1: {len(header)} columns, more than the {MAX_COLUMNS} an import may have"]
    problems = []
    present, known = set(header), set(required) | set(optional)
    missing = [name for name in required if name not in present]
    if missing:
        problems.append(f"line 1: missing column {', '.join(missing)}")
    unknown = [name for name in header if name not in known]
    if unknown:
        problems.append(f"line 1: unknown column {', '.join(unknown)}")
    repeated = sorted(name for name, count in Counter(header).items() if count > 1)
    if repeated:
        problems.append(f"line 1: column repeated: {', '.join(repeated)}")
    return problems


def single_line_problems(values: dict[str, str], names: tuple[str, ...]) -> list[str]:
    """`NAME holds a line break` for each single-line cell that would break a header or a log.

    Plain loops, and isprintable() (false for every control character and line separator) as a
    C-speed first look, keep a million-row import fast: these run once per row.
    """
    problems = []
    for name in names:
        value = values.get(name, "")
        problem = None if value.isprintable() else single_line_problem(value)
        if problem:
            problems.append(f"{name} holds a {problem}")
    return problems


def date_range_problems(dates: dict[str, dt.date | None]) -> list[str]:
    """`NAME DATE is not between ...` for each date outside the years the portal works with."""
    problems = []
    for name, day in dates.items():
        problem = date_problem(day) if day is not None else None
        if day is not None and problem:
            problems.append(f"{name} {day.isoformat()} {problem}")
    return problems


class DateCache(dict[str, dt.date]):
    """ISO dates parsed once each (a million rows hold a few hundred distinct dates)."""

    def parse(self, text: str) -> dt.date:
        """Parse YYYY-MM-DD or raise ValueError."""
        found = self.get(text)
        if found is None:
            if len(text) != 10:
                raise ValueError(text)
            found = self[text] = dt.date.fromisoformat(text)
        return found


def at_noon(day: dt.date) -> dt.datetime:
    """A date as a stored timestamp: noon UTC is the same calendar day in UK time all year."""
    return dt.datetime.combine(day, NOON)


def read_records(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[str],
    progress: Progress | None = None,
    step: int = 10_000,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, trimmed values by column) per row; rows of the wrong width go to `problems`."""
    header: list[str] = []

    def check_header(names: list[str]) -> list[str]:
        header.extend(names)
        return header_problems(names, required, optional)

    for count, (line, fields) in enumerate(read_rows(path, check_header), 1):
        if progress and count % step == 0:
            progress(step)
        wrong = width_problem(fields)
        if wrong:
            problems.append(f"line {line}: {wrong}")
            continue
        yield line, dict(zip(header, (field.strip() for field in fields), strict=True))
