"""Schema creation and migrations: the models and the Alembic revisions must agree."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from dbsample import populate
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.orm import Session

from simsec.db import schema
from simsec.db.dump import dump_lines
from simsec.db.engine import make_engine
from simsec.db.models import Base
from simsec.db.schema import (
    DatabaseMissing,
    DatabaseTooNew,
    DatabaseUnreachable,
    InvalidDatabaseUrl,
    MigrationFailed,
    NotASimsecDatabase,
    SchemaState,
    alembic_config,
    create_fresh,
    ensure_database,
    head_revision,
    open_engine,
    revisions,
    schema_status,
    upgrade,
)


def snapshot(conn: Connection) -> dict[str, Any]:
    """Everything the inspector sees of the schema, in a comparable form."""
    inspector = inspect(conn)
    tables: dict[str, Any] = {}
    for name in sorted(inspector.get_table_names()):
        columns = sorted(
            (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
            for c in inspector.get_columns(name)
        )
        pk = inspector.get_pk_constraint(name)
        tables[name] = {
            "columns": columns,
            "pk": (pk.get("name"), tuple(pk["constrained_columns"])),
            "fks": sorted(
                (
                    str(fk.get("name")),
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                )
                for fk in inspector.get_foreign_keys(name)
            ),
            "indexes": sorted(
                (str(ix["name"]), tuple(map(str, ix["column_names"])), bool(ix["unique"]))
                for ix in inspector.get_indexes(name)
            ),
            "uniques": sorted(
                (str(uq["name"]), tuple(uq["column_names"]))
                for uq in inspector.get_unique_constraints(name)
            ),
        }
    return tables


def model_diff(conn: Connection) -> list[Any]:
    """What ``alembic check`` would report: differences between the models and the base."""
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def test_the_revisions_form_one_line_ending_at_the_head() -> None:
    known = revisions()
    assert known[0] == "0001"
    assert known[-1] == head_revision()
    assert len(schema._scripts().get_heads()) == 1  # no branch left unmerged


def test_migrations_and_models_agree(backend_engine: Engine) -> None:
    """``alembic check``: a model change without its migration fails here."""
    upgrade(backend_engine)
    with backend_engine.connect() as conn:
        assert model_diff(conn) == []


def test_upgrade_step_by_step_equals_a_fresh_database(
    backend_url_pair: tuple[str, str], engine_factory: list[Engine]
) -> None:
    migrated, fresh = (make_engine(url) for url in backend_url_pair)
    engine_factory += [migrated, fresh]
    for revision in revisions():
        status = upgrade(migrated, revision)
        assert status.current == revision
    create_fresh(fresh)
    with migrated.connect() as a, fresh.connect() as b:
        assert snapshot(a) == snapshot(b)
        assert schema_status(a) == schema_status(b)
        assert schema_status(a).state is SchemaState.CURRENT
        assert set(snapshot(a)) == {*Base.metadata.tables, schema.VERSION_TABLE}


def test_downgrade_to_base_then_upgrade_again(backend_engine: Engine) -> None:
    upgrade(backend_engine)
    with backend_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    with backend_engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {schema.VERSION_TABLE}
        assert schema_status(conn).state is SchemaState.EMPTY
    assert upgrade(backend_engine).state is SchemaState.CURRENT


def test_create_fresh_refuses_a_database_that_has_tables(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with pytest.raises(ValueError, match="empty"):
        create_fresh(engine)
    engine.dispose()


def test_status_of_an_empty_database(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        status = schema_status(conn)
    assert (status.current, status.state) == (None, SchemaState.EMPTY)
    engine.dispose()


# --------------------------------------------------------------------------- ensure_database


def test_the_default_database_is_a_file_created_with_its_folders(tmp_path: Path) -> None:
    data_dir = tmp_path / "deep" / "data"
    engine = ensure_database(None, data_dir=data_dir)
    engine.dispose()
    assert (data_dir / "simsec.sqlite3").is_file()
    engine = ensure_database(None, data_dir=data_dir)  # second start: nothing to do
    with engine.connect() as conn:
        assert schema_status(conn).state is SchemaState.CURRENT
    engine.dispose()


def test_a_given_sqlite_path_gets_its_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "base.db"
    ensure_database(f"sqlite:///{path}").dispose()
    assert path.is_file()


def test_a_memory_database_is_shared_by_threads() -> None:
    engine = ensure_database("sqlite://")
    seen: list[int] = []

    def count() -> None:
        with engine.connect() as conn:
            seen.append(len(inspect(conn).get_table_names()))

    thread = threading.Thread(target=count)
    thread.start()
    thread.join(10)
    assert seen == [len(Base.metadata.tables) + 1]
    engine.dispose()


@pytest.mark.parametrize(
    "url",
    [
        "pas une url",
        "postgresql://user@host:pasunport/db",
        "nosuchdialect://user@host/db",
        "sqlite+nodriver:///base.db",
    ],
)
def test_a_malformed_url_is_a_french_usage_error(url: str) -> None:
    with pytest.raises(InvalidDatabaseUrl) as caught:
        ensure_database(url)
    assert "Adresse de base de données invalide" in caught.value.message
    assert "sqlite:///chemin/base.sqlite3" in caught.value.message  # how to write one
    assert caught.value.exit_code == 2


def test_a_driver_that_is_not_installed_is_named() -> None:
    with pytest.raises(InvalidDatabaseUrl, match="Pilote de base de données non installé"):
        ensure_database("postgresql+psycopg2://user@host/db")


def test_an_unreachable_server_is_a_french_error() -> None:
    # Port 1 on the loopback: nothing listens there, the refusal is immediate.
    with pytest.raises(DatabaseUnreachable) as caught:
        ensure_database("postgresql://simsec:secret@127.0.0.1:1/simsec")
    message = caught.value.message
    assert "Impossible d'ouvrir la base" in message
    assert "secret" not in message  # the password is masked
    assert caught.value.exit_code == 1


def test_a_database_from_a_newer_simsec_is_refused(sqlite_url: str) -> None:
    ensure_database(sqlite_url).dispose()
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseTooNew) as caught:
        ensure_database(sqlite_url)
    assert "version plus récente de simsec" in caught.value.message
    assert "9999_future" in caught.value.message
    engine = make_engine(sqlite_url)
    with pytest.raises(DatabaseTooNew):
        upgrade(engine)
    engine.dispose()


def test_simsec_tables_without_a_revision_are_refused(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    with pytest.raises(NotASimsecDatabase, match="aucune révision"):
        ensure_database(sqlite_url)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"ceci n'est pas une base SQLite, mais un texte assez long" * 50)
    with pytest.raises(NotASimsecDatabase, match="n'est pas une base SQLite"):
        ensure_database(f"sqlite:///{path}")


def test_reading_a_missing_file_does_not_create_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.sqlite3"
    with pytest.raises(DatabaseMissing, match="n'existe pas"):
        open_engine(f"sqlite:///{path}", create=False)
    assert not path.exists()


@pytest.mark.postgres
def test_two_processes_creating_the_same_postgresql_database_at_once(pg_url: str) -> None:
    """The advisory lock serialises the two upgrades: both succeed, one creates."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def start() -> None:
        try:
            barrier.wait(10)
            ensure_database(pg_url).dispose()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        assert schema_status(conn).state is SchemaState.CURRENT
        assert model_diff(conn) == []
    engine.dispose()


NEXT_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite rebuilds the table (copy, drop, rename), as most changes need there,
    # while other tables' rows point to its rows; PostgreSQL alters it in place
    sqlite = op.get_context().dialect.name == "sqlite"
    with op.batch_alter_table("patient", recreate="always" if sqlite else "auto") as batch:
        batch.add_column(sa.Column("nickname", sa.String(40), nullable=True))
        batch.create_index("ix_patient_nickname", ["nickname"])


def downgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.drop_index("ix_patient_nickname")
        batch.drop_column("nickname")
"""


def _next_revision(head: str) -> str:
    """The id a next revision would get (``0002`` after ``0001``)."""
    return f"{int(head) + 1:04d}"


@pytest.fixture
def next_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Pretend a newer simsec shipped the next revision (a new column); yield its id."""
    head = head_revision()
    newest = _next_revision(head)
    folder = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / f"{newest}_nickname.py").write_text(
        NEXT_REVISION.format(head=head, revision=newest)
    )
    schema._scripts.cache_clear()
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", folder)
    yield newest
    schema._scripts.cache_clear()


def test_a_database_of_the_previous_version_upgrades_keeping_its_data(
    backend_url: str, engine_factory: list[Engine], request: pytest.FixtureRequest
) -> None:
    engine = make_engine(backend_url)
    engine_factory.append(engine)
    previous = upgrade(engine).current
    with Session(engine) as session, session.begin():
        populate(session)
    before = dump_lines(engine)

    newest = request.getfixturevalue("next_version")
    with engine.connect() as conn:
        status = schema_status(conn)
    assert (status.current, status.head, status.state) == (previous, newest, SchemaState.BEHIND)

    ensure_database(backend_url).dispose()
    with engine.connect() as conn:
        assert schema_status(conn).current == newest
        columns = {c["name"] for c in inspect(conn).get_columns("patient")}
        assert "nickname" in columns
        indexes = {ix["name"] for ix in inspect(conn).get_indexes("patient")}
        assert "ix_patient_nickname" in indexes
    assert dump_lines(engine) == before  # every row survived (SQLite rebuilt the table)


def test_0003_moves_a_doctors_principal_out_of_the_relationship(backend_engine: Engine) -> None:
    """Before 0003 a designated doctor's ``on_behalf_of`` was kept in
    ``requester_relationship``; upgrading moves it to its own column, downgrading back."""
    upgrade(backend_engine, "0002")
    requests = [
        ("r1", "medecin", "ayant_droit"),
        ("r2", "medecin", "médecin traitant"),
        ("r3", "ayant_droit", "patient"),
        ("r4", "medecin", None),
    ]
    with backend_engine.begin() as conn:
        patient: dict[str, Any] = {}
        for column in inspect(conn).get_columns("patient"):
            if column["nullable"] or column["name"] == "id" or column.get("default"):
                continue
            kind = str(column["type"]).upper()
            patient[column["name"]] = (
                False if kind == "BOOLEAN" else "[]" if kind.startswith("JSON") else "p1"
            )
        names = ", ".join(patient)
        values = ", ".join(f":{name}" for name in patient)
        conn.execute(text(f"INSERT INTO patient ({names}) VALUES ({values})"), patient)
        patient_id = conn.execute(text("SELECT id FROM patient")).scalar_one()
        for key, kind, relationship in requests:
            conn.execute(
                text(
                    "INSERT INTO access_request (key, patient_id, requester_kind, requester_name,"
                    " requester_relationship, received_on, channel, items, delivery, status,"
                    " prepared_items) VALUES (:key, :patient, :kind, 'N', :relationship,"
                    " '2026-03-02', 'courrier', '[]', 'medecin', 'recue', '[]')"
                ),
                {"key": key, "patient": patient_id, "kind": kind, "relationship": relationship},
            )
    read = ("SELECT key, requester_relationship{extra} FROM access_request ORDER BY key").format
    assert upgrade(backend_engine).state is SchemaState.CURRENT
    with backend_engine.connect() as conn:
        rows = conn.execute(text(read(extra=", requester_on_behalf_of"))).all()
    assert [tuple(row) for row in rows] == [
        ("r1", None, "ayant_droit"),
        ("r2", "médecin traitant", None),
        ("r3", "patient", None),  # not a doctor: a relationship stays one
        ("r4", None, None),
    ]
    with backend_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0002")
    with backend_engine.connect() as conn:
        rows = conn.execute(text(read(extra=""))).all()
    assert [tuple(row) for row in rows] == [(key, rel) for key, _kind, rel in requests]


BROKEN_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("patient", sa.Column("nickname", sa.String(40), nullable=True))
    op.execute("UPDATE no_such_table SET x = 1")


def downgrade() -> None:
    pass
"""


def test_a_failing_migration_changes_nothing(
    backend_url: str,
    engine_factory: list[Engine],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = make_engine(backend_url)
    engine_factory.append(engine)
    upgrade(engine)
    head = head_revision()
    folder = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / f"{_next_revision(head)}_broken.py").write_text(
        BROKEN_REVISION.format(head=head, revision=_next_revision(head))
    )
    schema._scripts.cache_clear()
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", folder)
    try:
        with pytest.raises(MigrationFailed) as caught:
            ensure_database(backend_url)
        assert "La mise à jour du schéma de la base a échoué" in caught.value.message
        assert "no_such_table" in caught.value.message
        with engine.connect() as conn:
            assert schema_status(conn).current == head
            assert "nickname" not in {c["name"] for c in inspect(conn).get_columns("patient")}
    finally:
        schema._scripts.cache_clear()
