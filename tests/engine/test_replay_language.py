"""The database of a run never depends on the language of the session: a run played in
French replays identically when the assessor works in English (and the other way)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simsec.cli import main

SCENARIO = Path(__file__).parents[2] / "scenarios" / "accueil_premiere_consultation.yaml"


@pytest.mark.parametrize(("played", "scored"), [("fr", "en"), ("en", "fr")])
def test_a_log_replays_identically_in_the_other_language(
    tmp_path: Path, played: str, scored: str
) -> None:
    logs = tmp_path / "logs"
    assert main(["--lang", played, "scenario", "test", str(SCENARIO), "--logs", str(logs)]) == 0
    produced = sorted(logs.glob("*.jsonl"))
    assert produced, "scenario test wrote no log"
    for log in produced:
        assert main(["--lang", scored, "score", "--full", str(log)]) == 0, log.name
