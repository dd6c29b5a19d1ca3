"""A sample of every model, built from the metadata (so a new model is covered at once).

Each table gets ``n`` rows whose every column is set to a non-default value of its type
(accents, quotes, new lines, microseconds, cents, nested JSON). Row ``i`` of a table
points to row ``i`` of each table it references, which keeps composite unique
constraints such as ``(patient_id, role)`` satisfied.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, String, Table, Text
from sqlalchemy.orm import Mapper, Session

from simsec.db.models import Base
from simsec.db.types import Money


def mappers() -> list[Mapper[Any]]:
    """Every mapped model, in the order its table can be filled (parents first)."""
    by_table = {m.local_table: m for m in Base.registry.mappers}
    return [by_table[t] for t in Base.metadata.sorted_tables if t in by_table]


def column_value(table: Table, column: Column[Any], i: int) -> object:
    """A deterministic, non-default value for ``column`` in row ``i``."""
    kind = column.type
    if column.name == "key":
        return f"{table.name}#{i:03d}"
    if isinstance(kind, Money):
        return Decimal("1234.56") + i if i != 2 else Decimal("-0.07")
    if isinstance(kind, Boolean):
        return i % 2 == 0
    if isinstance(kind, Integer):
        return 1000 + 7 * i
    if isinstance(kind, DateTime):
        return datetime(2024, 2, 29, 13, 45, 12, 123456) + timedelta(hours=i)
    if isinstance(kind, Date):
        return date(2024, 2, 29) + timedelta(days=i)
    if isinstance(kind, JSON):
        return {"b": [1, "é", None], "a": {"z": True, "y": 1.5}, f"k{i}": i}
    if isinstance(kind, Text):
        return f'ligne {i}\nl\'été « {column.name} » "ok"'
    if isinstance(kind, String):
        text = f"{column.name[:3]}{i}é"
        return text[: kind.length] if kind.length else text
    raise TypeError(f"no sample value for {table.name}.{column.name} ({kind!r})")


def populate(session: Session, n: int = 3, *, reverse: bool = False) -> dict[str, list[Any]]:
    """Insert ``n`` objects of every model through the ORM; return them by table name.

    ``reverse``: insert each table's rows in the opposite order, so that the integer ids
    differ from a forward build while the content is the same.
    """
    made: dict[str, list[Any]] = {}
    for mapper in mappers():
        table = mapper.local_table
        assert isinstance(table, Table)
        objects: list[Any] = [None] * n
        for i in range(n - 1, -1, -1) if reverse else range(n):
            values: dict[str, object] = {}
            for column in table.columns:
                if column.primary_key:
                    continue
                attr = mapper.get_property_by_column(column).key
                foreign = list(column.foreign_keys)
                if foreign:
                    values[attr] = made[foreign[0].column.table.name][i].id
                else:
                    values[attr] = column_value(table, column, i)
            obj = mapper.class_(**values)
            session.add(obj)
            session.flush()
            objects[i] = obj
        made[table.name] = objects
    return made


def column_values(obj: Any) -> dict[str, object]:
    """The stored values of ``obj``, by column name (surrogate ids left out)."""
    mapper: Mapper[Any] = obj.__mapper__
    table = mapper.local_table
    assert isinstance(table, Table)
    return {
        column.name: getattr(obj, mapper.get_property_by_column(column).key)
        for column in table.columns
        if not column.primary_key
    }
