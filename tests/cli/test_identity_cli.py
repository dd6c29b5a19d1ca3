"""``simsec identity duplicates``: JSON pairs, text report, exit codes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from benchmarks import dupdata
from simsec.cli import identity as identity_cli
from simsec.db.schema import ensure_database


def run(*args: str) -> Result:
    group = click.Group(name="simsec")
    identity_cli.register(group)
    return CliRunner().invoke(group, ["identity", *args])


def _record(rid: str, birth_name: str, first_names: str, birth_date: date, place: str | None,
            nir: str | None = None) -> dupdata.Record:  # fmt: skip
    return dupdata.Record(rid, birth_name, first_names, None, birth_date, "F", place, nir,
                          None, None, 0)  # fmt: skip


D = date(1985, 4, 12)
RECORDS = [
    _record("P1", "DUPONT", "MARIE CLAIRE", D, "75056"),
    _record("P2", "DUPOND", "MARIE CLAIRE", date(1985, 12, 4), "75056"),  # doublon of P1
    _record("P3", "BERNARD", "LEA", D, "69123"),
    _record("P4", "BERNARD", "CHLOE", D, "69123"),  # twin of P3
    _record("P5", "DUPONT", "MARIE CLAIRE", D, "13055"),  # homonym of P1: other place
]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'simsec.sqlite3'}"
    engine = ensure_database(url)
    dupdata.insert_records(engine, RECORDS)
    engine.dispose()
    return url


def test_json_pairs(db_url: str) -> None:
    result = run("duplicates", "--db", db_url, "--json")
    assert result.exit_code == 0, result.output
    pairs = json.loads(result.stdout)
    assert [(p["a"], p["b"]) for p in pairs] == [("P1", "P2")]
    pair = pairs[0]
    assert set(pair) == {"a", "b", "score", "reasons"}
    assert 0.5 <= pair["score"] <= 1
    assert "birth_date:day_month_swapped" in pair["reasons"]
    assert "birth_name:typo" in pair["reasons"]


def test_a_lower_threshold_shows_more_and_orders_them(db_url: str) -> None:
    pairs = json.loads(run("duplicates", "--db", db_url, "--json", "--threshold", "0").stdout)
    scores = [p["score"] for p in pairs]
    assert scores == sorted(scores, reverse=True)
    assert len(pairs) > 1
    twins = next(p for p in pairs if {p["a"], p["b"]} == {"P3", "P4"})
    assert "twins:suspected" in twins["reasons"]


def test_text_report_in_french(db_url: str) -> None:
    result = run("duplicates", "--db", db_url)
    assert result.exit_code == 0
    assert "1 doublon(s) potentiel(s)" in result.stdout
    assert "P1  ↔  P2" in result.stdout
    assert "jour et mois inversés" in result.stdout


def test_nothing_above_the_threshold(db_url: str) -> None:
    result = run("duplicates", "--db", db_url, "--threshold", "1")
    assert result.exit_code == 0
    assert "Aucun doublon potentiel" in result.stdout


@pytest.mark.parametrize("value", ["1.5", "-0.1", "abc"])
def test_a_bad_threshold_is_a_usage_error(db_url: str, value: str) -> None:
    assert run("duplicates", "--db", db_url, "--threshold", value).exit_code == 2


def test_a_missing_database_is_a_french_error(tmp_path: Path) -> None:
    result = run("duplicates", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert result.exit_code == 1
    assert "n'existe pas" in result.stderr
