"""Run the benchmarks: ``python -m benchmarks [NAME ...]``.

``make bench`` runs them all; ``make bench ARGS=search`` runs one.
"""

from __future__ import annotations

import importlib
import sys
import time

from benchmarks.report import Report

#: Benchmark modules in the order they run; each exposes ``run(report)``.
MODULES = [
    "bench_world",
    "bench_search",
    "bench_duplicates",
    "bench_engine",
    "bench_reports",
    "bench_ui",
    "bench_ui_keys",
    "bench_agenda",
    "bench_replay",
]


def main(argv: list[str]) -> int:
    wanted = [m if m.startswith("bench_") else f"bench_{m}" for m in argv] or MODULES
    report = Report()
    for name in wanted:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            print(f"[{name}] skipped: {exc}")
            continue
        print(f"[{name}]")
        started = time.perf_counter()
        module.run(report)
        print(f"  ({time.perf_counter() - started:.1f} s)")
    return report.summary()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
