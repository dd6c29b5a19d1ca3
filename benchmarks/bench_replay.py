"""The assessor's replay viewer (issue "Assessor and trainer tools", ``make bench``).

Target: opening a 500-action log in the viewer takes at most 1 s: from building the app
(:func:`simsec.ui.screens.replay.make_replay_app`) to the replay screen drawn, with its
timeline, rubric and first step; the log is verified, replayed step by step with the
changes of each step captured, and scored. The scenario's world (the engine tests'
scenario scaled to 2 000 patients and a year of agenda, as in ``bench_engine``) is built
once beforehand, as it is on a machine that played or scored the run.

Also reported: the UI-free part alone (:func:`simsec.scenario.replay_view.open_replay`)
and a seek across the whole log (forward and back), which must feel instant.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_engine import _play, _scaled_text

TARGET_OPEN_S = 1.0
TARGET_SEEK_S = 0.1
ACTIONS = 500
ROUNDS = 5


async def _draw(app: Any, screen_type: type) -> float:
    """Seconds from the app's start to the replay screen filled and drawn."""
    started = time.perf_counter()
    async with app.run_test(size=(160, 48)) as pilot:
        while not (isinstance(app.screen, screen_type) and app.screen.view is not None):
            await asyncio.sleep(0.001)
        await pilot.pause()
        elapsed = time.perf_counter() - started
        app.exit()
    return elapsed


def run(report: Any) -> None:
    from simsec.config import Settings
    from simsec.i18n import activate
    from simsec.scenario.loader import load_scenario
    from simsec.scenario.replay_view import open_replay
    from simsec.scenario.world_cache import WorldCache
    from simsec.ui.screens.replay import ReplayScreen, make_replay_app

    activate("fr")
    with tempfile.TemporaryDirectory(prefix="simsec-bench-replay-") as tmp:
        folder = Path(tmp)
        scenario_file = folder / "bench_accueil.yaml"
        scenario_file.write_text(_scaled_text(), encoding="utf-8")
        loaded = load_scenario(scenario_file)
        assert loaded.scenario is not None, loaded.errors
        cache = WorldCache(folder / "cache")
        cache.base(loaded.scenario, loaded.sha256)
        log = folder / "log500.jsonl"
        _play(loaded.scenario, loaded.sha256, scenario_file, log, 7, ACTIONS, cache)

        timings = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            view = open_replay(log, scenario_path=scenario_file, cache=cache)
            timings.append(time.perf_counter() - started)
            assert view.chain.trustworthy, view.chain
            view.close()
        actions = sum(1 for step in view.steps if step.kind == "action")
        report(
            f"replay model of a {actions}-action log (verify, replay, diffs, score)",
            statistics.median(timings),
            None,
            "s",
        )

        settings = Settings(data_dir=folder / "data")
        timings = []
        for _ in range(ROUNDS):
            # what ``simsec replay`` does: open the replay, then start the TUI on it
            started = time.perf_counter()
            opened = open_replay(log, scenario_path=scenario_file, cache=cache)
            app = make_replay_app(
                settings, log, scenario=scenario_file, cache=cache, fsync=False, opened=opened
            )
            timings.append(time.perf_counter() - started + asyncio.run(_draw(app, ReplayScreen)))
        report(
            f"open a {actions}-action log in the viewer (median)",
            statistics.median(timings),
            TARGET_OPEN_S,
            "s",
        )
        timings = []
        for _ in range(ROUNDS):
            app = make_replay_app(settings, log, scenario=scenario_file, cache=cache, fsync=False)
            timings.append(asyncio.run(_draw(app, ReplayScreen)))
        report(
            "  same, opened by the screen in a worker thread (median)",
            statistics.median(timings),
            None,
            "s",
        )

        view = open_replay(log, scenario_path=scenario_file, cache=cache)
        from simsec.ui.replay_model import DeskCursor, trainee_screen

        desk = DeskCursor(view)
        last = len(view.steps) - 1
        started = time.perf_counter()
        for index in (last, 0, last // 2, last):
            trainee_screen(view, index, desk.at(index))
        seek = (time.perf_counter() - started) / 4
        view.close()
        report("seek across the log (state of the trainee's screen)", seek, TARGET_SEEK_S, "s")
