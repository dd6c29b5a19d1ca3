"""Golden tests: the Markdown report of every shipped solution's log, and the cohort CSV
of all of them plus an altered, a forged and a re-chained copy.

A golden holds no wall-clock time of the test run and no absolute path: the logs are
written with a fixed wall clock and the reports name files, never paths. Regenerate with
``SIMSEC_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/reports -q``.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from reports_helpers import (
    PlayedLog,
    alter_byte,
    check_golden,
    no_machine_details,
    rewrite_log,
)

from simsec.reports.cohort import Cohort, RunStatus, scan_cohort, write_csv
from simsec.reports.markdown import render_markdown
from simsec.reports.model import build_report
from simsec.scenario.world_cache import WorldCache


def test_markdown_reports_match_their_goldens(
    played: list[PlayedLog], world_cache: WorldCache
) -> None:
    assert played, "no solution was played"
    for log in played:
        report = build_report(log.path, cache=world_cache)
        assert report.findings == (), (log.path.name, report.findings)
        text = render_markdown(report)
        assert no_machine_details(text) == [], log.path.name
        check_golden(f"{log.scenario}_{log.solution}.md", text)


@pytest.fixture(scope="module")
def cohort_dir(played: list[PlayedLog], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The solution logs, plus: a copy under another trainee's name (re-chained, valid), a
    copy with one byte changed (broken chain), and a re-chained forgery (replay differs)."""
    directory = tmp_path_factory.mktemp("cohort")
    for log in played:
        shutil.copyfile(log.path, directory / log.path.name)
    reference = next(log for log in played if log.solution == "reference")
    extra = directory / "copies"
    extra.mkdir()
    rewrite_log(reference.path, extra, trainee="Camille Martin")
    altered = directory / "zz_altere.jsonl"
    shutil.copyfile(reference.path, altered)
    alter_byte(altered, '"ok":true', '"ok":false')  # the first action's result
    state = {"done": False}

    def forge(body: dict[str, Any]) -> dict[str, Any]:
        if body.get("kind") != "action" or state["done"]:
            return body
        state["done"] = True
        result = dict(body.get("result") or {})
        return {**body, "result": {**result, "forged": True}}

    rewrite_log(reference.path, extra, trainee="Faussaire", change=forge)
    return directory


@pytest.fixture(scope="module")
def cohort(cohort_dir: Path, cache_dir: Path) -> Cohort:
    return scan_cohort(cohort_dir, processes=2, cache_dir=cache_dir)


def test_cohort_csv_matches_its_golden(cohort: Cohort) -> None:
    buffer = io.StringIO()
    write_csv(cohort, buffer)
    text = buffer.getvalue()
    assert no_machine_details(text) == []
    check_golden("cohort.csv", text)


def test_the_altered_and_the_forged_logs_are_flagged(cohort: Cohort) -> None:
    by_file = {row.file: row for row in cohort.rows}
    altered = by_file["zz_altere.jsonl"]
    assert altered.status is RunStatus.CHAIN_BROKEN
    assert altered.first_bad_seq is not None and altered.percent is None
    forged = next(row for row in cohort.rows if row.trainee == "Faussaire")
    assert forged.status is RunStatus.REPLAY_MISMATCH
    assert forged.file.startswith("copies/")
    copy = next(row for row in cohort.rows if row.trainee == "Camille Martin")
    assert copy.status is RunStatus.OK and copy.percent == 100
    assert {row.file for row in cohort.flagged} == {altered.file, forged.file}
    assert all(not row.flagged for row in cohort.rows if row not in (altered, forged))
