"""Killing the terminal in the middle of a run loses no completed action, and the run
resumes from the home (issue "Trainee workspace I", acceptance)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable
from ui_support import DATA, SIZE, settle, wait_for_screen

from simsec.config import Settings
from simsec.runlog.replay import replay_log
from simsec.runlog.verify import verify_log
from simsec.ui.app import SimsecApp
from simsec.ui.catalogue import interrupted_runs
from simsec.ui.screens.workspace import WorkspaceScreen
from simsec.ui.session import SessionError, SessionOptions, resume_session

HELPER = Path(__file__).parent / "kill_helper.py"


def _kill_mid_run(data_dir: Path) -> Path:
    """Play three actions in a child process, then SIGKILL it; the log's path."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    child = subprocess.Popen(
        [sys.executable, str(HELPER), str(data_dir), str(DATA)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("READY"), line
        log = Path(line.split(maxsplit=1)[1].strip())
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    return log


def test_killed_run_loses_nothing_and_resumes_from_home(
    settings: Settings, build_app: Callable[..., SimsecApp]
) -> None:
    assert settings.data_dir is not None
    log = _kill_mid_run(settings.data_dir)
    report = verify_log(log)
    assert report.ok and not report.complete
    done = [(r.get("do"), r.get("result")["ok"]) for r in report.records if r.kind == "action"]
    assert done == [("attend", True), ("ask", True), ("request_document", True)]

    async def scenario() -> None:
        app = build_app(runs_dir=settings.runs_dir())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            runs = app.screen.query_one("#home-runs", DataTable)
            assert runs.row_count == 1
            await pilot.press("f6", "enter")  # resume the interrupted run
            screen: WorkspaceScreen = await wait_for_screen(pilot, WorkspaceScreen)
            session = screen.session
            assert session.resumed and session.run.info.trainee == "Emilie"
            person = session.journal.current()
            assert person is not None and person.key == "v_dupont"
            assert "DUPONT" in [line.text for line in person.lines]
            assert [card.key for card in person.documents] == ["cni_dupont"]
            await pilot.press("ctrl+s", *"Merci.", "enter")
            await pilot.pause()

    asyncio.run(scenario())
    report = verify_log(log)
    assert report.ok  # the chain goes on after the resume
    actions = [r for r in report.records if r.kind == "action"]
    assert [a.get("do") for a in actions] == ["attend", "ask", "request_document", "say"]
    assert [r.seq for r in report.records] == list(range(len(report.records)))
    replayed = replay_log(log)
    assert replayed.ok and not replayed.divergences


def test_finished_or_damaged_logs_are_not_resumed(tmp_path: Path) -> None:
    options = SessionOptions(runs_dir=tmp_path, speed=0, fsync=False)
    from simsec.ui.session import start_session

    session = start_session(DATA / "accueil.yaml", trainee="x", options=options)
    log = session.log_path
    assert log is not None
    assert [run.path for run in interrupted_runs(tmp_path)] == [log]
    session.end("abandoned")
    assert interrupted_runs(tmp_path) == []
    with pytest.raises(SessionError, match="terminée"):
        resume_session(log, options=options)
    damaged = tmp_path / "damaged.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines()
    damaged.write_text("\n".join([lines[0], lines[1].replace("08:45", "08:46")]) + "\n")
    with pytest.raises(SessionError, match="illisible"):
        resume_session(damaged, options=options)
