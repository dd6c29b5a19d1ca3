"""``simsec world generate|import|export``: exit codes and French messages, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import simsec.cli as cli
from simsec.cli import world as world_cli
from simsec.world.population_csv import COLUMNS

HEADER = ",".join(COLUMNS)
ROW_1 = "p1,Dupont,Marie Claire,Leroy,1985-04-12,F,75056,,,69003,LYON"
ROW_2 = "p2,Durand,Paul,,1972-09-03,M,13055,,,,"


@pytest.fixture(autouse=True)
def _with_world_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    if world_cli not in cli.COMMAND_MODULES:
        monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, world_cli))


def _db(tmp_path: Path, name: str = "w.sqlite3") -> str:
    return f"sqlite:///{tmp_path / name}"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_generate_builds_a_world_and_writes_the_truth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    truth = tmp_path / "truth.json"
    code, out, _err = _run(
        capsys,
        "world", "generate", "--patients", "200", "--seed", "4", "--history-days", "20",
        "--quiet", "--truth", str(truth), "--db", _db(tmp_path),
    )  # fmt: skip
    assert code == 0
    assert "Monde généré (graine 4, au 2026-03-02) : 200 patients" in out
    planted = json.loads(truth.read_text(encoding="utf-8"))
    assert planted["seed"] == 4 and planted["counts"]["patient"] == 200


def test_generate_twice_in_the_same_database_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["world", "generate", "--patients", "30", "--history-days", "5", "--db", _db(tmp_path)]
    assert _run(capsys, *args, "--quiet")[0] == 0
    code, _out, err = _run(capsys, *args, "--quiet")
    assert code == 1
    assert "contient déjà des données" in err


def test_generate_shows_a_progress_bar_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _run(
        capsys, "world", "generate", "--patients", "40", "--history-days", "5",
        "--db", _db(tmp_path),
    )  # fmt: skip
    assert code == 0
    assert "Patients" in err and "Rendez-vous" in err


def test_generate_bad_usage_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, _err = _run(capsys, "world", "generate", "--patients", "-5", "--db", _db(tmp_path))
    assert code == 2
    code, _out, _err = _run(capsys, "world", "generate", "--start", "02/03/2026")
    assert code == 2


def test_import_valid_file_then_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "pop.csv"
    source.write_text(f"{HEADER}\n{ROW_1}\n{ROW_2}\n", encoding="utf-8")
    code, out, _err = _run(
        capsys, "world", "import", "--patients", str(source), "--db", _db(tmp_path)
    )
    assert code == 0 and "2 patients importés." in out
    target = tmp_path / "out.csv"
    code, out, _err = _run(
        capsys, "world", "export", "--patients", str(target), "--db", _db(tmp_path)
    )
    assert code == 0 and "2 patients exportés" in out
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    assert lines[1] == "p1,DUPONT,MARIE CLAIRE,LEROY,1985-04-12,F,75056,,,69003,LYON"
    code, out, _err = _run(capsys, "world", "export", "--db", _db(tmp_path))
    assert code == 0 and out.splitlines() == lines


def test_import_with_a_bad_row_is_a_finding_and_imports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "pop.csv"
    source.write_text(f"{HEADER}\n{ROW_1}\np2,Durand,Paul,,1972-09-03,Z,,,,,\n", encoding="utf-8")
    code, _out, err = _run(
        capsys, "world", "import", "--patients", str(source), "--db", _db(tmp_path)
    )
    assert code == 1
    assert "ligne 3 : sexe « Z » invalide" in err
    assert "aucun patient importé : 1 ligne invalide." in err
    code, out, _err = _run(capsys, "world", "export", "--db", _db(tmp_path))
    assert code == 0 and out.strip() == HEADER
    code, out, err = _run(
        capsys, "world", "import", "--patients", str(source), "--skip-invalid",
        "--db", _db(tmp_path),
    )  # fmt: skip
    assert code == 0
    assert "1 patient importé. 1 ligne ignorée." in out
    assert "ligne 3 :" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide"),
        (b"id,birth_name\np1,X\n", "colonnes manquantes"),
    ],
)
def test_import_bad_files_are_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    source = tmp_path / "bad.csv"
    source.write_bytes(content)
    code, _out, err = _run(
        capsys, "world", "import", "--patients", str(source), "--db", _db(tmp_path)
    )
    assert code == 1
    assert message in err


def test_import_accepts_bom_and_crlf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "excel.csv"
    source.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\r\n{ROW_1}\r\n".encode())
    code, out, _err = _run(
        capsys, "world", "import", "--patients", str(source), "--db", _db(tmp_path)
    )
    assert code == 0 and "1 patient importé." in out


def test_import_missing_file_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _run(
        capsys, "world", "import", "--patients", str(tmp_path / "absent.csv"), "--db", _db(tmp_path)
    )
    assert code == 1
    assert "impossible de lire" in err


def test_export_from_a_missing_database_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _run(capsys, "world", "export", "--db", _db(tmp_path, "absent.sqlite3"))
    assert code == 1
    assert "n'existe pas" in err
    assert not (tmp_path / "absent.sqlite3").exists()
