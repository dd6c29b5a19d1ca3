"""simsec benchmarks (`make bench`). Each module exposes ``run(report)``."""
