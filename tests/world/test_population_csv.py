"""Population files (PRODUCT.md §7): validation, all-or-nothing import, export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from simsec.db.engine import make_engine
from simsec.db.models import Patient
from simsec.db.schema import create_fresh
from simsec.services.search_keys import patient_search_columns
from simsec.world.population_csv import (
    COLUMNS,
    PopulationFileError,
    export_population,
    import_population,
    read_population,
)

HEADER = ",".join(COLUMNS)
GOOD = [
    "p1,DUPONT,MARIE CLAIRE,LEROY,1985-04-12,F,75056,,06 39 98 12 34,69003,LYON",
    "p2,LE GALL,JEAN-PIERRE,,1972-09-03,M,2A004,172092A00412341,,20000,AJACCIO",
    "p3,N'DIAYE,AWA,,2001-05-20,F,99341,,,,",
    "p4,MARTIN,CAMILLE,,1990-01-31,I,,,,,",
]


def _text(*rows: str, header: str = HEADER, newline: str = "\n") -> str:
    return newline.join([header, *rows]) + newline


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'pop.sqlite3'}")
    create_fresh(engine)
    return engine


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Patient)).scalar_one())


def _fix_nir(row: str) -> str:
    """GOOD[1] with a NIR whose key is right (computed by the rules)."""
    from datetime import date

    from simsec.rules.nir import make_nir

    return row.replace("172092A00412341", make_nir("M", date(1972, 9, 3), "2A004", 123))


def test_a_valid_file_is_imported_with_normalised_names_and_search_keys(engine: Engine) -> None:
    rows = [GOOD[0], _fix_nir(GOOD[1]), GOOD[2], GOOD[3]]
    data = _text("p9,dupönt,marie-thérèse anne,,1950-02-28,F,69123,,,,", *rows)
    result = import_population(engine, io.StringIO(data))
    assert result.ok and result.imported == 5
    with engine.connect() as conn:
        patient = conn.execute(select(Patient.__table__).where(Patient.key == "p9")).one()
    assert patient.birth_name == "DUPONT"
    assert patient.first_names == "MARIE-THERESE ANNE"
    assert patient.identity_status == "provisoire"
    expected = patient_search_columns("DUPONT", "MARIE-THERESE ANNE", None)
    assert {k: getattr(patient, k) for k in expected} == expected


def test_one_bad_row_imports_nothing_and_names_the_row(engine: Engine) -> None:
    data = _text(GOOD[0], "p2,DURAND,PAUL,,1985-13-40,M,75056,,,,", GOOD[2])
    result = import_population(engine, io.StringIO(data))
    assert result.imported == 0
    assert [str(error) for error in result.errors] == [
        "ligne 3 : date de naissance « 1985-13-40 » impossible"
    ]
    assert _count(engine) == 0


def test_skip_invalid_imports_the_valid_rows_and_lists_the_others(engine: Engine) -> None:
    data = _text(GOOD[0], "p2,DURAND,PAUL,,1985-01-01,X,75056,,,,", GOOD[2])
    result = import_population(engine, io.StringIO(data), skip_invalid=True)
    assert result.imported == 2
    assert [error.line for error in result.errors] == [3]
    assert "sexe « X » invalide" in result.errors[0].reason
    assert _count(engine) == 2


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("p1,,PAUL,,1985-01-01,M,,,,,", "nom de naissance (birth_name) vide"),
        ("p1,DURAND,,,1985-01-01,M,,,,,", "prénoms de naissance (first_names) vides"),
        ("p1,DURAND,PAUL,,01/01/1985,M,,,,,", "format AAAA-MM-JJ attendu"),
        ("p1,DURAND,PAUL,,1985-01-01,H,,,,,", "sexe « H » invalide"),
        ("p1,DURAND,PAUL,,1985-01-01,M,7505,,,,", "lieu de naissance « 7505 » invalide"),
        ("p1,DUR@ND,PAUL,,1985-01-01,M,,,,,", "@"),
        ("p1,DURAND,PAUL,,1985-01-01,M,,180017505600199,,,", "NIR : Clé de contrôle incorrecte"),
        (",DURAND,PAUL,,1985-01-01,M,,,,,", "identifiant (id) vide"),
        ("p1,DURAND,PAUL,,1985-01-01,M,,,,", "10 valeurs au lieu de 11"),
    ],
)
def test_each_rule_gives_a_french_reason(engine: Engine, row: str, reason: str) -> None:
    _rows, errors = read_population(io.StringIO(_text(row)))
    assert errors, row
    assert errors[0].line == 2
    assert any(reason in error.reason for error in errors), [e.reason for e in errors]


def test_nir_must_be_coherent_with_the_traits(engine: Engine) -> None:
    # 180017505600103: a man born in January 1980 in Paris (domain notes, nir.md)
    incoherent = "p1,DURAND,PAULE,,1980-01-15,F,75056,180017505600103,,,"
    _rows, errors = read_population(io.StringIO(_text(incoherent)))
    assert len(errors) == 1 and "NIR" in errors[0].reason
    coherent = "p1,DURAND,PAUL,,1980-01-15,M,75056,180017505600103,,,"
    rows, errors = read_population(io.StringIO(_text(coherent)))
    assert not errors and rows[0].nir == "180017505600103"


def test_duplicate_ids_are_reported_with_the_first_line(engine: Engine) -> None:
    data = _text(GOOD[0], GOOD[0].replace("DUPONT", "DURAND"))
    result = import_population(engine, io.StringIO(data))
    assert result.imported == 0
    assert str(result.errors[0]) == "ligne 3 : identifiant « p1 » en double (déjà ligne 2)"


def test_an_id_already_in_the_database_is_an_error(engine: Engine) -> None:
    assert import_population(engine, io.StringIO(_text(GOOD[0]))).imported == 1
    result = import_population(engine, io.StringIO(_text(GOOD[2], GOOD[0])))
    assert result.imported == 0
    assert str(result.errors[0]) == "ligne 3 : l'identifiant « p1 » existe déjà dans la base"


def test_import_then_export_round_trips_every_column(engine: Engine) -> None:
    rows = [GOOD[0], _fix_nir(GOOD[1]), GOOD[2], GOOD[3]]
    source = _text(*rows)
    assert import_population(engine, io.StringIO(source)).imported == 4
    out = io.StringIO()
    assert export_population(engine, out) == 4
    assert out.getvalue() == source


def test_bom_and_crlf_from_a_spreadsheet_are_accepted(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + _text(GOOD[0], GOOD[2], newline="\r\n").encode("utf-8"))
    result = import_population(engine, path)
    assert result.ok and result.imported == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide"),
        (b"\n\n", "Le fichier est vide"),
        (
            b"id,birth_name,first_names,birth_date,sex,birth_place,nir,phone,postcode,city\n",
            "colonnes manquantes : used_name",
        ),
        (HEADER.encode() + b",extra\n", "colonnes inconnues : extra"),
        (b"\xff\xfeid\n", "n'est pas en UTF-8"),
    ],
)
def test_bad_files_give_a_clear_error(
    engine: Engine, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(PopulationFileError, match=message):
        import_population(engine, path)
    assert _count(engine) == 0


def test_a_missing_file_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(PopulationFileError, match="Impossible de lire"):
        read_population(tmp_path / "absent.csv")


def test_blank_lines_are_ignored_and_line_numbers_stay_physical() -> None:
    rows, errors = read_population(io.StringIO(_text(GOOD[0], "", "p5,X,Y,,2020-02-30,F,,,,,")))
    assert len(rows) == 1
    assert [error.line for error in errors] == [4]


def test_a_generated_world_exports_to_a_file_that_imports_cleanly(tmp_path: Path) -> None:
    from datetime import date

    from simsec.world.generator import generate_world

    source = make_engine(f"sqlite:///{tmp_path / 'generated.sqlite3'}")
    generate_world(source, patients=1500, seed=21, history_days=5, start=date(2026, 3, 2))
    out = io.StringIO()
    assert export_population(source, out) == 1500
    rows, errors = read_population(io.StringIO(out.getvalue()))
    assert errors == []
    assert len(rows) == 1500
    assert sum(1 for row in rows if row.nir) > 1000
