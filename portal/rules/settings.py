"""Team-wide settings an admin edits on the Settings screen, kept in the `setting` table.

Each setting is declared once in `SETTINGS` (its key, label, kind and group); the screen, its
validation and the typed getters all read that list, so a new group (the team contact)
is a few lines here and nothing else. Values are stored as strings; empty means "not set".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.extensions import db
from portal.models import Setting
from portal.rules.text import ADDRESS_LINES, postal_address
from portal.staff import audit

Kind = Literal["text", "phone", "url", "email", "address"]
# Digits, spaces and one leading +: what a `tel:` link can carry once the spaces are dropped.
_PHONE = re.compile(r"^\+?[0-9 ]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PHONE_DIGITS = 3  # 999 and 111 are real numbers; anything shorter is a typo


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    kind: Kind
    group: str
    max_length: int = 200
    hint: str | None = None


ADVOCACY = _l("Advocacy service")
TEAM_CONTACT = _l("Team contact")

SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("advocacy_name", _l("Advocacy service name"), "text", ADVOCACY, 120,
                _l("Shown to children and young people wherever a form mentions an advocate")),
    SettingSpec("advocacy_phone", _l("Advocacy service phone"), "phone", ADVOCACY, 30,
                _l("Digits and spaces, with + for an international number, like 0800 123 4567")),
    SettingSpec("advocacy_url", _l("Advocacy service web address"), "url", ADVOCACY, 300,
                _l("Starts with https://")),
    SettingSpec("team_name", _l("Team name"), "text", TEAM_CONTACT, 120),
    SettingSpec("team_phone", _l("Team phone"), "phone", TEAM_CONTACT, 30),
    SettingSpec("team_email", _l("Team email address"), "email", TEAM_CONTACT, 254),
    # Printed on postal letters and paper forms as the address to send the form back to.
    SettingSpec("team_address", _l("Team postal address"), "address", TEAM_CONTACT, 400,
                _l("Where families post paper forms back to. One part of the address on each "
                   "line, with the postcode last")),
)  # fmt: skip
BY_KEY: dict[str, SettingSpec] = {spec.key: spec for spec in SETTINGS}


def groups() -> list[tuple[str, list[SettingSpec]]]:
    """The settings by group, in declared order (one fieldset each on the screen)."""
    found: dict[str, list[SettingSpec]] = {}
    for spec in SETTINGS:
        found.setdefault(str(spec.group), []).append(spec)
    return list(found.items())


def problem(spec: SettingSpec, value: str) -> str | None:
    """Why `value` cannot be kept for `spec` (a message for the admin), or None. Empty is fine."""
    if not value:
        return None
    if len(value) > spec.max_length:
        return str(_l("%(label)s must be %(num)d characters or fewer", label=spec.label,
                      num=spec.max_length))  # fmt: skip
    if spec.kind == "phone":
        if not _PHONE.match(value) or sum(c.isdigit() for c in value) < MIN_PHONE_DIGITS:
            return str(_l("%(label)s must contain only digits and spaces, with an optional + "
                          "at the start, like 0800 123 4567", label=spec.label))  # fmt: skip
    elif spec.kind == "url":
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname or " " in value:
            return str(_l("%(label)s must be a web address starting with https://, like "
                          "https://advocacy.example.org", label=spec.label))  # fmt: skip
    elif spec.kind == "address" and postal_address(value)[1]:
        return str(_l("%(label)s must have at most %(num)d lines of up to 80 characters each, "
                      "with no tabs or other hidden characters", label=spec.label,
                      num=ADDRESS_LINES))  # fmt: skip
    elif spec.kind == "email" and not _EMAIL.match(value):
        return str(_l("Enter an email address in the correct format, like name@example.com"))
    return None


def clean(value: str | None, kind: Kind = "text") -> str:
    """A value as kept: surrounding spaces trimmed and inner runs of spaces made one (an address
    keeps its lines, each trimmed, blank lines dropped)."""
    if kind == "address":
        lines = (" ".join(line.split()) for line in (value or "").splitlines())
        return "\n".join(line for line in lines if line)
    return " ".join((value or "").split())


def values(keys: Iterable[str] | None = None) -> dict[str, str]:
    """Stored values by key ("" when not set), in one query."""
    wanted = list(keys) if keys is not None else list(BY_KEY)
    stored = {
        setting.key: setting.value
        for setting in db.session.scalars(select(Setting).where(Setting.key.in_(wanted)))
    }
    return {key: stored[key] if isinstance(stored.get(key), str) else "" for key in wanted}


def save(new: Mapping[str, str]) -> list[str]:
    """Keep the given values (already checked with `problem`), audit each change.

    Returns the keys that changed; the caller commits. The audit records keys only: a value
    could one day be a person's direct line.
    """
    current = values(new)
    changed = [key for key, value in new.items() if key in BY_KEY and value != current[key]]
    for key in changed:
        setting = db.session.get(Setting, key)
        if setting is None:
            db.session.add(Setting(key=key, value=new[key]))
        else:
            setting.value = new[key]
    if changed:
        audit.record("settings_changed", None, keys=changed)
    return changed


@dataclass(frozen=True)
class ContactPoint:
    """A service a young person can contact: a name, and a phone and/or a web address."""

    name: str
    phone: str = ""
    url: str = ""

    @property
    def tel_href(self) -> str:
        """The phone as a `tel:` link (RFC 3966 allows no spaces)."""
        return "tel:" + self.phone.replace(" ", "") if self.phone else ""


@dataclass(frozen=True)
class TeamContact:
    """How a family reaches the IRO team: printed on letters and paper forms."""

    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    @property
    def address_lines(self) -> list[str]:
        return [line for line in self.address.splitlines() if line]

    @property
    def reachable(self) -> bool:
        """Whether a respondent page has a way to reach the team to show (a phone or an email)."""
        return bool(self.phone or self.email)


def team_contact() -> TeamContact:
    """The team's name, phone, email and return address ("" for any not set)."""
    found = values(("team_name", "team_phone", "team_email", "team_address"))
    return TeamContact(
        found["team_name"], found["team_phone"], found["team_email"], found["team_address"]
    )


def advocacy_service() -> ContactPoint | None:
    """The council's advocacy service, or None while its name is not set."""
    found = values(("advocacy_name", "advocacy_phone", "advocacy_url"))
    if not found["advocacy_name"]:
        return None
    return ContactPoint(found["advocacy_name"], found["advocacy_phone"], found["advocacy_url"])
