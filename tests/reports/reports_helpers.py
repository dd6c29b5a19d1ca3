"""Helpers of the report tests: deterministic solution logs, re-chained copies, goldens.

The logs are the shipped scenarios' reference solutions played headless by the engine
(``scenarios/*.yaml``; the engine tests' scenario when none is shipped), with a fixed
wall clock so that a golden never holds the time the tests ran. The header names the
scenario by its absolute path (so that any working directory finds it): the reports
show only the file's name.

Set ``SIMSEC_REGEN_GOLDEN=1`` to rewrite the golden files instead of comparing:
``SIMSEC_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/reports -q``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from simsec.runlog.reader import read_log
from simsec.runlog.records import RecordKind
from simsec.runlog.writer import RunLogWriter
from simsec.scenario.loader import load_scenario
from simsec.scenario.solutions import run_solution
from simsec.scenario.world_cache import WorldCache

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
REGEN_ENV = "SIMSEC_REGEN_GOLDEN"
ENGINE_SCENARIO = ROOT / "tests" / "engine" / "data" / "accueil.yaml"
ASSESSOR = "Mme Jury"
COMMENT = "Accueil courtois, reformule la demande."


def fixed_wall(start: datetime = datetime(2026, 3, 2, 7, 45, tzinfo=UTC)) -> Callable[[], datetime]:
    """A wall clock that never reads the real one: +250 ms at each reading."""
    state = {"now": start}

    def now() -> datetime:
        state["now"] += timedelta(milliseconds=250)
        return state["now"]

    return now


def scenario_files() -> list[Path]:
    """The shipped scenarios, or the engine tests' scenario when none is shipped."""
    shipped = sorted((ROOT / "scenarios").glob("*.yaml"))
    return shipped or [ENGINE_SCENARIO]


@dataclass(frozen=True)
class PlayedLog:
    scenario: str
    solution: str
    path: Path
    scenario_file: Path


def _grade_reference(path: Path, manual: Iterable[tuple[str, Any]]) -> None:
    """The assessor grades a reference run: full points on each manual criterion, and a
    general comment (``grade`` records appended after ``end``, as the replay viewer does)."""
    log = read_log(path)
    end = log.end
    assert end is not None
    clock = fixed_wall(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    with RunLogWriter.extend(path, wall_clock=clock, fsync=False) as writer:
        for criterion, points in manual:
            writer.grade(end.t, criterion, points, COMMENT, ASSESSOR)
        writer.grade(end.t, "", None, "Partie sérieuse ; rythme à améliorer.", ASSESSOR)


def play_solutions(files: Iterable[Path], directory: Path, cache: WorldCache) -> list[PlayedLog]:
    """Play every solution of every scenario into ``directory`` (one log each)."""
    played: list[PlayedLog] = []
    for file in files:
        loaded = load_scenario(file)
        assert loaded.scenario is not None, [str(e) for e in loaded.errors]
        scenario = loaded.scenario
        manual = [(c.id, c.points) for c in scenario.rubric if c.manual]
        for solution in scenario.solutions:
            result = run_solution(
                scenario,
                solution,
                sha256=loaded.sha256,
                path=str(file.resolve()),
                log_dir=directory,
                cache=cache,
                wall_clock=fixed_wall(),
            )
            assert result.ok, result.problems
            assert result.log_path is not None
            if solution.id == "reference":
                _grade_reference(result.log_path, manual)
            played.append(PlayedLog(scenario.id, solution.id, result.log_path, file))
    return played


def rewrite_log(
    source: Path,
    directory: Path,
    *,
    trainee: str | None = None,
    change: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Path:
    """A copy of ``source`` with every record re-chained by the run-log writer: the
    header's trainee replaced, each record's body passed through ``change``. The copy
    verifies: only a replay can tell a changed body from the run."""
    log = read_log(source)
    assert log.header is not None
    name = trainee or str(log.header.get("trainee"))
    writer = RunLogWriter.create(
        directory, scenario_id=str(log.header.get("scenario", {}).get("id")), trainee=name,
        wall_clock=fixed_wall(), fsync=False,
    )  # fmt: skip
    with writer:
        for record in log.records:
            body = dict(record.body)
            if record.kind == RecordKind.HEADER and trainee is not None:
                body["trainee"] = trainee
            if change is not None:
                body = change({"kind": record.kind, "seq": record.seq, **body})
                body.pop("kind", None)
                body.pop("seq", None)
            writer.append(record.kind, record.t, body)
    return writer.path


def alter_byte(path: Path, old: str, new: str) -> None:
    """Change the first ``old`` of the log's text into ``new`` (the chain breaks there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with ``golden/<name>``; rewrite it when ``SIMSEC_REGEN_GOLDEN=1``."""
    golden = GOLDEN / name
    if os.environ.get(REGEN_ENV) == "1":
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="")
        return
    assert golden.is_file(), (
        f"golden file {golden.name} is missing: run {REGEN_ENV}=1 pytest tests/reports"
    )
    expected = golden.read_text(encoding="utf-8")
    assert text == expected, (
        f"{golden.name} differs from the golden file (if the change is intended, run "
        f"{REGEN_ENV}=1 pytest tests/reports)"
    )


def no_machine_details(text: str) -> list[str]:
    """What must never be in a golden: absolute paths, the real day's wall clock."""
    problems = [marker for marker in (str(ROOT), "/tmp/", "/home/") if marker in text]
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    if today != "2026-03-02" and today in text:
        problems.append(today)
    return problems
