"""World generation (issue "Database", item 3): ``simsec.world.generate_world``.

Targets on the 2-core reference machine, SQLite file database, a year of history:

- 100 000 patients (with coverage, registry, insurer truth, history) in at most 15 s;
- 1 000 000 patients in at most 3 min;
- peak memory (resident set) at most 1.5 GiB.

Each size runs in its own fresh process (``spawn``), so that the time counts the
imports and the reference data, and the peak memory is that of the generation alone.
``BENCH_WORLD_SIZES=100000`` limits the sizes (for a quick run).
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from pathlib import Path
from typing import Any

TIME_TARGETS = {100_000: 15.0, 1_000_000: 180.0}
MEMORY_TARGET_MIB = 1536.0


def _peak_mib() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux
    except ImportError:  # pragma: no cover - Windows
        import psutil

        return float(psutil.Process().memory_info().peak_wset) / 2**20


def _generate(patients: int, path: str, results: Any) -> None:
    started = time.perf_counter()
    from simsec.db.engine import make_engine
    from simsec.world.generator import generate_world

    engine = make_engine(f"sqlite:///{path}")
    summary = generate_world(engine, patients=patients, seed=20260302)
    engine.dispose()
    results.put((time.perf_counter() - started, _peak_mib(), summary.counts))


def _sizes() -> list[int]:
    raw = os.environ.get("BENCH_WORLD_SIZES")
    if not raw:
        return sorted(TIME_TARGETS)
    return [int(part) for part in raw.split(",") if part.strip()]


def run(report: Any) -> None:
    context = multiprocessing.get_context("spawn")
    for size in _sizes():
        with tempfile.TemporaryDirectory(prefix="simsec-bench-world-") as folder:
            path = str(Path(folder) / "world.sqlite3")
            results = context.Queue()
            process = context.Process(target=_generate, args=(size, path, results))
            process.start()
            elapsed, peak, counts = results.get()
            process.join()
            rows = sum(counts.values())
            report(
                f"world generate {size:,} patients: wall time",
                elapsed,
                TIME_TARGETS.get(size),
                "s",
            )
            report(f"world generate {size:,} patients: peak memory", peak, MEMORY_TARGET_MIB, "MiB")
            report(
                f"world generate {size:,} patients: rows per second", rows / elapsed, None, "rows/s"
            )
