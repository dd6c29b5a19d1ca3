"""``simsec db upgrade`` and ``simsec db info``."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from simsec.cli import db as db_cli
from simsec.db.engine import make_engine
from simsec.db.schema import head_revision


def run(*args: str) -> Result:
    @click.group()
    def root() -> None:
        pass

    db_cli.register(root)
    return CliRunner().invoke(root, list(args))


def test_upgrade_creates_then_finds_the_database_up_to_date(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'base.sqlite3'}"
    first = run("db", "upgrade", "--db", url)
    assert first.exit_code == 0, first.output
    assert f"créée (révision {head_revision()})" in first.output
    second = run("db", "upgrade", "--db", url)
    assert second.exit_code == 0, second.output
    assert "déjà à jour" in second.output


def test_upgrade_without_db_uses_the_data_directory(tmp_path: Path) -> None:
    # tests/conftest.py points SIMSEC_DATA_DIR to tmp_path / "data"
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "simsec.sqlite3").is_file()


def test_info_shows_the_revision_and_the_table_counts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'base.sqlite3'}"
    assert run("db", "upgrade", "--db", url).exit_code == 0
    result = run("db", "info", "--db", url)
    assert result.exit_code == 0, result.output
    assert f"Révision : {head_revision()}" in result.output
    assert "à jour" in result.output
    assert "  patient " in result.output
    data = json.loads(run("db", "info", "--db", url, "--json").output)
    assert data["state"] == "current" and data["revision"] == head_revision()
    assert data["counts"]["patient"] == 0
    assert data["backend"] == "sqlite"


def test_info_on_a_missing_file_fails_without_creating_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.sqlite3"
    result = run("db", "info", "--db", f"sqlite:///{path}")
    assert result.exit_code == 1
    assert "n'existe pas" in result.output
    assert "Traceback" not in result.output
    assert not path.exists()


def test_a_malformed_url_is_a_usage_error(tmp_path: Path) -> None:
    result = run("db", "upgrade", "--db", "n'importe quoi")
    assert result.exit_code == 2
    assert "Adresse de base de données invalide" in result.output
    assert "Traceback" not in result.output


def test_an_unreachable_server_is_reported_in_french() -> None:
    result = run("db", "info", "--db", "postgresql://simsec:motdepasse@127.0.0.1:1/simsec")
    assert result.exit_code == 1
    assert result.output.startswith("Erreur : Impossible d'ouvrir la base")
    assert "motdepasse" not in result.output


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'base.sqlite3'}"
    assert run("db", "upgrade", "--db", url).exit_code == 0
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00d_future'"))
    engine.dispose()
    result = run("db", "upgrade", "--db", url)
    assert result.exit_code == 1
    assert "version plus récente de simsec" in result.output
    info = run("db", "info", "--db", url)
    assert info.exit_code == 0
    assert "écrite par une version plus récente" in info.output


@pytest.mark.postgres
def test_upgrade_and_info_on_postgresql(pg_url: str) -> None:
    result = run("db", "upgrade", "--db", pg_url)
    assert result.exit_code == 0, result.output
    info = run("db", "info", "--db", pg_url)
    assert info.exit_code == 0, info.output
    assert "Moteur : PostgreSQL 1" in info.output
    assert f"Révision : {head_revision()}" in info.output
