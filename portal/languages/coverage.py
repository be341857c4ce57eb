"""How complete and how trustworthy each translation catalogue is (docs/adr/0020).

Plain module (no Flask): extracts the current source strings the same way `make translations`
does, reads every `translations/<locale>/LC_MESSAGES/messages.po`, and counts per locale and per
area (the pages and journey, each form, the staff screens) what is reviewed, a draft (shown, but
marked `# draft:` by whoever wrote it), fuzzy (Babel's guess after a source change; not shown),
or missing (English is shown). It also finds the problems that must stop a release: a catalogue
that does not parse or compile, and placeholders that differ from the English.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message, TranslationError
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from portal.config import PROJECT_ROOT

# Keep in step with EXTRACT_KEYWORDS in the Makefile (a test compares the two extractions).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}
DRAFT_MARK = "draft:"
PAGES = "pages and journey"
STAFF = "staff screens (English only)"
STAFF_PATHS = (
    "templates/admin/",
    "templates/auth/",
    "portal/web/admin/",
    "portal/web/auth/",
    "portal/crypto/passwords.py",
    "portal/rules/roles.py",  # role and review-kind labels: staff screens only
    "portal/rules/participation.py",  # participation codes, stand-down reasons
    "portal/rules/settings.py",  # the Settings screen's labels and checks
    "templates/errors/staff_error.html",
    "portal/reporting/participation_shown.py",  # the participation report
    "portal/rules/inbox.py",  # the responses inbox
    "portal/rules/receipts.py",  # delivery receipts on the review page and chase list
    "portal/rules/alert_reasons.py",  # why an alert was raised, for the IRO
)
STATES = ("reviewed", "draft", "fuzzy", "missing")

_PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])"
)
_BRACE = re.compile(r"(?<!\{)\{(?P<field>[A-Za-z_][A-Za-z0-9_]*|\d*)(?:![rsa])?(?::[^{}]*)?\}")


@dataclass(frozen=True)
class SourceString:
    """One msgid (with its context) and the areas of the site it appears in."""

    msgid: str | tuple[str, ...]
    context: str | None
    areas: frozenset[str]

    @property
    def respondent_facing(self) -> bool:
        return self.areas != frozenset({STAFF})


@dataclass
class Counts:
    """Reviewed, draft, fuzzy and missing strings for one locale (and one area)."""

    reviewed: int = 0  # translated and checked
    draft: int = 0  # translated, shown, marked `# draft:` until someone checks it
    fuzzy: int = 0  # Babel's guess after the English changed: English is shown
    missing: int = 0  # not translated: English is shown

    @property
    def total(self) -> int:
        return self.reviewed + self.draft + self.fuzzy + self.missing

    @property
    def translated(self) -> int:
        """Strings a respondent sees in their language (reviewed or draft)."""
        return self.reviewed + self.draft

    def add(self, state: str) -> None:
        setattr(self, state, getattr(self, state) + 1)


@dataclass
class LocaleReport:
    """Coverage and problems for one catalogue."""

    locale: str
    counts: Counts = field(default_factory=Counts)
    by_area: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    problems: list[str] = field(default_factory=list)


def area_of(filename: str) -> str:
    """Which part of the site a source file belongs to, for the per-form breakdown."""
    path = filename.replace("\\", "/")
    if path.startswith("forms/") and path.endswith(".yaml"):
        return "form " + Path(path).stem
    if path.startswith(STAFF_PATHS):
        return STAFF
    return PAGES


def extract_sources(root: Path = PROJECT_ROOT) -> list[SourceString]:
    """Every translatable string in the code, templates and forms (as `pybabel extract`)."""
    with (root / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    areas: dict[tuple[object, str | None], set[str]] = defaultdict(set)
    for filename, _line, message, _comments, context in extract_from_dir(
        root, method_map, options_map, keywords=KEYWORDS
    ):
        areas[(message, context)].add(area_of(filename))
    return [
        SourceString(msgid=message, context=context, areas=frozenset(found))  # type: ignore[arg-type]
        for (message, context), found in areas.items()
    ]


def placeholders(text: str, *, percent: bool = True, brace: bool = True) -> list[str]:
    """The sorted placeholders in a string: `%(name)s`, `%s`, `{name}`, `{0}` (not `%%`)."""
    found: list[str] = []
    if percent:
        found += [
            f"%({m['name']}){m['type']}" if m["name"] else f"%{m['type']}"
            for m in _PERCENT.finditer(text)
            if m["type"] != "%"
        ]
    if brace:
        found += [
            f"{{{m['field']}}}" for m in _BRACE.finditer(text.replace("{{", "").replace("}}", ""))
        ]
    return sorted(found)


def _checks_percent(message: Message, source: str) -> bool:
    return "python-format" in message.flags or bool(re.search(r"%\([^)]+\)[a-z]", source))


def _checks_brace(message: Message, source: str) -> bool:
    return "python-brace-format" in message.flags or bool(_BRACE.search(source))


def placeholder_problems(message: Message) -> list[str]:
    """Each translation whose placeholders differ from the English it translates."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    source = " ".join(ids)
    percent, brace = _checks_percent(message, source), _checks_brace(message, source)
    if not (percent or brace):
        return []
    expected = [placeholders(i, percent=percent, brace=brace) for i in ids]
    problems = []
    for index, translation in enumerate(strings):
        if not translation:
            continue
        got = placeholders(translation, percent=percent, brace=brace)
        if len(ids) == 1:
            matches = got == expected[0]
        else:
            # A plural form may drop the count (e.g. "one answer") but never add or rename one.
            allowed = set(expected[0]) | set(expected[-1])
            matches = set(got) <= allowed and set(expected[0]) - {"%(num)d", "%d"} <= set(got)
        if not matches:
            problems.append(
                f"{ids[0]!r}: placeholders {got} in translation {index} "
                f"do not match the English {expected[-1 if index else 0]}"
            )
    return problems


def state_of(message: Message | None) -> str:
    """reviewed, draft, fuzzy or missing (see module docstring)."""
    if (
        message is None
        or not message.string
        or not all(message.string if isinstance(message.string, tuple) else (message.string,))
    ):
        return "missing"
    if message.fuzzy:
        return "fuzzy"
    if any(comment.strip().lower().startswith(DRAFT_MARK) for comment in message.user_comments):
        return "draft"
    return "reviewed"


def read_catalogue(path: Path, locale: str) -> tuple[Catalog | None, list[str]]:
    """Parse and trial-compile one catalogue; returns it (if it parses) and its problems."""
    try:
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=locale, abort_invalid=True)
    except (PoFileError, ValueError, OSError) as error:
        return None, [f"does not parse: {error}"]
    problems = []
    if catalogue.fuzzy:
        problems.append(
            "the header is marked fuzzy, so `pybabel compile` skips the whole catalogue"
        )
    for message, errors in catalogue.check():
        problems += [f"{message.id!r}: {error}" for error in errors]
    for message in catalogue:
        # Fuzzy entries are Babel's guesses and are never compiled; they are checked once confirmed.
        if message.id and not message.fuzzy:
            problems += placeholder_problems(message)
    try:
        write_mo(io.BytesIO(), catalogue)
    except (TranslationError, ValueError, TypeError) as error:
        problems.append(f"does not compile: {error}")
    return catalogue, problems


def catalogue_paths(translations: Path) -> Iterator[tuple[str, Path]]:
    """(locale, path) for every catalogue under translations/, sorted by locale."""
    for path in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        yield path.parent.parent.name, path


def report(
    locales: Iterable[str],
    translations: Path = PROJECT_ROOT / "translations",
    sources: list[SourceString] | None = None,
) -> list[LocaleReport]:
    """Coverage and problems for each locale (English, the source language, is skipped)."""
    sources = extract_sources() if sources is None else sources
    found = dict(catalogue_paths(translations))
    reports = []
    for locale in locales:
        if locale == "en":
            continue
        result = LocaleReport(locale)
        catalogue = None
        if locale not in found:
            result.problems.append(f"no catalogue at translations/{locale}/LC_MESSAGES/messages.po")
        else:
            catalogue, result.problems = read_catalogue(found[locale], locale)
        for source in sources:
            message = catalogue.get(source.msgid, source.context) if catalogue else None
            state = state_of(message)
            for area in source.areas:
                result.by_area[area].add(state)
            if source.respondent_facing:
                result.counts.add(state)
        reports.append(result)
    return reports
