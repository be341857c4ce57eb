"""The publication rule (ADR 0046): the one place that decides which figures a report hides.

Every output of a report (screens, CSV and XLSX, the CLI's table, CSV and JSON, charts) takes
its figures from here, so one rule covers them all:

- Primary: a count from 1 to 4 is shown as "<5".
- Secondary: in any group of counts that add up to a total (shown here or in another report),
  if exactly one count is hidden, the next smallest non-zero count of the group is hidden too,
  so the total minus the visible counts gives nothing away; with nothing left to hide, the total
  goes. This repeats until no group has a lone hidden count (a table's rows and columns).
- A rate, percentage or mean made from a hidden count is withheld ("suppressed").

Not for publication, nothing is hidden and the same code hands the figures straight through.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

SUPPRESSED = "<5"
WITHHELD = "suppressed"
ALL = "*all*"  # the key position of a total ("every value of this field")

Shown = int | str  # a published count: the number, or "<5"
Rate = float | str | None  # a published rate: the number, "suppressed", or None (nothing sent)


def small(count: int | None) -> bool:
    """True for a count the primary rule hides (1 to 4)."""
    return count is not None and 1 <= count <= 4


@dataclass
class Disclosure:
    """The counts of one report, the groups they add up in, and which of them to hide."""

    publication: bool
    values: dict[Hashable, int] = field(default_factory=dict)
    groups: list[tuple[Hashable, list[Hashable]]] = field(default_factory=list)
    _hidden: set[Hashable] | None = None

    def add(self, key: Hashable, value: int) -> Hashable:
        self.values[key] = value
        self._hidden = None
        return key

    def group(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        """`total` is the sum of `parts` (every key must have been added)."""
        self.groups.append((total, list(parts)))
        self._hidden = None

    def hidden(self, key: Hashable) -> bool:
        if not self.publication:
            return False
        if self._hidden is None:
            self._hidden = _solve(self.values, self.groups)
        return key in self._hidden

    def count(self, key: Hashable) -> Shown:
        """The count as shown; a key never added is a count of 0."""
        return SUPPRESSED if self.hidden(key) else self.values.get(key, 0)

    def rate(self, value: float | None, *keys: Hashable) -> Rate:
        """A rate made from these counts: withheld when any of them is hidden."""
        return WITHHELD if any(self.hidden(key) for key in keys) else value


def _solve(values: dict[Hashable, int], groups: Sequence[tuple[Hashable, list[Hashable]]]) -> set:
    hidden = {key for key, value in values.items() if small(value)}
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            lone = [part for part in parts if part in hidden]
            if len(lone) != 1 or total in hidden:
                continue
            others = [p for p in parts if p not in hidden and values[p] > 0]
            hidden.add(min(others, key=lambda p: values[p]) if others else total)
            changed = True
    return hidden


def add_lattice(
    disclosure: Disclosure, prefix: Hashable, cells: dict[tuple[Any, ...], int]
) -> None:
    """Cells keyed by field values, with every total over any of the fields, grouped.

    A table grouped by role and kind gets (role, kind) cells, (role, ALL) and (ALL, kind) totals
    and the (ALL, ALL) grand total; each total is grouped with the cells it adds up.
    """
    totals: dict[tuple[Any, ...], int] = {}
    for key, value in cells.items():
        for mask in range(1 << len(key)):
            marginal = tuple(ALL if mask >> i & 1 else part for i, part in enumerate(key))
            totals[marginal] = totals.get(marginal, 0) + value
    if not cells:
        totals[()] = 0
    members: dict[tuple[Any, ...], list[Hashable]] = {}
    for key, value in totals.items():
        disclosure.add((prefix, key), value)
        for i, part in enumerate(key):
            if part != ALL:
                parent = (*key[:i], ALL, *key[i + 1 :])
                members.setdefault((parent, i), []).append((prefix, key))
    for (parent, _position), parts in members.items():
        disclosure.group((prefix, parent), parts)


def total_key(width: int) -> tuple[str, ...]:
    return (ALL,) * width
