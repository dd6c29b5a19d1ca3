"""The PostgreSQL test harness itself: where binaries are found, failures, cleanup."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pg import (
    DIR_PREFIX,
    Account,
    PostgresServer,
    PostgresUnavailable,
    _Tally,
    candidate_bindirs,
    find_bindir,
    sweep_stale,
)


def fake_bindir(root: Path, *, initdb: str = "exit 0") -> Path:
    root.mkdir(parents=True)
    for name, body in (("postgres", "exit 0"), ("initdb", initdb)):
        script = root / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
    return root


def test_no_binary_means_no_bindir(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    half = tmp_path / "half"
    half.mkdir()
    (half / "postgres").write_text("#!/bin/sh\n")
    (half / "postgres").chmod(0o755)  # no initdb beside it
    assert find_bindir([tmp_path / "empty", half, tmp_path / "missing"]) is None


def test_the_highest_packaged_version_comes_first(tmp_path: Path) -> None:
    for version in ("9.6", "15", "13"):
        fake_bindir(tmp_path / "lib" / version / "bin")
    found = list(
        candidate_bindirs(
            globs=[f"{tmp_path}/lib/*/bin"], path_env=str(tmp_path / "nowhere"), environ={}
        )
    )
    assert [p.parent.name for p in found] == ["15", "13", "9.6"]
    assert find_bindir(found) == tmp_path / "lib" / "15" / "bin"


def test_the_environment_variable_wins(tmp_path: Path) -> None:
    chosen = fake_bindir(tmp_path / "chosen")
    found = candidate_bindirs(globs=[], path_env="", environ={"SIMSEC_PG_BINDIR": str(chosen)})
    assert next(iter(found)) == chosen


def test_a_failing_initdb_is_an_error_and_leaves_nothing(tmp_path: Path) -> None:
    bindir = fake_bindir(tmp_path / "bin", initdb="echo 'disque plein' >&2; exit 3")
    me = Account("me")  # run as ourselves: the fake binaries do not mind root
    server = PostgresServer(bindir, account=me)
    with pytest.raises(PostgresUnavailable, match="disque plein"):
        server.start()
    assert server.base is None
    assert server.process is None


def test_stale_directories_of_a_dead_run_are_swept(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(done.stdout)
    stale = tmp_path / f"{DIR_PREFIX}stale"
    alive = tmp_path / f"{DIR_PREFIX}alive"
    for directory, owner in ((stale, dead), (alive, os.getpid())):
        (directory / "data").mkdir(parents=True)
        (directory / "owner.pid").write_text(str(owner))
    sweep_stale(tmp_path)
    assert not stale.exists()
    assert alive.exists()


def test_the_summary_counts_the_postgres_tests() -> None:
    tally = _Tally()

    def report(nodeid: str, when: str, outcome: str, **extra: object) -> pytest.TestReport:
        fields: dict[str, object] = {"longrepr": None, **extra}
        return pytest.TestReport(
            nodeid=nodeid,
            location=("f.py", 1, nodeid),
            keywords={"postgres": 1},
            outcome=outcome,
            when=when,
            **fields,
        )

    tally.record(report("a", "setup", "passed"))
    tally.record(
        report("a", "call", "passed", user_properties=[("postgresql_server", "PostgreSQL 15.8")])
    )
    tally.record(report("b", "setup", "skipped", longrepr=("f.py", 1, "Skipped: no binary")))
    tally.record(report("c", "call", "failed"))
    summary = tally.summary()
    assert "1 passed, 1 failed, 1 skipped" in summary
    assert "PostgreSQL 15.8" in summary
    assert "Skipped: no binary" in summary
