"""A run survives a killed terminal: the log verifies up to its last complete record."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from simsec.runlog.reader import IssueCode
from simsec.runlog.verify import verify_log

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from simsec.runlog.writer import RunLogWriter

    moment = [datetime(2026, 3, 2, 7, 45, tzinfo=UTC)]
    def clock():
        moment[0] += timedelta(milliseconds=7)
        return moment[0]

    log = RunLogWriter.create(Path(sys.argv[1]), scenario_id="s", trainee="t", wall_clock=clock)
    log.append("header", "2026-03-02T08:45:00", {"format": "simsec/run@1"})
    print(log.path, flush=True)
    i = 0
    while True:
        i += 1
        log.action("2026-03-02T08:45:00", "say", {"person": "v", "text": "x" * 20000 + str(i)},
                   {"ok": True})
    """
)


def test_a_log_killed_with_sigkill_verifies_up_to_its_last_complete_record(
    tmp_path: Path,
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert process.stdout is not None
        path = Path(process.stdout.readline().strip())
        deadline = time.monotonic() + 20
        while path.stat().st_size < 400_000 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    report = verify_log(path)
    assert report.ok, report.problem and report.problem.message
    assert report.last_seq is not None and report.last_seq >= 5
    assert not report.complete
    data = path.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    assert complete.count(b"\n") == report.last_seq + 1
    assert all(w.code in (IssueCode.TRUNCATED, IssueCode.NO_FINAL_NEWLINE) for w in report.warnings)
