"""Core statements compiled once per dialect and run on the driver's own cursor (issue 8).

For the two statements every respondent request runs (read the link, save the draft), Core's
execution and result machinery cost twice the database round trip itself. A `DriverStatement`
keeps what Core would work out on each call: the SQL for the dialect, each parameter's bind
processor and each column's result processor (SQLAlchemy's own, through the types' public
`bind_processor` / `result_processor`), so values go in and come out exactly as with
`Connection.execute`. Use it only on hot paths with fixed statements; everything else stays Core
or ORM. A driver error is not wrapped or turned into a pool invalidation here: a broken
connection is refused at its next checkout (portal.db_liveness).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.sql.expression import Executable

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class DriverStatement:
    """One statement ready for one dialect's DBAPI cursor."""

    sql: str
    params: tuple[tuple[str, Processor], ...]  # in the driver's order, with bind processors
    positional: bool  # qmark/format drivers take a tuple, named ones a dict
    row: type[tuple[Any, ...]] | None  # a named tuple of the selected columns (SELECT only)
    columns: tuple[Processor, ...]

    @classmethod
    def compile(
        cls, statement: Executable, dialect: Dialect, column_keys: Sequence[str] | None = None
    ) -> DriverStatement:
        """`column_keys`: for INSERT and UPDATE, the columns the parameters will set."""
        compiled = statement.compile(dialect=dialect, column_keys=list(column_keys or ()) or None)
        names = compiled.positiontup if compiled.positional else list(compiled.binds)
        selected = getattr(statement, "selected_columns", None)
        return cls(
            sql=compiled.string,
            params=tuple(
                (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                for name in names or ()
            ),
            positional=bool(compiled.positional),
            row=namedtuple("Row", selected.keys()) if selected is not None else None,  # type: ignore[misc]
            columns=tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in (selected if selected is not None else ())
            ),
        )

    def _run(self, connection: Connection, params: dict[str, Any]) -> Any:
        # A list, not a dict: a positional statement may name one parameter twice.
        values = [(name, f(params[name]) if f else params[name]) for name, f in self.params]
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(self.sql, tuple(v for _n, v in values) if self.positional else dict(values))
        return cursor

    def execute(self, connection: Connection, params: dict[str, Any]) -> int:
        """Run an INSERT, UPDATE or DELETE; the number of rows it touched."""
        cursor = self._run(connection, params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def first(self, connection: Connection, params: dict[str, Any]) -> Any:
        """A SELECT's first row as a named tuple, or None."""
        assert self.row is not None, "first() is for SELECT statements"
        cursor = self._run(connection, params)
        try:
            raw = cursor.fetchone()
        finally:
            cursor.close()
        if raw is None:
            return None
        return self.row(*(f(v) if f else v for f, v in zip(self.columns, raw, strict=True)))
