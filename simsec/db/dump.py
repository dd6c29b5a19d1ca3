"""Canonical dump of a database, and its hash: how replay equality is checked.

A replayed run must rebuild "the same database state as at the end of the run: same rows,
same values" (``spec/RUNLOG_FORMAT.md``, guarantee 2; ``spec/ARCHITECTURE.md``,
Determinism). Two databases are equal when their canonical dumps are equal, whatever
the backend (SQLite or PostgreSQL) and whatever order the rows were inserted in:

- every table of the models, sorted by name, starts with a header line
  ``{"columns": [...], "table": "name"}``;
- then one line per row, a JSON array of the row's values in header order;
- integer surrogate ids are left out, and an integer foreign key is replaced by the
  ``key`` of the row it points to (header name ``patient_id:key``), so that the volatile
  numbering of rows never shows;
- rows are sorted by ``key``; a table without ``key`` by a unique set of its columns
  when it has one (foreign keys already resolved), else by the rows' own text;
- values are canonical JSON: dates and date-times in ISO 8601, ``Decimal`` as a string
  (``"12.30"``), JSON columns with their object keys sorted, UTF-8, no spaces.

The rows are streamed with Core selects (never the ORM): the database sorts them (binary
collation, the same order on both backends) and each line is hashed as it is produced.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Final

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    UniqueConstraint,
    select,
)
from sqlalchemy.sql import FromClause

from simsec.db.models import Base
from simsec.db.types import Money

__all__ = ["DumpError", "dump_hash", "dump_lines", "iter_dump", "write_dump"]

#: Rows fetched per round trip (server-side cursor on PostgreSQL).
BATCH_ROWS: Final = 2000
KEY_COLUMN: Final = "key"
_SQL_ORDERABLE = (String, Integer, Date, DateTime, Boolean, Money)


class DumpError(ValueError):
    """The schema has something the canonical dump cannot make stable."""


def _default(value: object) -> object:
    """JSON for the values the standard encoder does not know."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    raise TypeError(f"cannot dump {type(value).__name__} values")


_encode: Final[Callable[[object], str]] = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
).encode


@dataclass(frozen=True, slots=True)
class _TablePlan:
    name: str
    header: str
    statement: Select[Any]
    sorted_by_database: bool


def _is_surrogate(column: Column[Any]) -> bool:
    """An integer primary key numbered by the database: never part of the content."""
    table = column.table
    return (
        column.primary_key
        and len(table.primary_key.columns) == 1
        and isinstance(column.type, Integer)
    )


def _excluded(table: Table, column: Column[Any], exclude: Collection[str]) -> bool:
    return f"{table.name}.{column.name}" in exclude


def _orderable(column: ColumnElement[Any]) -> bool:
    return isinstance(column.type, _SQL_ORDERABLE)


def _binary(expression: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """Strings compared byte by byte (code point order), the same on every backend:
    SQLite's default BINARY collation, PostgreSQL's ``"C"``."""
    if dialect == "postgresql" and isinstance(expression.type, String):
        return expression.collate("C")
    return expression


def _plan_table(table: Table, dialect: str, exclude: Collection[str]) -> _TablePlan:
    outputs: list[tuple[str, ColumnElement[Any]]] = []
    resolved: dict[str, ColumnElement[Any]] = {}
    source: FromClause = table
    for column in table.columns:
        if _is_surrogate(column) or _excluded(table, column, exclude):
            continue
        foreign = list(column.foreign_keys)
        if len(foreign) == 1 and _is_surrogate(foreign[0].column):
            target = foreign[0].column.table
            if KEY_COLUMN not in target.columns:
                raise DumpError(
                    f"{table.name}.{column.name} points to {target.name}, which has no "
                    f"'{KEY_COLUMN}' column to replace its integer id"
                )
            referred = target.alias(f"ref_{column.name}")
            source = source.outerjoin(referred, column == referred.c[foreign[0].column.name])
            key = referred.c[KEY_COLUMN]
            outputs.append((f"{column.name}:{KEY_COLUMN}", key))
            resolved[column.name] = key
        else:
            outputs.append((column.name, column))
            resolved[column.name] = column
    order = _sql_order(table, resolved)
    statement = select(*(expr.label(f"c{i}") for i, (_, expr) in enumerate(outputs)))
    statement = statement.select_from(source)
    sorted_by_database = order is not None and dialect in ("sqlite", "postgresql")
    if sorted_by_database and order is not None:
        statement = statement.order_by(*(_binary(expr, dialect) for expr in order))
    header = _encode({"columns": [name for name, _ in outputs], "table": table.name})
    return _TablePlan(table.name, header, statement, sorted_by_database)


def _sql_order(
    table: Table, resolved: dict[str, ColumnElement[Any]]
) -> list[ColumnElement[Any]] | None:
    """Columns whose values identify a row (``key``, or a unique set of non-null
    columns), so that the database can sort; None when only the whole row does."""
    candidates: list[list[str]] = [[KEY_COLUMN]] if KEY_COLUMN in table.columns else []
    candidates += [
        [c.name for c in constraint.columns]
        for constraint in sorted(table.constraints, key=lambda c: str(c.name))
        if isinstance(constraint, UniqueConstraint)
    ]
    candidates += [[c.name] for c in table.columns if c.unique]
    for names in candidates:
        columns = [table.columns[name] for name in names]
        if all(name in resolved for name in names) and not any(c.nullable for c in columns):
            order = [resolved[name] for name in names]
            if all(_orderable(expr) for expr in order):
                return order
    return None


def _plans(metadata: MetaData, dialect: str, exclude: Collection[str]) -> Iterator[_TablePlan]:
    for name in sorted(metadata.tables):
        if name in exclude:
            continue
        yield _plan_table(metadata.tables[name], dialect, exclude)


@contextmanager
def _reading(connectable: Engine | Connection) -> Iterator[Connection]:
    """A connection that sees one consistent snapshot (PostgreSQL: REPEATABLE READ)."""
    if isinstance(connectable, Connection):
        yield connectable
        return
    with connectable.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def iter_dump(
    connectable: Engine | Connection,
    metadata: MetaData = Base.metadata,
    *,
    exclude: Collection[str] = (),
) -> Iterator[str]:
    """The canonical dump, line by line (no trailing newline).

    ``exclude``: table names, or ``table.column`` names, left out of the dump.
    """
    with _reading(connectable) as conn:
        dialect = conn.dialect.name
        for plan in _plans(metadata, dialect, frozenset(exclude)):
            yield plan.header
            result = conn.execution_options(yield_per=BATCH_ROWS).execute(plan.statement)
            lines = (_encode(list(row)) for row in result)
            if plan.sorted_by_database:
                yield from lines
            else:
                yield from sorted(lines)


def dump_lines(connectable: Engine | Connection, **kwargs: Any) -> list[str]:
    """The whole canonical dump in memory (tests and small databases)."""
    return list(iter_dump(connectable, **kwargs))


def write_dump(connectable: Engine | Connection, out: IO[str] | Path, **kwargs: Any) -> str:
    """Write the canonical dump (one line each, ``\\n``-terminated); return its hash."""
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8", newline="\n") as handle:
            return write_dump(connectable, handle, **kwargs)
    digest = hashlib.sha256()
    for line in iter_dump(connectable, **kwargs):
        data = line + "\n"
        digest.update(data.encode("utf-8"))
        out.write(data)
    return digest.hexdigest()


def dump_hash(connectable: Engine | Connection, **kwargs: Any) -> str:
    """SHA-256 (hex) of the canonical dump: equal databases, equal hashes."""
    digest = hashlib.sha256()
    for line in iter_dump(connectable, **kwargs):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
