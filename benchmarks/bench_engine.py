"""The engine runtime (issue "Engine"): validation, replay and scoring.

Targets on the 2-core reference machine:

- validating a scenario in-process: at most 0.3 s;
- replaying and scoring one 200-action log (world of 2 000 patients, a year of agenda,
  the world already built): at most 0.2 s;
- scoring 1 000 logs on 2 cores (worker processes, each reading the built world from
  the cache directory): at most 60 s.

The logs are played by :class:`simsec.scenario.run.Run` from seeded random action
mixes that look like a trainee's (questions, searches, documents, bookings and
cancellations, messages), on the engine tests' scenario scaled up to 2 000 patients.
``BENCH_ENGINE_LOGS=200`` scores fewer logs (the figure is then extrapolated to 1 000).
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "tests" / "engine" / "data" / "accueil.yaml"
TARGET_VALIDATE_S = 0.3
TARGET_REPLAY_S = 0.2
TARGET_COHORT_S = 60.0
COHORT = 1000
DISTINCT_LOGS = 20

_QUESTIONS = ("birth_name", "first_names", "birth_date", "reason", "phone", "address", "insurance")
_NAMES = ("DUPONT", "MARTIN", "PETIT", "DURAND", "LEROY", "MOREAU", "BERNARD", "DUBOIS")


def _scaled_text() -> str:
    text = SCENARIO.read_text(encoding="utf-8")
    for old, new in (
        ("population: 60", "population: 2000"),
        ("practitioners: 1\n", "practitioners: 3\n"),
        ("history_days: 14", "history_days: 365"),
    ):
        text = text.replace(old, new, 1)
    return text


def _actions(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """A trainee-like mix of ``count`` actions."""
    actions: list[dict[str, Any]] = [{"do": "attend", "with": {"person": "v_dupont"}}]
    booked: list[str] = []
    while len(actions) < count:
        roll = rng.random()
        if roll < 0.25:
            actions.append(
                {"do": "ask", "with": {"person": "v_dupont", "question": rng.choice(_QUESTIONS)}}
            )
        elif roll < 0.35:
            actions.append({"do": "say", "with": {"person": "v_dupont", "text": "Un instant."}})
        elif roll < 0.50:
            query: dict[str, Any] = {"birth_name": rng.choice(_NAMES)}
            if rng.random() < 0.5:
                query["birth_date"] = "1985-04-12"
            actions.append({"do": "search_patients", "with": query, "as": f"r{len(actions)}"})
        elif roll < 0.55:
            actions.append(
                {"do": "request_document", "with": {"person": "v_dupont", "kind": "cni"}}
            )
        elif roll < 0.58:
            actions.append(
                {
                    "do": "check_identity_document",
                    "with": {"patient": "p_dupont", "document": "cni_dupont"},
                }
            )
        elif roll < 0.63:
            actions.append({"do": "find_slots", "with": {"type": "C", "practitioner": "dr_martin"}})
        elif roll < 0.71:
            minute = rng.randrange(0, 40) * 10
            start = f"2026-03-02T{10 + minute // 60:02d}:{minute % 60:02d}"
            name = f"a{len(actions)}"
            booked.append(name)
            actions.append(
                {
                    "do": "book_appointment",
                    "as": name,
                    "with": {
                        "patient": "p_petit",
                        "practitioner": "dr_martin",
                        "type": "C",
                        "start": start,
                    },
                }
            )
        elif roll < 0.75 and booked:
            actions.append(
                {
                    "do": "cancel_appointment",
                    "with": {"appointment": booked.pop(0), "by": "patient", "reason": "Empêché"},
                }
            )
        elif roll < 0.85:
            actions.append(
                {
                    "do": "send_message",
                    "with": {"to": "dr_martin", "subject": "Info", "body": "Patient arrivé."},
                }
            )
        elif roll < 0.90:
            actions.append({"do": "mark_arrived", "with": {"appointment": "rdv1"}})
        elif roll < 0.95:
            actions.append(
                {"do": "submit_answer", "with": {"question": "question_stats", "value": "12"}}
            )
        else:
            actions.append({"do": "wait", "with": {"for": "10s"}})
    return actions


def _play(
    scenario: Any, sha256: str, path: Path, log: Path, seed: int, count: int, cache: Any
) -> None:
    from simsec.scenario.run import Run

    run = Run.start(
        scenario,
        sha256=sha256,
        path=str(path),
        log_path=log,
        cache=cache,
        fsync=False,
        trainee=f"bench-{seed}",
    )
    for action in _actions(random.Random(seed), count):
        run.perform(action)
    run.end("completed", full_hash=False)


def run(report: Any) -> None:
    from simsec.i18n import activate
    from simsec.runlog.replay import replay_log, score_logs
    from simsec.scenario.loader import load_scenario
    from simsec.scenario.world_cache import WorldCache, reset_default_cache

    activate("fr")
    # -- validation
    load_scenario(SCENARIO)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        result = load_scenario(SCENARIO)
        timings.append(time.perf_counter() - started)
    assert result.ok
    report("validate a scenario (in-process)", min(timings), TARGET_VALIDATE_S, "s")

    with tempfile.TemporaryDirectory(prefix="simsec-bench-engine-") as tmp:
        folder = Path(tmp)
        scenario_file = folder / "bench_accueil.yaml"
        scenario_file.write_text(_scaled_text(), encoding="utf-8")
        loaded = load_scenario(scenario_file)
        assert loaded.scenario is not None, loaded.errors
        cache = WorldCache(folder / "cache")
        started = time.perf_counter()
        cache.base(loaded.scenario, loaded.sha256)
        report(
            "build the world once (2 000 patients, 1 year)",
            time.perf_counter() - started,
            None,
            "s",
        )

        # -- one 200-action log
        log = folder / "log200.jsonl"
        _play(loaded.scenario, loaded.sha256, scenario_file, log, 1, 200, cache)
        timings = []
        for _ in range(7):
            started = time.perf_counter()
            replayed = replay_log(log, cache=cache)
            timings.append(time.perf_counter() - started)
            assert replayed.ok, replayed.findings
        report(
            "replay + score one 200-action log (median)",
            statistics.median(timings),
            TARGET_REPLAY_S,
            "s",
        )

        # -- a cohort
        count = int(os.environ.get("BENCH_ENGINE_LOGS", COHORT))
        logs = folder / "logs"
        logs.mkdir()
        distinct = []
        for seed in range(DISTINCT_LOGS):
            path = logs / f"distinct_{seed}.jsonl"
            _play(
                loaded.scenario,
                loaded.sha256,
                scenario_file,
                path,
                100 + seed,
                80 + (seed * 37) % 120,
                cache,
            )
            distinct.append(path)
        paths = []
        for i in range(count):
            target = logs / f"run_{i:04d}.jsonl"
            shutil.copyfile(distinct[i % len(distinct)], target)
            paths.append(target)
        reset_default_cache(cache.directory)
        cpu_before = _children_cpu()
        started = time.perf_counter()
        results = score_logs(paths, processes=2)
        elapsed = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        assert all(r["ok"] for r in results), [r["findings"] for r in results if not r["ok"]][:1]
        scaled = elapsed * COHORT / max(count, 1)
        report(
            f"score {COHORT} logs of 80-200 actions on 2 processes", scaled, TARGET_COHORT_S, "s"
        )
        if cpu > 0:
            report(
                "  same, CPU time of the workers / 2 (idle-machine estimate)",
                cpu * COHORT / max(count, 1) / 2,
                None,
                "s",
            )


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
