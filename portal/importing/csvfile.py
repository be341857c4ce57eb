"""Reading a UTF-8 CSV import: header checks, line numbers, and the shared error and summary."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from portal.rules.dates import date_problem
from portal.rules.text import single_line_problem

Progress = Callable[[int], None]
Row = TypeVar("Row")
NOON = dt.time(12, 0, tzinfo=dt.UTC)
# Far more than any import knows (the responses import has one column per question, under 100).
MAX_COLUMNS = 1000


class ImportError_(Exception):
    """The file has bad rows; `problems` holds one `line N: reason` per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Summary(Protocol):
    """Any import's summary: one line saying what it did (or would do)."""

    def line(self) -> str: ...


class Plan(Protocol):
    """Any import's plan: what a good file would do, counted in its summary."""

    @property
    def summary(self) -> Summary: ...


@dataclass(frozen=True)
class Preview:
    """The preview an upload screen shows before anything is saved (any import's)."""

    summary: Summary | None  # None when the file has problems: nothing to count
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def preview(plan_import: Callable[[Path], Plan], path: Path) -> Preview:
    """The counts a good file would give, or its problems; the database is not touched."""
    try:
        return Preview(plan_import(path).summary, [])
    except ImportError_ as error:
        return Preview(None, error.problems)


def typed_key(text: str) -> str:
    """A column name or code as people type it in Excel ("Case Ref", "Cared For", "fa-AF")
    folded to the form the portal spells it in ("case_ref", "cared_for", "fa_af")."""
    return re.sub(r"[\s\-]+", "_", text.strip()).casefold()


def choice(value: str, allowed: tuple[str, ...]) -> str | None:
    """`value` as spelt in `allowed`, ignoring case, spaces and hyphens (Excel users type
    Cared_For, Cared For, Child), or None."""
    folded = typed_key(value)
    return next((option for option in allowed if typed_key(option) == folded), None)


NOTHING_CHANGED = " (nothing changed: the portal already matches this file)"


@dataclass
class ImportCounts:
    """What every import counts: rows read, and rows the portal already held as they are."""

    read: int = 0
    unchanged: int = 0

    @property
    def changes_nothing(self) -> bool:
        return self.unchanged == self.read

    def as_dict(self) -> dict[str, int]:
        """The counts by name, for the audit record (never what the rows held)."""
        return asdict(self)


@dataclass
class ImportSummary(ImportCounts):
    """What an invitations or responses import did, for the one-line summary."""

    created: int = 0
    updated: int = 0

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
    path: Path, header_check: Callable[[list[str]], list[str]], *, excel: bool = False
) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) for each data row after `header_check` accepts the header.

    Line numbers are the file's physical lines (the header is line 1), each row's first line.
    Blank lines are skipped. With `excel`, a file as Excel saves it is accepted too (see
    `excel_dialect`): Windows-1252, `;` separators, any case of column name, trailing empty cells.
    """
    encoding, delimiter = excel_dialect(path) if excel else ("utf-8-sig", ",")
    try:
        handle = path.open(encoding=encoding, newline="")
        with handle:
            reader = csv.reader(handle, delimiter=delimiter)
            header = next(reader, None)
            if header is None:
                raise ImportError_(["line 1: the file is empty (expected a header row)"])
            names = [name.strip() for name in header]
            if excel:
                names = _without_trailing_blanks([typed_key(name) for name in names])
            problems = header_check(names)
            if problems:
                raise ImportError_(problems)
            width = len(names)
            start = reader.line_num + 1
            for fields in reader:
                # A quoted cell may span lines: report the line the row starts on.
                line, start = start, reader.line_num + 1
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue
                if excel and len(fields) > width:
                    # Excel pads every row to its widest: empty cells past the header say nothing.
                    fields = fields[:width] + _without_trailing_blanks(fields[width:])
                if len(fields) != width:
                    yield line, [f"__width__:{len(fields)}:{width}"]
                    continue
                yield line, fields
    except UnicodeDecodeError as error:
        raise ImportError_([f"line 1: the file is not UTF-8 ({error.reason})"]) from error
    except csv.Error as error:
        raise ImportError_([f"line {reader.line_num}: {error}"]) from error


def _without_trailing_blanks(values: list[str]) -> list[str]:
    end = len(values)
    while end and not values[end - 1].strip():
        end -= 1
    return values[:end]


SAVE_AS_UTF8 = "in Excel choose Save As, then 'CSV UTF-8 (Comma delimited)', and import that file"
_WINDOWS_1252_GAPS = frozenset(b"\x81\x8d\x8f\x90\x9d")  # the five bytes cp1252 leaves undefined


def excel_dialect(path: Path) -> tuple[str, str]:
    """The encoding and separator of a CSV file saved by Excel, or ImportError_ saying what to do.

    UTF-8 (with or without Excel's byte order mark) is read as it is. A file that is not UTF-8
    is Excel's "CSV (Comma delimited)", which is Windows-1252 on UK machines, unless it holds a
    byte Windows-1252 lacks or a NUL (UTF-16 "Unicode text"): then the message names the first
    line that is not UTF-8, so the person can see which name Excel mangled. The separator is `;`
    when the header has more of them than commas (Excel's choice where `,` is a decimal point).
    """
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise ImportError_([f"line 1: the file is UTF-16 text, not CSV; {SAVE_AS_UTF8}"])
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        if b"\x00" in data or _WINDOWS_1252_GAPS.intersection(data):
            raise ImportError_(
                [f"line {line}: the file is not UTF-8 or Windows-1252 text; {SAVE_AS_UTF8}"]
            ) from None
        text, encoding = data.decode("cp1252"), "cp1252"
    header = text.split("\n", 1)[0]
    return encoding, ";" if header.count(";") > header.count(",") else ","


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
    """ISO dates parsed once each (a million rows hold a few hundred distinct dates).

    With `day_first`, UK dates as Excel writes them (31/03/2017, 1/4/2017) are accepted too.
    """

    def __init__(self, *, day_first: bool = False) -> None:
        super().__init__()
        self.day_first = day_first

    @property
    def example(self) -> str:
        """How a good date looks, for the error message."""
        return "2017-03-31 or 31/03/2017" if self.day_first else "2017-03-31"

    def parse(self, text: str) -> dt.date:
        """Parse YYYY-MM-DD (or DD/MM/YYYY when day_first) or raise ValueError."""
        found = self.get(text)
        if found is None:
            if self.day_first and "/" in text:
                day, month, year = text.split("/")  # ValueError unless three parts
                if len(year) != 4 or not (day + month + year).isdigit():
                    raise ValueError(text)
                found = self[text] = dt.date(int(year), int(month), int(day))
                return found
            if len(text) != 10:
                raise ValueError(text)
            found = self[text] = dt.date.fromisoformat(text)
        return found

    def parse_columns(
        self,
        values: dict[str, str],
        names: tuple[str, ...],
        problems: list[str],
        *,
        optional: tuple[str, ...] = (),
    ) -> dict[str, dt.date | None]:
        """The dates in a row's `names` columns (None for a blank `optional` one); a problem
        appended for each bad or missing one."""
        parsed: dict[str, dt.date | None] = {}
        for name in names:
            text = values.get(name, "")
            if not text and name in optional:
                parsed[name] = None
                continue
            try:
                parsed[name] = self.parse(text)
            except ValueError:
                problems.append(
                    f"{name} {text!r} is not a date like {self.example}"
                    if text
                    else f"{name} is blank"
                )
        return parsed


def at_noon(day: dt.date) -> dt.datetime:
    """A date as a stored timestamp: noon UTC is the same calendar day in UK time all year."""
    return dt.datetime.combine(day, NOON)


def checked_rows(
    check: Callable[[int, dict[str, str]], tuple[Row | None, list[str]]],
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    progress: Progress | None = None,
    step: int = 10_000,
    *,
    excel: bool = False,
) -> list[Row]:
    """The rows `check` makes of each record (line, values), or ImportError_ listing every
    problem, `line N: reason`, when any record has one."""
    problems: list[str] = []
    rows: list[Row] = []
    for line, values in read_records(
        path, required, optional, problems, progress, step, excel=excel
    ):
        row, row_problems = check(line, values)
        if row is None or row_problems:
            problems.extend(f"line {line}: {problem}" for problem in row_problems)
            continue
        rows.append(row)
    if problems:
        raise ImportError_(problems)
    return rows


def read_records(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[str],
    progress: Progress | None = None,
    step: int = 10_000,
    *,
    excel: bool = False,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, trimmed values by column) per row; rows of the wrong width go to `problems`."""
    header: list[str] = []

    def check_header(names: list[str]) -> list[str]:
        header.extend(names)
        return header_problems(names, required, optional)

    for count, (line, fields) in enumerate(read_rows(path, check_header, excel=excel), 1):
        if progress and count % step == 0:
            progress(step)
        wrong = width_problem(fields)
        if wrong:
            problems.append(f"line {line}: {wrong}")
            continue
        yield line, dict(zip(header, (field.strip() for field in fields), strict=True))
