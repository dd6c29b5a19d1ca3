"""The deterministic fake world: ``generate_world`` and ``populate`` (scenario ``world:``).

Same seed, same simsec version, same parameters: the same database, byte for byte
(``simsec.db.dump.dump_hash``). Everything random comes from one ``random.Random(seed)``
(never the global generator) and Faker ``fr_FR`` seeded with the same seed; nothing
reads the clock: the start date is an argument.

What a world holds (see :mod:`simsec.world.families`, :mod:`simsec.world.records`,
:mod:`simsec.world.history`): households of patients with coherent names, addresses and
ayants droit; birth places with real INSEE codes; NIR/NIA; the national INS registry
with realistic differences; the insurer's truth and an out-of-date local coverage;
homonyms, twins and doublons; practitioners with hours, appointment types and absences;
a past agenda. Keys are stable: ``patient#1``, ``practitioner#1``, ``appointment#1``,
``ins#1``, ``insurer#1``, ``absence#1``.

Performance: rows are built as plain dicts and inserted with SQLAlchemy Core
``insert()`` in batches inside one transaction; names and streets come from pools built
once (:mod:`simsec.world.pools`); the generation streams in chunks, so memory stays
bounded whatever the population. On SQLite the load runs with ``synchronous=OFF`` and the
secondary indexes of the loaded tables are built after the load.
"""

from __future__ import annotations

import heapq
import importlib
import json
import operator
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Protocol

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Index,
    Table,
    TypeDecorator,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects import sqlite

from simsec.db.models import Base
from simsec.db.schema import create_fresh
from simsec.world.families import Drawer, Person, Shares
from simsec.world.history import (
    PatientIndex,
    PractitionerDraft,
    appointment_batches,
    draw_practitioners,
    practitioner_rows,
)
from simsec.world.pools import build_pools
from simsec.world.rand import FastRandom
from simsec.world.records import Batch, RecordBuilder
from simsec.world.reference import load_reference

__all__ = [
    "DEFAULT_START",
    "ProgressCallback",
    "WorldNotEmptyError",
    "WorldSpec",
    "WorldSpecLike",
    "WorldSummary",
    "default_practitioners",
    "generate_world",
    "populate",
]

#: The start date when none is given (the scenario clock's date in the examples of the
#: scenario format). Never the wall clock: the same seed must give the same world.
DEFAULT_START: Final = date(2026, 3, 2)
#: Departments where the structure of a generated world may stand (large populations).
HOME_DEPARTMENTS: Final = ("69", "75", "13", "33", "31", "59", "44", "67", "34", "35", "38")
#: Tables the generator fills; they must be empty before it runs.
WORLD_TABLES: Final = (
    "practitioner",
    "appointment_type",
    "absence",
    "patient",
    "coverage",
    "ins_registry",
    "insurer_record",
    "appointment",
)
#: Patients per insert batch (bounded memory: a few tens of megabytes).
CHUNK: Final = 20_000

ProgressCallback = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stages ``patients`` then ``appointments``."""


class WorldNotEmptyError(ValueError):
    """The database already holds generated or imported data."""

    def __init__(self, tables: Sequence[str]) -> None:
        super().__init__(f"tables not empty: {', '.join(tables)}")
        self.tables = tuple(tables)


class WorldSpecLike(Protocol):
    """What :func:`populate` needs: the scenario's ``world:`` block."""

    @property
    def seed(self) -> int: ...

    @property
    def population(self) -> int: ...

    @property
    def practitioners(self) -> int: ...

    @property
    def history_days(self) -> int: ...


@dataclass(frozen=True, slots=True)
class WorldSpec:
    """The scenario format's ``world:`` (``SCENARIO_FORMAT.md``)."""

    seed: int = 0
    population: int = 2000
    practitioners: int = 3
    history_days: int = 365


@dataclass(frozen=True, slots=True)
class WorldSummary:
    """What was generated, and the truth about the planted look-alikes (for tests,
    trainers and the evaluation of the doublon detection)."""

    seed: int
    start: date
    counts: dict[str, int]
    doublons: tuple[tuple[str, str, str], ...]
    """(original key, doublon key, kind of error)."""
    homonyms: tuple[tuple[str, str], ...]
    twins: tuple[tuple[str, str], ...]
    variants: dict[str, int] = field(default_factory=dict)
    """Kinds of local-vs-registry trait difference and how many records have one."""

    def truth(self) -> dict[str, Any]:
        """A JSON-able description of the planted pairs."""
        return {
            "seed": self.seed,
            "start": self.start.isoformat(),
            "counts": dict(sorted(self.counts.items())),
            "doublons": [{"a": a, "b": b, "kind": k} for a, b, k in self.doublons],
            "homonyms": [{"a": a, "b": b} for a, b in self.homonyms],
            "twins": [{"a": a, "b": b} for a, b in self.twins],
            "variants": dict(sorted(self.variants.items())),
        }


def default_practitioners(patients: int) -> int:
    """A practice size that suits the population: 3 to 60 practitioners."""
    return max(3, min(60, patients // 5000))


def _tables(names: Sequence[str]) -> list[Table]:
    return [Base.metadata.tables[name] for name in names]


def _check_empty(conn: Connection) -> None:
    busy = [
        table.name
        for table in _tables(WORLD_TABLES)
        if conn.execute(select(func.count()).select_from(table)).scalar_one()
    ]
    if busy:
        raise WorldNotEmptyError(busy)


def _ensure_schema(engine: Engine) -> None:
    if not inspect(engine).has_table("patient"):
        create_fresh(engine)


@contextmanager
def _bulk_load(conn: Connection, tables: Sequence[Table]) -> Iterator[None]:
    """SQLite: no fsync during the load, a bigger cache, and the secondary indexes of
    the loaded tables built after the load (faster than maintaining them row by row).
    Other backends: as is. Must be entered outside a transaction; the indexes are
    rebuilt even when the load fails (its rows are rolled back)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA synchronous=OFF")
    conn.exec_driver_sql("PRAGMA cache_size=-262144")
    conn.exec_driver_sql("PRAGMA temp_store=MEMORY")
    conn.commit()
    indexes: list[Index] = [index for table in tables for index in table.indexes]
    with conn.begin():
        for index in indexes:
            index.drop(conn, checkfirst=True)
    try:
        yield
    finally:
        with conn.begin():
            for index in indexes:
                index.create(conn, checkfirst=True)
            conn.exec_driver_sql("ANALYZE")
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
        conn.commit()


def _fix_sequences(conn: Connection, tables: Sequence[Table]) -> None:
    """PostgreSQL: rows were inserted with explicit ids; move each id sequence past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            ),
            {"table": table.name},
        )


def _practitioner_first_names() -> dict[str, list[str]]:
    """First names as they are written (with accents), from Faker's fr_FR lists."""
    provider = importlib.import_module("faker.providers.person.fr_FR").Provider
    return {
        "M": [str(name) for name in provider.first_names_male],
        "F": [str(name) for name in provider.first_names_female],
    }


def _sqlite_value(column_type: Any) -> Callable[[Any], Any] | None:
    """How SQLAlchemy's SQLite dialect stores a value of ``column_type`` (``None``: as
    is). Kept identical to its storage formats, so that rows written by the fast path
    read back, compare and dump exactly like rows written through the ORM."""
    if isinstance(column_type, DateTime):
        return lambda v: v.isoformat(" ", "microseconds")
    if isinstance(column_type, Date):
        return date.isoformat
    if isinstance(column_type, Boolean):
        return int
    if isinstance(column_type, JSON):
        return json.dumps
    if isinstance(column_type, TypeDecorator):
        raise TypeError(f"no fast path for {column_type!r}")
    return None


@lru_cache(maxsize=32)
def _sqlite_plan(
    table_name: str,
) -> tuple[str, Callable[[dict[str, Any]], tuple[Any, ...]], tuple[tuple[int, Any], ...]]:
    """The compiled ``INSERT`` of a table (every column, positional parameters), a getter
    of the values of a row dict in column order, and the converters by position."""
    table = Base.metadata.tables[table_name]
    names = [column.name for column in table.columns]
    statement = insert(table).compile(dialect=sqlite.dialect(), column_keys=names)
    converters = tuple(
        (position, convert)
        for position, column in enumerate(table.columns)
        if (convert := _sqlite_value(column.type)) is not None
    )
    return str(statement), operator.itemgetter(*names), converters


def _insert(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with every column) with a Core ``insert()``.

    On SQLite the compiled statement is run through the driver's ``executemany`` with
    the values already in SQLite's storage format: the per-value processing of the
    SQLAlchemy executemany path costs more than the insert itself on wide rows.
    """
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(Base.metadata.tables[table]), rows)
        return
    sql, getter, converters = _sqlite_plan(table)
    values: list[tuple[Any, ...]] = []
    for row in rows:
        value = list(getter(row))
        for position, convert in converters:
            item = value[position]
            if item is not None:
                value[position] = convert(item)
        values.append(tuple(value))
    conn.exec_driver_sql(sql, values)


class _Pending:
    """Look-alikes waiting to be recorded later (a doublon is created long after the
    first record, a homonym elsewhere in the list)."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, str, Person]] = []
        self._counter = 0

    def add(self, due: int, kind: str, person: Person) -> None:
        self._counter += 1
        heapq.heappush(self._heap, (due, self._counter, kind, person))

    def due(self, position: int) -> Iterator[tuple[str, Person]]:
        while self._heap and self._heap[0][0] <= position:
            _due, _n, kind, person = heapq.heappop(self._heap)
            yield kind, person


def generate_world(
    engine: Engine,
    *,
    patients: int,
    seed: int,
    practitioners: int | None = None,
    history_days: int = 365,
    start: date = DEFAULT_START,
    progress: ProgressCallback | None = None,
    home_department: str | None = None,
    shares: Shares | None = None,
    reference_dir: Path | None = None,
    chunk: int = CHUNK,
) -> WorldSummary:
    """Fill an empty database with a fake world (see the module docstring).

    ``practitioners`` defaults to :func:`default_practitioners`; ``history_days`` of past
    appointments end the day before ``start``. Creates the schema on a database without
    tables; raises :class:`WorldNotEmptyError` when the world tables already hold rows,
    ValueError on a negative count.
    """
    if patients < 0 or history_days < 0 or (practitioners is not None and practitioners < 0):
        raise ValueError("patients, practitioners and history_days must be >= 0")
    count_practitioners = (
        default_practitioners(patients) if practitioners is None else practitioners
    )
    shares = shares or Shares()
    rng = FastRandom(seed)
    reference = load_reference(reference_dir)
    pools = build_pools(seed, reference)
    home = home_department or rng.choice(HOME_DEPARTMENTS)
    drawer = Drawer(rng, reference, pools, start, shares, home)
    history_start = start - timedelta(days=history_days)
    drafts = draw_practitioners(
        rng,
        count_practitioners,
        pools.french_last.names[:400],
        _practitioner_first_names(),
        first=history_start,
        last=start + timedelta(days=90),
    )
    doctors = tuple(d.display_name for d in drafts if d.specialty.code == "medecine_generale")
    index = PatientIndex()

    def remember(number: int, person: Person, created: date) -> None:
        index.add(number, person.sex, person.birth_date, created, person.deceased_on)

    builder = RecordBuilder(
        drawer, reference, shares, history_days=history_days, doctors=doctors, on_patient=remember
    )
    _ensure_schema(engine)
    tables = _tables(WORLD_TABLES)
    practitioner_list, types, absences = practitioner_rows(drafts)
    stream = _stream(
        drawer,
        builder,
        drafts,
        index,
        rows={"practitioner": practitioner_list, "appointment_type": types, "absence": absences},
        total=patients,
        chunk=chunk,
        history_start=history_start,
    )
    appointments = 0
    with engine.connect() as conn:
        _check_empty(conn)
        conn.commit()
        with _bulk_load(conn, tables), conn.begin():
            for item in stream:
                if isinstance(item, _Rows):
                    _insert(conn, item.table, item.rows)
                    if item.table == "appointment":
                        appointments += len(item.rows)
                elif progress is not None:
                    progress(item.stage, item.done, item.total)
            _fix_sequences(conn, tables)
    counts = {
        "patient": builder.patients,
        "coverage": builder.coverages,
        "ins_registry": builder.registry,
        "insurer_record": builder.insurers,
        "practitioner": len(practitioner_list),
        "appointment_type": len(types),
        "absence": len(absences),
        "appointment": appointments,
    }
    return WorldSummary(
        seed=seed,
        start=start,
        counts=counts,
        doublons=tuple(builder.doublons),
        homonyms=tuple(builder.homonyms),
        twins=tuple(builder.twins),
        variants=dict(builder.variants),
    )


@dataclass(frozen=True, slots=True)
class _Rows:
    table: str
    rows: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class _Progress:
    stage: str
    done: int
    total: int


_Item = _Rows | _Progress


def _stream(
    drawer: Drawer,
    builder: RecordBuilder,
    drafts: Sequence[PractitionerDraft],
    index: PatientIndex,
    *,
    rows: dict[str, list[dict[str, Any]]],
    total: int,
    chunk: int,
    history_start: date,
) -> Iterator[_Item]:
    """Every row of the world, in insertion order (parents before children rows)."""
    for table, table_rows in rows.items():
        yield _Rows(table, table_rows)
    yield from _patient_stream(drawer, builder, total, chunk)
    yield from _history_stream(drawer.rng, drafts, index, history_start, drawer.start)


def _batch_items(batch: Batch) -> Iterator[_Rows]:
    for table, table_rows in batch.tables():
        if table_rows:
            yield _Rows(table, table_rows)


def _patient_stream(
    drawer: Drawer, builder: RecordBuilder, total: int, chunk: int
) -> Iterator[_Item]:
    rng, shares = drawer.rng, drawer.shares
    pending = _Pending()
    batch = Batch()
    yield _Progress("patients", 0, total)
    while builder.patients < total:
        for kind, person in pending.due(builder.patients):
            if builder.patients >= total:
                break
            if kind == "doublon":
                builder.emit_doublon(person, batch)
            else:
                builder.emit(person, batch)
                original = person.extras.get("homonym_of")
                if isinstance(original, Person):
                    builder.homonyms.append((original.key, person.key))
        for person in drawer.family():
            if builder.patients >= total:
                break
            adult = person.age_on(drawer.start) >= 18
            if adult and rng.random() < shares.homonym:
                person.extras["homonyme"] = rng.random() < 0.5
                other = drawer.homonym(person)
                other.extras["homonyme"] = person.extras["homonyme"]
                other.extras["homonym_of"] = person
                pending.add(builder.patients + rng.randint(20, 2000), "homonym", other)
            builder.emit(person, batch)
            if rng.random() < shares.doublon:
                pending.add(builder.patients + rng.randint(20, 3000), "doublon", person)
        if len(batch) >= chunk:
            yield from _batch_items(batch)
            batch = Batch()
            yield _Progress("patients", builder.patients, total)
    yield from _batch_items(batch)
    yield _Progress("patients", builder.patients, total)


def _history_stream(
    rng: random.Random,
    drafts: Sequence[PractitionerDraft],
    index: PatientIndex,
    history_start: date,
    start: date,
) -> Iterator[_Item]:
    estimate = _estimate_appointments(drafts, history_start, start)
    done = 0
    yield _Progress("appointments", 0, estimate)
    for rows in appointment_batches(rng, drafts, index, first=history_start, start=start):
        yield _Rows("appointment", rows)
        done += len(rows)
        yield _Progress("appointments", min(done, estimate), max(estimate, done))
    yield _Progress("appointments", done, done)


def _estimate_appointments(drafts: Sequence[PractitionerDraft], first: date, start: date) -> int:
    """Roughly how many appointments the history will hold (for the progress bar)."""
    days = max((start - first).days, 0)
    total = 0.0
    for draft in drafts:
        minutes = 0
        for spans in draft.hours.values():
            for span in spans:
                begin, end = span.split("-")
                minutes += (int(end[:2]) * 60 + int(end[3:])) - (
                    int(begin[:2]) * 60 + int(begin[3:])
                )
        types = draft.specialty.types
        average = sum(t[2] * t[3] for t in types) / sum(t[3] for t in types)
        total += minutes / average * days / 7 * 0.9 * 0.82
    return int(total)


def populate(
    engine: Engine,
    world_spec: WorldSpecLike,
    *,
    start: date = DEFAULT_START,
    progress: ProgressCallback | None = None,
) -> WorldSummary:
    """Generate the background world of a scenario (``world: {seed, population,
    practitioners, history_days}``); ``start`` is the scenario's start date."""
    return generate_world(
        engine,
        patients=world_spec.population,
        seed=world_spec.seed,
        practitioners=world_spec.practitioners,
        history_days=world_spec.history_days,
        start=start,
        progress=progress,
    )
