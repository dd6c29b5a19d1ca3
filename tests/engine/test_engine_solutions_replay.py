"""Reference solutions, replay to the same database, tampering, killed runs, re-scoring."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from engine_helpers import SCENARIO_FILE, load_variant, variant

from simsec.runlog.replay import replay_log, score_logs
from simsec.runlog.verify import verify_log
from simsec.scenario.loader import LoadResult
from simsec.scenario.run import Run
from simsec.scenario.solutions import run_solution, run_solutions
from simsec.scenario.world_cache import WorldCache

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- solutions


def test_the_test_scenario_solutions_pass(loaded: LoadResult, cache: WorldCache) -> None:
    assert loaded.scenario is not None
    results = run_solutions(loaded.scenario, sha256=loaded.sha256, cache=cache)
    assert [(r.solution, r.problems) for r in results] == [
        ("reference", []),
        ("creation_en_doublon", []),
    ]
    reference = results[0].report
    assert reference is not None and reference.percent == 100


def test_expect_error_mismatches_name_the_action(scenario_text: str, cache: WorldCache) -> None:
    bad = load_variant(
        variant(
            scenario_text,
            ("start: 2026-03-02T09:00}, expect_error: true}", "start: 2026-03-02T09:00}}"),
            (
                "{do: call_insi, with: {patient: p_dupont, mode: traits}, expect_error: any}",
                "{do: call_insi, with: {patient: p_dupont, mode: traits}, expect_error: true}",
            ),
        )
    )
    assert bad.scenario is not None
    reference, doublon = bad.scenario.solutions
    first = run_solution(bad.scenario, reference, cache=cache)
    assert not first.ok
    assert first.problems[0].startswith(
        "action n° 6 (call_insi) : attendue refusée, obtenue acceptée"
    )
    second = run_solution(bad.scenario, doublon, cache=cache)
    assert len(second.problems) == 1
    assert second.problems[0].startswith(
        "action n° 4 (book_appointment) : attendue acceptée, obtenue refusée (practitioner_busy"
    )


def test_expect_mismatches_name_the_criterion(scenario_text: str, cache: WorldCache) -> None:
    bad = load_variant(
        variant(
            scenario_text,
            (
                "expect: {score: 100, passed:",
                "expect: {score: 90, points: 3, failed: [confidentialite], passed:",
            ),
            (
                "pas_de_doublon, piece_identite], passed: [accueil_rapide]}",
                "pas_de_doublon], passed: [accueil_rapide, piece_identite]}",
            ),
        )
    )
    assert bad.scenario is not None
    reference, doublon = bad.scenario.solutions
    problems = run_solution(bad.scenario, reference, cache=cache).problems
    assert problems[0] == "score attendu 90 %, obtenu 100 % (10/10 points)"
    assert problems[1] == "points attendus 3, obtenus 10"
    assert problems[2].startswith("le critère « confidentialite » devait échouer et réussit")
    problems = run_solution(bad.scenario, doublon, cache=cache).problems
    assert problems == [
        "le critère « piece_identite » devait réussir et échoue : 0 action(s) « request_document » "
        "correspondante(s) (attendu : au moins 1). ; 0 action(s) « check_identity_document » "
        "correspondante(s) (attendu : au moins 1)."
    ]


# ---------------------------------------------------------------- CLI: scenario test, score


@pytest.fixture(scope="module")
def solution_logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each solution of the test scenario played once, its log kept."""
    from simsec.i18n import activate

    activate("fr")
    directory = tmp_path_factory.mktemp("logs")
    from simsec.scenario.loader import load_scenario

    loaded = load_scenario(SCENARIO_FILE)
    assert loaded.scenario is not None
    results = run_solutions(
        loaded.scenario, sha256=loaded.sha256, path=str(SCENARIO_FILE), log_dir=directory
    )
    assert all(r.ok for r in results)
    return {r.solution: r.log_path for r in results if r.log_path is not None} | {
        f"{r.solution}:hash": Path(r.db_hash or "") for r in results
    }


def test_scenario_test_command(cli: click.Group, tmp_path: Path, scenario_text: str) -> None:
    runner = CliRunner()
    done = runner.invoke(
        cli, ["scenario", "test", str(SCENARIO_FILE), "--logs", str(tmp_path / "logs")]
    )
    assert done.exit_code == 0, done.output
    assert "✓ solution « reference » : 100 %" in done.output
    assert sorted(p.name for p in (tmp_path / "logs").iterdir()) == [
        "test_accueil_creation_en_doublon.jsonl",
        "test_accueil_reference.jsonl",
    ]
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(variant(scenario_text, ("expect: {score: 100,", "expect: {score: 50,")))
    failed = runner.invoke(cli, ["scenario", "test", str(bad)])
    assert failed.exit_code == 1
    assert "✗ solution « reference » : 100 %" in failed.output
    assert "score attendu 50 %, obtenu 100 %" in failed.output
    missing = runner.invoke(cli, ["scenario", "test", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text("format: simsec/scenario@1\nid: x\n", encoding="utf-8")
    assert runner.invoke(cli, ["scenario", "test", str(invalid)]).exit_code == 1


def test_replaying_each_solution_log_gives_the_live_database(
    solution_logs: dict[str, Path],
) -> None:
    for solution in ("reference", "creation_en_doublon"):
        quick = replay_log(solution_logs[solution])
        assert quick.ok, quick.findings
        assert quick.state_hash is not None and quick.state_hash == quick.logged_state
        assert quick.hash_matches is True and quick.db_hash is None
        full = replay_log(solution_logs[solution], full_hash=True)
        assert full.db_hash == str(solution_logs[f"{solution}:hash"])
        assert full.hash_matches is True
        assert full.divergences == []


def test_a_replay_that_rebuilds_another_state_is_a_finding(
    solution_logs: dict[str, Path], cache: WorldCache
) -> None:
    from simsec.runlog.replay import replay_records
    from simsec.runlog.verify import verify_log as verify
    from simsec.scenario.loader import load_scenario

    loaded = load_scenario(SCENARIO_FILE)
    assert loaded.scenario is not None
    records = verify(solution_logs["reference"]).records
    honest, _facts, _d = replay_records(loaded.scenario, records, cache=cache, sha256=loaded.sha256)
    without_arrival = [r for r in records if r.get("do") != "mark_arrived"]
    other, _facts, _d = replay_records(
        loaded.scenario, without_arrival, cache=cache, sha256=loaded.sha256
    )
    assert honest.final_state != other.final_state
    assert (
        honest.final_state
        == replay_records(loaded.scenario, records, cache=cache, sha256=loaded.sha256)[
            0
        ].final_state
    )


def test_score_prints_the_rubric_and_json(cli: click.Group, solution_logs: dict[str, Path]) -> None:
    runner = CliRunner()
    text = runner.invoke(cli, ["score", str(solution_logs["creation_en_doublon"])])
    assert text.exit_code == 0, text.output
    assert "Score : 4/10 points (40 %)" in text.output
    assert "✗ pas_de_doublon [SAMA.1.3] 0/2" in text.output
    done = runner.invoke(cli, ["score", str(solution_logs["reference"]), "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["scenario"] == "test_accueil"
    assert data["score"] == {"points": 10, "max": 10, "percent": 100}
    assert data["log"]["chain_ok"] is True and data["log"]["records"] > 10
    criteria = {c["id"]: c for c in data["criteria"]}
    assert criteria["posture"]["passed"] is None
    assert criteria["accueil_rapide"]["evidence"][0]["seq"] == 1
    assert set(criteria["accueil_rapide"]) >= {
        "id",
        "passed",
        "points",
        "max",
        "competency",
        "evidence",
    }
    assert data["by_competency"]["SAMA.1.3"] == {"points": 6, "max": 6}


def _tampered(lines: list[bytes], how: str) -> list[bytes]:
    out = list(lines)
    if how == "byte":
        out[5] = out[5].replace(b'"t":"2026', b'"t":"2027', 1)
    elif how == "removed":
        del out[5]
    else:
        out[5], out[6] = out[6], out[5]
    return out


@pytest.mark.parametrize("how", ["byte", "removed", "swapped"])
def test_tampering_is_reported_with_the_first_bad_seq(
    cli: click.Group, solution_logs: dict[str, Path], tmp_path: Path, how: str
) -> None:
    lines = solution_logs["reference"].read_bytes().splitlines(keepends=True)
    target = tmp_path / "tampered.jsonl"
    target.write_bytes(b"".join(_tampered(lines, how)))
    runner = CliRunner()
    text = runner.invoke(cli, ["score", str(target)])
    assert text.exit_code == 1
    assert "seq 5" in text.output
    data = json.loads(runner.invoke(cli, ["score", str(target), "--json"]).output)
    assert data["log"]["chain_ok"] is False and data["log"]["first_bad_seq"] == 5


def test_any_single_changed_byte_is_caught(solution_logs: dict[str, Path], tmp_path: Path) -> None:
    data = solution_logs["reference"].read_bytes()
    target = tmp_path / "one.jsonl"
    offsets = [*range(0, len(data), max(1, len(data) // 97)), len(data) - 2, len(data) - 1]
    for offset in offsets:
        for delta in (1, 0x20):
            changed = bytearray(data)
            changed[offset] = (changed[offset] + delta) % 256
            target.write_bytes(bytes(changed))
            assert not verify_log(target).ok, (offset, delta)


def test_a_run_replays_the_same_with_a_changed_scenario_said(
    cli: click.Group, tmp_path: Path, scenario_text: str, cache: WorldCache
) -> None:
    copy = tmp_path / "accueil.yaml"
    copy.write_text(scenario_text, encoding="utf-8")
    from simsec.scenario.loader import load_scenario

    loaded = load_scenario(copy)
    assert loaded.scenario is not None
    result = run_solution(
        loaded.scenario,
        loaded.scenario.solutions[0],
        sha256=loaded.sha256,
        path=str(copy),
        log_dir=tmp_path,
        cache=cache,
    )
    assert result.log_path is not None
    copy.write_bytes(
        variant(
            scenario_text, ("    check: {no_conflicts: true}", "    check: {no_action: {do: say}}")
        )
    )
    replayed = replay_log(result.log_path, cache=cache)
    assert replayed.scenario_changed and replayed.report is not None
    assert replayed.report.percent == 90
    assert replayed.ok
    runner = CliRunner()
    done = runner.invoke(cli, ["score", str(result.log_path)])
    assert done.exit_code == 0, done.output
    assert "le scénario a changé depuis la partie" in done.output
    assert "Score : 9/10 points (90 %)" in done.output


def test_score_without_the_scenario_file_is_a_finding(
    cli: click.Group, tmp_path: Path, scenario_text: str, cache: WorldCache
) -> None:
    copy = tmp_path / "elsewhere" / "accueil_copie.yaml"
    copy.parent.mkdir()
    copy.write_text(scenario_text, encoding="utf-8")
    from simsec.scenario.loader import load_scenario

    loaded = load_scenario(copy)
    assert loaded.scenario is not None
    result = run_solution(
        loaded.scenario,
        loaded.scenario.solutions[1],
        sha256=loaded.sha256,
        path=str(copy),
        log_dir=tmp_path / "logs",
        cache=cache,
    )
    assert result.log_path is not None
    copy.unlink()
    runner = CliRunner()
    lost = runner.invoke(cli, ["score", str(result.log_path)])
    assert lost.exit_code == 1
    assert "Scénario introuvable" in lost.output
    assert runner.invoke(cli, ["score", str(tmp_path / "absent.jsonl")]).exit_code == 2
    found = runner.invoke(cli, ["score", str(result.log_path), "--scenario", str(SCENARIO_FILE)])
    assert found.exit_code == 0, found.output
    assert "Score : 4/10 points (40 %)" in found.output


def test_score_logs_in_worker_processes(solution_logs: dict[str, Path]) -> None:
    paths = [solution_logs["reference"], solution_logs["creation_en_doublon"]] * 2
    results = score_logs(paths, processes=2)
    assert [r["score"]["percent"] for r in results] == [100, 40, 100, 40]
    assert all(r["ok"] for r in results)


# ---------------------------------------------------------------- killed runs

KILLED_RUN = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from simsec.i18n import activate
    from simsec.scenario.loader import load_scenario
    from simsec.scenario.run import Run

    activate("fr")
    loaded = load_scenario(sys.argv[1])
    run = Run.start(loaded.scenario, sha256=loaded.sha256, path=sys.argv[1],
                    log_path=Path(sys.argv[2]), trainee="killed")
    run.perform({"do": "attend", "with": {"person": "v_dupont"}})
    run.perform({"do": "mark_arrived", "with": {"appointment": "rdv1"}})
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        run.perform({"do": "say", "with": {"person": "v_dupont", "text": "x" * 3000 + str(i)}})
    """
)


def test_a_run_killed_with_sigkill_verifies_and_replays(cli: click.Group, tmp_path: Path) -> None:
    log = tmp_path / "killed.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN, str(SCENARIO_FILE), str(log)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 30
        while log.stat().st_size < 150_000 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    report = verify_log(log)
    assert report.ok, report.problem and report.problem.message
    assert not report.complete
    assert report.last_seq is not None and report.last_seq > 10
    result = replay_log(log)
    assert result.ok, result.findings
    assert result.report is not None
    arrivee = result.report.criterion("arrivee_notee")
    assert arrivee is not None and arrivee.passed is True
    copy = tmp_path / "cut.jsonl"
    shutil.copy(log, copy)
    done = CliRunner().invoke(cli, ["score", str(copy), "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["log"]["complete"] is False
    assert data["log"]["records"] == report.last_seq + 1


def test_the_actions_a_replay_recalls_write_nothing(start_run: Callable[..., Run]) -> None:
    from simsec.runlog.replay import READ_ONLY

    run = start_run()
    before = run.state_hash()
    samples = {
        "ask": {"person": "v_dupont", "question": "birth_name"},
        "say": {"person": "v_dupont", "text": "Bonjour"},
        "request_document": {"person": "v_dupont", "kind": "cni"},
        "search_patients": {"birth_name": "DUPONT"},
        "find_slots": {"type": "C", "practitioner": "dr_martin"},
    }
    assert set(samples) == READ_ONLY
    for do, fields in samples.items():
        assert run.perform({"do": do, "with": fields}).ok, do
    assert run.state_hash() == before
    run.perform({"do": "attend", "with": {"person": "v_dupont"}})
    assert run.state_hash() != before


def test_checking_the_reads_too_finds_the_same_state(solution_logs: dict[str, Path]) -> None:
    from simsec.runlog.replay import replay_records
    from simsec.scenario.loader import load_scenario

    loaded = load_scenario(SCENARIO_FILE)
    assert loaded.scenario is not None
    records = verify_log(solution_logs["reference"]).records
    quick = replay_records(loaded.scenario, records, sha256=loaded.sha256)
    thorough = replay_records(loaded.scenario, records, sha256=loaded.sha256, check_reads=True)
    assert quick[0].final_state == thorough[0].final_state
    assert thorough[2] == []
    assert quick[1].actions == thorough[1].actions


def test_an_assessor_grade_appended_to_the_log_is_scored(
    cli: click.Group, solution_logs: dict[str, Path], tmp_path: Path
) -> None:
    from datetime import datetime

    from engine_helpers import fake_wall

    from simsec.runlog.writer import RunLogWriter

    graded = tmp_path / "graded.jsonl"
    shutil.copy(solution_logs["reference"], graded)
    with RunLogWriter.extend(graded, wall_clock=fake_wall(), fsync=False) as log:
        log.grade(datetime(2026, 3, 2, 9, 30), "posture", "0.5", "Posture correcte.", "jury")
    done = CliRunner().invoke(cli, ["score", str(graded), "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    posture = next(c for c in data["criteria"] if c["id"] == "posture")
    assert posture["passed"] is None and posture["points"] == 0.5
    assert posture["grade"]["assessor"] == "jury"
    assert data["manual"] == {"points": 0.5, "max": 1, "graded": 1}
    assert data["score"]["percent"] == 100
