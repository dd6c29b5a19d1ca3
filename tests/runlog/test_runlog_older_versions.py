"""Guarantee 4 of RUNLOG_FORMAT.md: a log written by an older simsec stays readable, and
re-scoring it does not call it tampered because a later version added result keys or
database columns.

The two logs in ``data/`` were written by simsec 0.1.0 (before ``urgent``, ``waitlist``
and ``waitlist_served`` in the agenda's results and the ``requester_on_behalf_of``
column) from the shipped scenarios, which have not changed since.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from simsec.cli import make_cli
from simsec.runlog.replay import agrees

DATA = Path(__file__).parent / "data"
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.mark.parametrize(
    ("log", "scenario", "percent"),
    [
        ("v0.1.0_planning_absence_praticien_reference.jsonl", "planning_absence_praticien", 100),
        ("v0.1.0_acces_dossier_ayant_droit_reference.jsonl", "acces_dossier_ayant_droit", 100),
    ],
)
def test_a_log_of_an_older_version_is_rescored_with_a_note(
    log: str, scenario: str, percent: int, tmp_path: Path
) -> None:
    args = ["score", str(DATA / log), "--scenario", str(SCENARIOS / f"{scenario}.yaml")]
    result = CliRunner().invoke(
        make_cli(), [*args, "--json"], env={"SIMSEC_DATA_DIR": str(tmp_path)}
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["findings"] == []
    assert data["replay"]["divergences"] == []  # added result keys are not divergences
    assert round(float(data["score"]["percent"])) == percent
    text = CliRunner().invoke(make_cli(), args, env={"SIMSEC_DATA_DIR": str(tmp_path)})
    assert text.exit_code == 0, text.output
    if data["replay"]["db_hash_matches"] is False:  # a column was added since 0.1.0
        assert "Journal écrit par simsec 0.1.0" in text.output


def test_a_tampered_old_log_is_still_refused(tmp_path: Path) -> None:
    """Leniency about versions never covers a changed byte."""
    source = DATA / "v0.1.0_planning_absence_praticien_reference.jsonl"
    lines = source.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace('"ok":true', '"ok":false', 1)
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = [
        "score",
        str(tampered),
        "--scenario",
        str(SCENARIOS / "planning_absence_praticien.yaml"),
    ]
    result = CliRunner().invoke(make_cli(), args, env={"SIMSEC_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 1, result.output


def test_agreement_is_about_what_the_log_said() -> None:
    logged = {"ok": True, "key": "rdv#1", "slots": [{"start": "09:00"}], "message": "Pris."}
    assert agrees(logged, {**logged, "urgent": False, "message": "Booked."})  # added, language
    assert agrees(logged, {**logged, "slots": [{"start": "09:00", "minutes": 20}]})
    assert not agrees(logged, {**logged, "key": "rdv#2"})  # a changed value
    assert not agrees(logged, {"ok": True, "slots": [{"start": "09:00"}]})  # a key gone
    assert not agrees(logged, {**logged, "slots": []})  # a list of another length
    error = {"ok": False, "error": {"code": "busy", "message": "Occupé."}}
    assert agrees(error, {"ok": False, "error": {"code": "busy", "message": "Busy."}})
    assert not agrees(error, {"ok": False, "error": {"code": "closed", "message": "Occupé."}})
