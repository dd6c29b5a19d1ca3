"""The agenda views (issue "Trainee workspace II").

Target on the 2-core reference machine: the agenda's week view for 6 practitioners
renders in at most 100 ms on a world with a year of history.

"Renders" is what the agenda module does when it shows a week: read the window from the
database (:func:`simsec.services.readmodels_planning.agenda_window`: appointments,
absences, meetings), lay out the grid (:func:`simsec.ui.widgets.agenda_grid.build_grid`)
and draw every line of it, header included, as the Line API widget does
(:func:`~simsec.ui.widgets.agenda_grid.render_row`), 140 columns wide. Two weeks are
measured: the week of the scenario's start (what a trainee opens first) and a past week
of the year of history, every opening hour booked (the densest). The world (2 000
patients, 6 practitioners, 365 days of history) is built once into a temporary cache
directory.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

TARGET_WEEK_S = 0.100
ROUNDS = 15
WIDTH = 140
SCENARIO = """\
format: simsec/scenario@1
id: bench_agenda
title: "Agenda : une année d'historique"
summary: "Six praticiens, une année de rendez-vous passés."
competencies: []
difficulty: 1
guidance: guided
start: 2026-03-02T08:30
duration: 8h
debrief: false
structure: {kind: centre_de_sante, name: "Centre de santé (banc d'essai)"}
world: {seed: 42, population: 2000, practitioners: 6, history_days: 365}
solutions:
  - id: attente
    actions:
      - {do: wait, with: {for: 1m}}
"""


def _render_week(db: Any, monday: date, now: datetime) -> tuple[int, int]:
    """Read, lay out and draw a Monday-Saturday week of every practitioner; the number
    of entries and of lines drawn."""
    from simsec.services.readmodels_planning import agenda_window
    from simsec.ui.widgets.agenda_grid import HEADER_LINES, build_grid, render_header, render_row

    window = agenda_window(db, monday, 6)
    model = build_grid(window, step=10, now=now)
    cursor = (0, 0)
    lines = [render_header(model, line, WIDTH) for line in range(HEADER_LINES)]
    lines.extend(render_row(model, row, WIDTH, cursor) for row in range(model.rows))
    return len(window.entries), len(lines)


def _timed(db: Any, monday: date, now: datetime) -> tuple[float, int, int]:
    timings = []
    entries = lines = 0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        entries, lines = _render_week(db, monday, now)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), entries, lines


def run(report: Any) -> None:
    from simsec.scenario.loader import load_scenario
    from simsec.scenario.world_cache import WorldCache
    from simsec.services.readmodels_planning import practitioners

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench_agenda.yaml"
        path.write_text(SCENARIO, encoding="utf-8")
        loaded = load_scenario(path)
        assert loaded.scenario is not None, loaded.errors[:1]
        scenario = loaded.scenario
        started = time.perf_counter()
        db = WorldCache(Path(folder) / "worlds").engine(scenario, loaded.sha256)
        print(f"  world built in {time.perf_counter() - started:.1f} s")
        count = len(practitioners(db))
        assert count == 6, count
        now = scenario.start
        this_week = now.date() - timedelta(days=now.date().weekday())
        past_week = this_week - timedelta(weeks=20)
        for label, monday in (
            ("week of the start", this_week),
            ("a past week, fully booked", past_week),
        ):
            seconds, entries, lines = _timed(db, monday, now)
            report(
                f"agenda week, 6 practitioners, {label} ({entries} entries, {lines} lines)",
                seconds * 1000,
                TARGET_WEEK_S * 1000,
                "ms",
            )
        db.dispose()
