"""``simsec patients search``: output, JSON form, exit codes, French errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from benchmarks import dupdata
from simsec.cli import patients as patients_cli
from simsec.db.schema import ensure_database


def run(*args: str) -> Result:
    group = click.Group(name="simsec")
    patients_cli.register(group)
    return CliRunner().invoke(group, ["patients", *args])


RECORDS = [
    dupdata.Record("dupont", "DUPONT", "MARIE CLAIRE", "MARTIN", date(1985, 4, 12), "F",
                   "75056", None, None, None, 0),
    dupdata.Record("patient#2", "ROBERT", "PAUL", None, date(1985, 4, 12), "M", "13055",
                   None, None, None, 0),
]  # fmt: skip


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A simsec database (migrated schema) holding :data:`RECORDS`."""
    url = f"sqlite:///{tmp_path / 'simsec.sqlite3'}"
    engine = ensure_database(url)
    dupdata.insert_records(engine, RECORDS)
    engine.dispose()
    return url


def test_json_gives_the_patient_key_score_and_matched_traits(db_url: str) -> None:
    result = run("search", "--birth-name", "dupond", "--birth-date", "12/04/1985",
                 "--db", db_url, "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert [h["id"] for h in hits] == ["dupont"]
    assert 0 < hits[0]["score"] <= 1
    assert {"trait": "birth_name", "kind": "typo"} in hits[0]["matched"]


def test_free_text(db_url: str) -> None:
    result = run("search", "--text", "martin marie 1985-04-12", "--db", db_url, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["id"] == "dupont"


def test_text_output_in_french(db_url: str) -> None:
    result = run("search", "--birth-name", "DUP", "--first-name", "Marie",
                 "--birth-date", "1985-12-04", "--db", db_url)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1. dupont" in result.stdout
    assert "jour et mois inversés" in result.stdout
    assert "premières lettres" in result.stdout


def test_generated_keys_are_the_ids(db_url: str) -> None:
    result = run("search", "--text", "robert paul 12/04/1985", "--db", db_url, "--json")
    assert json.loads(result.stdout)[0]["id"] == "patient#2"


def test_no_result_is_not_an_error(db_url: str) -> None:
    result = run("search", "--birth-name", "ZZZZZZ", "--db", db_url)
    assert result.exit_code == 0
    assert "Aucun patient" in result.stdout
    assert (
        json.loads(run("search", "--birth-name", "ZZZZZZ", "--db", db_url, "--json").stdout) == []
    )


def test_no_criterion_is_a_usage_error(db_url: str) -> None:
    result = run("search", "--db", db_url)
    assert result.exit_code == 2
    assert "au moins un critère" in result.stderr


def test_an_unreadable_date_is_a_usage_error(db_url: str) -> None:
    result = run("search", "--birth-date", "31/02/1985", "--db", db_url)
    assert result.exit_code == 2
    assert "date de naissance invalide" in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_limit_is_a_usage_error(db_url: str) -> None:
    assert run("search", "--birth-name", "X", "--limit", "0", "--db", db_url).exit_code == 2


def test_a_missing_database_is_a_french_error(tmp_path: Path) -> None:
    result = run("search", "--birth-name", "X", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert result.exit_code == 1
    assert "n'existe pas" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_a_database_without_patients_is_a_french_error(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    result = run("search", "--birth-name", "X", "--db", f"sqlite:///{path}")
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur")
    assert "Traceback" not in result.output
