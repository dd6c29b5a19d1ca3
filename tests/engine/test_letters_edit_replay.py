"""``edit_letter`` and ``discard_letter`` through the engine: scenario checks, the run
log, and a replay that rebuilds the live database."""

from __future__ import annotations

import json
from pathlib import Path

from engine_helpers import load_variant

from simsec.runlog.replay import replay_log
from simsec.scenario.solutions import run_solutions
from simsec.scenario.world_cache import WorldCache

_LETTERS = """
rubric:
  - id: convocation_corrigee
    label: "La convocation est corrigée avant d'être envoyée"
    competency: SAMA.1.2
    points: 2
    check:
      all:
        - before:
            first: {do: edit_letter, with: {fields: {rdv_heure: "9 h 15"}}}
            then: {do: send_letter}
        - state:
            entity: letter
            where: {template: convocation, sent: true}
            has: {fields: {rdv_heure: "9 h 15"}, to: "Mme L"}
            count: 1
  - id: brouillon_abandonne
    label: "Le brouillon en double est abandonné, pas envoyé"
    competency: SAMA.1.2
    points: 1
    check:
      all:
        - action: {do: discard_letter}
        - state: {entity: letter, where: {template: convocation, sent: false}, count: 1}
  - id: convocation_envoyee
    label: "La convocation est envoyée"
    competency: SAMA.1.2
    points: 1
    check:
      state: {entity: letter, where: {template: convocation, sent: true}, count: 1}

solutions:
  - id: reference
    expect: {score: 100}
    actions:
      - {do: write_letter, with: {template: convocation, to: X, patient: p_dupont}, as: convoc}
      - {do: edit_letter, with: {letter: convoc, fields: {rdv_heure: "9 h 15"}, to: "Mme L"}}
      - {do: write_letter, with: {template: convocation, to: X, patient: p_dupont}, as: doublon}
      - {do: discard_letter, with: {letter: doublon}}
      - {do: send_letter, with: {letter: doublon}, expect_error: true}
      - {do: edit_letter, with: {letter: doublon, to: "M. X"}, expect_error: true}
      - {do: edit_letter, with: {letter: convoc, fields: {body: " "}}, expect_error: true}
      - {do: send_letter, with: {letter: convoc}}
      - {do: edit_letter, with: {letter: convoc, to: "M. X"}, expect_error: true}
      - {do: discard_letter, with: {letter: convoc}, expect_error: true}
  - id: sans_correction
    expect: {failed: [convocation_corrigee, brouillon_abandonne], passed: [convocation_envoyee]}
    actions:
      - {do: write_letter, with: {template: convocation, to: X, patient: p_dupont}, as: convoc}
      - {do: write_letter, with: {template: convocation, to: X, patient: p_dupont}, as: doublon}
      - {do: send_letter, with: {letter: convoc}}
      - {do: edit_letter, with: {letter: convoc, fields: {rdv_heure: "9 h"}}, expect_error: true}
"""


def test_letters_edited_and_discarded_are_scored_logged_and_replayed(
    scenario_text: str, cache: WorldCache, tmp_path: Path
) -> None:
    text = scenario_text.split("\nrubric:\n")[0] + "\n" + _LETTERS
    scenario_file = tmp_path / "courriers.yaml"
    scenario_file.write_text(text, encoding="utf-8")
    loaded = load_variant(text.encode("utf-8"), str(scenario_file))
    assert loaded.scenario is not None
    results = run_solutions(
        loaded.scenario,
        sha256=loaded.sha256,
        path=str(scenario_file),
        log_dir=tmp_path / "logs",
        cache=cache,
    )
    assert [r.problems for r in results] == [[], []]
    reference = results[0]
    assert reference.log_path is not None and reference.report is not None
    assert reference.report.percent == 100
    records = [
        json.loads(line)
        for line in reference.log_path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    logged = [(r["do"], r["result"]["ok"]) for r in records if r.get("kind") == "action"]
    assert logged == [
        ("write_letter", True),
        ("edit_letter", True),
        ("write_letter", True),
        ("discard_letter", True),
        ("send_letter", False),
        ("edit_letter", False),
        ("edit_letter", False),
        ("send_letter", True),
        ("edit_letter", False),
        ("discard_letter", False),
    ]
    edit = next(r for r in records if r.get("do") == "edit_letter")
    assert edit["with"] == {
        "letter": "letter#1",
        "fields": {"rdv_heure": "9 h 15"},
        "to": "Mme L",
    }
    assert edit["result"]["changed"] == ["to", "body", "rdv_heure"]
    refusals = [
        r["result"]["error"]["code"]
        for r in records
        if r.get("kind") == "action" and not r["result"]["ok"]
    ]
    assert refusals == [
        "letter_discarded",
        "letter_discarded",
        "empty_text",
        "letter_sent_not_editable",
        "letter_sent_not_editable",
    ]
    for result in results:
        assert result.log_path is not None
        replayed = replay_log(result.log_path, cache=cache, full_hash=True)
        assert replayed.ok, replayed.findings
        assert replayed.db_hash == result.db_hash and replayed.hash_matches is True
        assert replayed.state_hash == replayed.logged_state
        assert replayed.divergences == []
