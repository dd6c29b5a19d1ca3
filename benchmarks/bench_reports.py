"""Assessor tools (issue "Assessor and trainer tools"): the cohort table and the report.

Targets on the 2-core reference machine:

- ``simsec cohort`` over 1 000 logs (verify, replay and score each, on 2 worker
  processes, the worlds already built in the cache directory): at most 60 s;
- one report (verify, replay, score, Markdown and HTML): at most 1 s.

The logs are the shipped scenarios' reference solutions (the engine tests' scenario when
none is shipped), played headless, then copied under 1 000 trainees' names: each copy is
re-chained record by record with the run-log writer, so that every one verifies like a
real run. One copy has a changed byte: the cohort must flag it, and only it.
``BENCH_REPORTS_LOGS=200`` scores fewer logs (the figure is then extrapolated to 1 000).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENGINE_SCENARIO = ROOT / "tests" / "engine" / "data" / "accueil.yaml"
TARGET_COHORT_S = 60.0
TARGET_REPORT_S = 1.0
COHORT = 1000


def _wall() -> Callable[[], datetime]:
    state = {"now": datetime(2026, 3, 2, 7, 45, tzinfo=UTC)}

    def now() -> datetime:
        state["now"] += timedelta(milliseconds=250)
        return state["now"]

    return now


def _sources(folder: Path, cache: Any) -> list[Path]:
    """Every solution of every shipped scenario, played headless into ``folder``."""
    from simsec.scenario.loader import load_scenario
    from simsec.scenario.solutions import run_solutions

    files = sorted((ROOT / "scenarios").glob("*.yaml")) or [ENGINE_SCENARIO]
    logs: list[Path] = []
    for file in files:
        loaded = load_scenario(file)
        if loaded.scenario is None:
            continue
        results = run_solutions(
            loaded.scenario,
            sha256=loaded.sha256,
            path=str(file.resolve()),
            log_dir=folder,
            cache=cache,
        )
        logs += [r.log_path for r in results if r.ok and r.log_path is not None]
    return logs


def _copy(source: Path, directory: Path, trainee: str) -> Path:
    """``source`` under another trainee's name, re-chained by the run-log writer."""
    from simsec.runlog.reader import read_log
    from simsec.runlog.records import RecordKind
    from simsec.runlog.writer import RunLogWriter

    log = read_log(source)
    assert log.header is not None
    scenario = log.header.get("scenario") or {}
    with RunLogWriter.create(
        directory, scenario_id=str(scenario.get("id")), trainee=trainee, wall_clock=_wall(),
        fsync=False,
    ) as writer:  # fmt: skip
        for record in log.records:
            body = dict(record.body)
            if record.kind == RecordKind.HEADER:
                body["trainee"] = trainee
            writer.append(record.kind, record.t, body)
        return writer.path


def run(report: Any) -> None:
    from simsec.i18n import activate
    from simsec.reports.cohort import scan_cohort
    from simsec.reports.html import render_html
    from simsec.reports.markdown import render_markdown
    from simsec.reports.model import build_report
    from simsec.scenario.world_cache import WorldCache, reset_default_cache

    activate("fr")
    with tempfile.TemporaryDirectory(prefix="simsec-bench-reports-") as tmp:
        folder = Path(tmp)
        cache = WorldCache(folder / "cache")
        started = time.perf_counter()
        sources = _sources(folder / "sources", cache)
        assert sources, "no solution log could be played"
        report(
            f"play the {len(sources)} shipped solutions (worlds built once)",
            time.perf_counter() - started,
            None,
            "s",
        )

        # -- one report
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            built = build_report(sources[0], cache=cache)
            render_markdown(built)
            render_html(built)
            timings.append(time.perf_counter() - started)
            assert built.trustworthy, built.findings
        report(
            "one report: verify, replay, score, Markdown + HTML (median)",
            statistics.median(timings),
            TARGET_REPORT_S,
            "s",
        )

        # -- a cohort
        count = int(os.environ.get("BENCH_REPORTS_LOGS", COHORT))
        cohort_dir = folder / "cohort"
        started = time.perf_counter()
        copies = [
            _copy(sources[i % len(sources)], cohort_dir, f"Stagiaire {i:04d}") for i in range(count)
        ]
        report(f"write {count} re-chained logs", time.perf_counter() - started, None, "s")
        altered = copies[count // 2]
        data = altered.read_bytes()
        altered.write_bytes(data.replace(b'"kind":"action"', b'"kind":"acti0n"', 1))

        reset_default_cache(cache.directory)
        started = time.perf_counter()
        cohort = scan_cohort(cohort_dir, processes=2, cache_dir=cache.directory)
        elapsed = time.perf_counter() - started
        assert len(cohort.rows) == count
        flagged = [row.file for row in cohort.flagged]
        assert flagged == [altered.name], flagged[:3]
        report(
            f"cohort of {COHORT} logs on 2 processes (verify, replay, score)",
            elapsed * COHORT / max(count, 1),
            TARGET_COHORT_S,
            "s",
        )
