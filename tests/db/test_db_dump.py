"""The canonical dump: equal content gives equal dumps, whatever the insertion order or
the backend; any change of content changes the hash."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from dbsample import populate
from pg import USER_PROPERTY, PostgresServer
from sqlalchemy import Column, Engine, ForeignKey, Integer, MetaData, String, Table, select, update
from sqlalchemy.orm import Session

from simsec.db.dump import DumpError, dump_hash, dump_lines, iter_dump, write_dump
from simsec.db.engine import make_engine
from simsec.db.models import Appointment, Base, Invoice, Patient, Practitioner
from simsec.db.schema import create_fresh


def build(url: str, *, reverse: bool = False) -> Engine:
    engine = make_engine(url)
    create_fresh(engine)
    with Session(engine) as session, session.begin():
        populate(session, reverse=reverse)
    return engine


@pytest.fixture
def forward(tmp_path: Path) -> Iterator[Engine]:
    engine = build(f"sqlite:///{tmp_path / 'forward.sqlite3'}")
    yield engine
    engine.dispose()


@pytest.fixture
def backward(tmp_path: Path) -> Iterator[Engine]:
    engine = build(f"sqlite:///{tmp_path / 'backward.sqlite3'}", reverse=True)
    yield engine
    engine.dispose()


def headers(lines: list[str]) -> dict[str, list[str]]:
    found = {}
    for line in lines:
        if line.startswith("{"):
            header = json.loads(line)
            found[header["table"]] = header["columns"]
    return found


def rows_of(lines: list[str], table: str) -> list[list[object]]:
    rows: list[list[object]] = []
    inside = False
    for line in lines:
        if line.startswith("{"):
            inside = json.loads(line)["table"] == table
        elif inside:
            rows.append(json.loads(line))
    return rows


def test_a_different_insertion_order_gives_the_same_dump(forward: Engine, backward: Engine) -> None:
    with forward.connect() as a, backward.connect() as b:  # the ids really differ
        first = a.scalar(select(Patient.id).where(Patient.key == "patient#000"))
        last = b.scalar(select(Patient.id).where(Patient.key == "patient#000"))
        assert first != last
    assert dump_lines(forward) == dump_lines(backward)
    assert dump_hash(forward) == dump_hash(backward)


def test_every_table_in_name_order_without_surrogate_ids(forward: Engine) -> None:
    lines = dump_lines(forward)
    found = headers(lines)
    assert list(found) == sorted(Base.metadata.tables)
    for table, columns in found.items():
        assert "id" not in columns, table
        assert all(rows_of(lines, table)), table  # the sample fills every table
    assert "patient_id:key" in found["appointment"]
    assert "practitioner_id:key" in found["appointment"]


def test_foreign_keys_are_shown_as_the_referenced_key(forward: Engine) -> None:
    lines = dump_lines(forward)
    columns = headers(lines)["appointment"]
    row = rows_of(lines, "appointment")[1]
    assert row[columns.index("patient_id:key")] == "patient#001"
    assert row[columns.index("practitioner_id:key")] == "practitioner#001"


def test_values_are_canonical(forward: Engine) -> None:
    lines = dump_lines(forward)
    columns = headers(lines)["invoice"]
    invoice = rows_of(lines, "invoice")[0]
    assert invoice[columns.index("total")] == "1234.56"  # Decimal as a string
    assert invoice[columns.index("created_at")] == "2024-02-29T13:45:12.123456"
    split = invoice[columns.index("split")]
    assert isinstance(split, dict)
    patient = rows_of(lines, "patient")[2]
    assert patient[headers(lines)["patient"].index("birth_date")] == "2024-03-02"
    line = next(line for line in lines if '"invoice#000"' in line)
    assert '{"a":{"y":1.5,"z":true},"b":[1,"é",null],"k0":0}' in line  # keys sorted, UTF-8


KEYS = ["b", "B", "a#10", "a#9", "é", "Z", "e", "E"]


def dumped_keys(url: str) -> list[object]:
    engine = make_engine(url)
    create_fresh(engine)
    with Session(engine) as session, session.begin():
        for i, key in enumerate(KEYS):
            session.add(
                Practitioner(
                    key=key, last_name="X", first_name="Y", specialty="MG", rpps=f"{i:011d}"
                )
            )
    lines = dump_lines(engine)
    engine.dispose()
    column = headers(lines)["practitioner"].index("key")
    return [row[column] for row in rows_of(lines, "practitioner")]


def test_rows_are_sorted_by_key_in_code_point_order(sqlite_url: str) -> None:
    assert dumped_keys(sqlite_url) == sorted(KEYS)


@pytest.mark.postgres
def test_a_french_collation_does_not_change_the_order(
    pg_server: PostgresServer, request: pytest.FixtureRequest
) -> None:
    """A classroom server may sort text the French way (é next to e); the dump does not."""
    request.node.user_properties.append((USER_PROPERTY, pg_server.version))
    name = pg_server.create_database(
        options="TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'fr-FR' LOCALE 'C'"
    )
    try:
        assert dumped_keys(pg_server.url(name)) == sorted(KEYS)
    finally:
        pg_server.drop_database(name)


@pytest.mark.parametrize(
    "change",
    [
        update(Patient).where(Patient.key == "patient#001").values(first_names="AUTRE"),
        update(Patient).where(Patient.key == "patient#001").values(birth_date=None),
        update(Invoice).where(Invoice.key == "invoice#000").values(paid=Decimal("0.01")),
        update(Invoice).where(Invoice.key == "invoice#000").values(split={"a": 1}),
        update(Appointment).where(Appointment.key == "appointment#000").values(patient_id=2),
    ],
    ids=["string", "null", "one-cent", "json", "foreign-key"],
)
def test_one_changed_value_changes_the_hash(forward: Engine, change: object) -> None:
    before = dump_hash(forward)
    with forward.begin() as conn:
        assert conn.execute(change).rowcount == 1  # type: ignore[attr-defined]
    assert dump_hash(forward) != before


def test_json_key_order_does_not_matter(forward: Engine) -> None:
    before = dump_hash(forward)
    with forward.begin() as conn:
        split = conn.scalar(select(Invoice.split).where(Invoice.key == "invoice#000"))
        assert isinstance(split, dict)
        reordered = dict(reversed(list(split.items())))
        assert list(reordered) != list(split)
        conn.execute(update(Invoice).where(Invoice.key == "invoice#000").values(split=reordered))
    assert dump_hash(forward) == before


def test_exclude_leaves_out_tables_and_columns(forward: Engine) -> None:
    lines = dump_lines(forward, exclude={"waitlist", "patient.created_at"})
    found = headers(lines)
    assert "waitlist" not in found
    assert "created_at" not in found["patient"]
    assert dump_hash(forward, exclude={"waitlist"}) != dump_hash(forward)


def test_write_dump_writes_the_lines_it_hashes(forward: Engine, tmp_path: Path) -> None:
    out = io.StringIO()
    digest = write_dump(forward, out)
    assert digest == dump_hash(forward)
    assert out.getvalue() == "".join(line + "\n" for line in iter_dump(forward))
    path = tmp_path / "dump.jsonl"
    assert write_dump(forward, path) == digest
    assert path.read_text(encoding="utf-8") == out.getvalue()


def test_a_connection_sees_its_own_uncommitted_rows(forward: Engine) -> None:
    before = dump_hash(forward)
    with forward.connect() as conn, conn.begin() as transaction:
        conn.execute(update(Patient).where(Patient.key == "patient#000").values(city="NICE"))
        assert dump_hash(conn) != before
        transaction.rollback()
    assert dump_hash(forward) == before


def test_a_foreign_key_to_a_table_without_key_is_refused() -> None:
    metadata = MetaData()
    Table("parent", metadata, Column("id", Integer, primary_key=True), Column("x", String(5)))
    Table(
        "child",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("parent_id", ForeignKey("parent.id")),
    )
    engine = make_engine("sqlite://")
    metadata.create_all(engine)
    with pytest.raises(DumpError, match=r"child\.parent_id"):
        dump_hash(engine, metadata=metadata)
    engine.dispose()


@pytest.mark.postgres
def test_sqlite_and_postgresql_dumps_are_equal(forward: Engine, pg_url: str) -> None:
    engine = build(pg_url, reverse=True)
    try:
        expected = dump_lines(forward)
        assert dump_lines(engine) == expected
        assert dump_hash(engine) == dump_hash(forward)
    finally:
        engine.dispose()
