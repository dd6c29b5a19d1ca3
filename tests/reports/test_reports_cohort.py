"""``simsec cohort``: rows, aggregates, flagged logs, CSV columns, exit codes."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from reports_helpers import ENGINE_SCENARIO, alter_byte, play_solutions, rewrite_log

from simsec.reports.cohort import (
    BASE_COLUMNS,
    CohortRow,
    CriterionOutcome,
    RunStatus,
    cohort_lines,
    csv_columns,
    scan_cohort,
    summarise,
    write_csv,
)
from simsec.scenario.world_cache import WorldCache


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory, world_cache: WorldCache) -> Path:
    """The engine scenario's two solutions, and two trainees' copies of them."""
    directory = tmp_path_factory.mktemp("group")
    played = play_solutions([ENGINE_SCENARIO], directory, world_cache)
    by_solution = {log.solution: log.path for log in played}
    rewrite_log(by_solution["reference"], directory, trainee="Ana Lopez")
    rewrite_log(by_solution["creation_en_doublon"], directory, trainee="Bruno Petit")
    return directory


def _row(
    trainee: str,
    percent: int,
    competences: dict[str, tuple[int, int]],
    failed: list[str],
    status: RunStatus = RunStatus.OK,
) -> CohortRow:
    return CohortRow(
        file=f"{trainee}.jsonl",
        trainee=trainee,
        scenario="s",
        solution=None,
        started=None,
        status=status,
        problem="",
        first_bad_seq=None,
        end_reason="completed",
        scenario_changed=False,
        points=Decimal(percent),
        max=Decimal(100),
        percent=percent,
        manual_points=None,
        manual_max=None,
        competences={k: (Decimal(a), Decimal(b)) for k, (a, b) in competences.items()},
        criteria=tuple(
            CriterionOutcome(c, f"Critère {c}", "SAMA.1.3", c not in failed, f"Revoir {c}")
            for c in ("a", "b", "c")
        ),
    )


def test_averages_and_most_failed_criteria() -> None:
    rows = [
        _row("ana", 100, {"SAMA.1.3": (4, 4), "TR.1": (1, 1)}, []),
        _row("bruno", 50, {"SAMA.1.3": (1, 4), "TR.1": (1, 1)}, ["a", "b"]),
        _row("chloe", 25, {"SAMA.1.3": (0, 4)}, ["a"]),
        _row("eve", 0, {"SAMA.1.3": (0, 4)}, ["a", "b", "c"], status=RunStatus.CHAIN_BROKEN),
    ]
    cohort = summarise(rows)
    assert cohort.competences == ("SAMA.1.3", "TR.1")
    averages = {a.code: (a.mean, a.runs) for a in cohort.averages}
    assert averages == {"SAMA.1.3": (42, 3), "TR.1": (100, 2)}  # (100 + 25 + 0) / 3
    assert cohort.mean == 58  # (100 + 50 + 25) / 3: the altered log is left out
    assert [(f.id, f.failed, f.runs, f.rate) for f in cohort.most_failed] == [
        ("a", 2, 3, 67),
        ("b", 1, 3, 33),
    ]
    assert cohort.most_failed[0].feedback == "Revoir a"
    assert [row.trainee for row in cohort.flagged] == ["eve"]
    text = "\n".join(cohort_lines(cohort))
    assert "Revoir a" in text and "JOURNAL ALTÉRÉ" in text


def test_rows_are_scored_in_parallel_like_in_one_process(group: Path, cache_dir: Path) -> None:
    parallel = scan_cohort(group, processes=2, cache_dir=cache_dir)
    single = scan_cohort(group, processes=1)
    assert parallel.rows == single.rows
    assert [(r.trainee, r.percent, r.status) for r in parallel.rows] == [
        ("Ana Lopez", 100, RunStatus.OK),
        ("Bruno Petit", 40, RunStatus.OK),
        ("solution:creation_en_doublon", 40, RunStatus.OK),
        ("solution:reference", 100, RunStatus.OK),
    ]
    bruno = parallel.rows[1]
    assert bruno.competence_percent("SAMA.1.3") == 0
    assert bruno.competence_percent("TR.3") is None  # manual only: no automatic score


def test_csv_has_a_stable_column_order(group: Path, cache_dir: Path) -> None:
    cohort = scan_cohort(group, processes=2, cache_dir=cache_dir)
    assert csv_columns(cohort) == [*BASE_COLUMNS, "SAMA.1.1", "SAMA.1.2", "SAMA.1.3", "TR.1"]
    buffer = io.StringIO()
    write_csv(cohort, buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert [r["trainee"] for r in rows] == [r.trainee for r in cohort.rows]
    assert rows[0]["percent"] == "100" and rows[0]["status"] == "ok"
    assert rows[1]["SAMA.1.3"] == "0" and rows[1]["points"] == "4"


def test_cohort_command_flags_an_altered_log(cli: click.Group, group: Path, tmp_path: Path) -> None:
    directory = tmp_path / "groupe"
    shutil.copytree(group, directory)
    result = CliRunner().invoke(cli, ["cohort", str(directory)])
    assert result.exit_code == 0, result.output
    assert "Moyennes par compétence" in result.output
    victim = next(directory.glob("*ana-lopez*.jsonl"))
    alter_byte(victim, '"trainee":"Ana Lopez"', '"trainee":"Ana Lopes"')
    result = CliRunner().invoke(cli, ["cohort", str(directory)])
    assert result.exit_code == 1
    assert "Journaux signalés" in result.output and victim.name in result.output
    target = tmp_path / "cohorte.csv"
    result = CliRunner().invoke(cli, ["cohort", str(directory), "--csv", "-o", str(target)])
    assert result.exit_code == 1
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    flagged = [r for r in rows if r["status"] != "ok"]
    assert [(r["file"], r["status"], r["first_bad_seq"]) for r in flagged] == [
        (victim.name, "chain_broken", "0")
    ]


def test_cohort_command_usage(cli: click.Group, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["cohort", str(tmp_path / "absent")])
    assert result.exit_code == 2 and "introuvable" in result.output
    empty = tmp_path / "vide"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["cohort", str(empty)])
    assert result.exit_code == 0 and "Aucun journal" in result.output
    result = CliRunner().invoke(cli, ["cohort", str(empty), "--csv"])
    assert result.exit_code == 0 and result.output.startswith(",".join(BASE_COLUMNS))
