"""The assessor's replay viewer with Pilot: step through a shipped solution's log, jump
from a criterion to its evidence, add a manual grade; an altered log shows the banner."""

from __future__ import annotations

import asyncio
import io
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static
from ui_support import SIZE, fake_wall, wait_for_screen

from simsec import i18n
from simsec.config import Settings
from simsec.runlog.verify import verify_log
from simsec.scenario.loader import load_scenario
from simsec.scenario.replay_view import ReplayView
from simsec.scenario.solutions import run_solution
from simsec.scenario.world_cache import WorldCache
from simsec.ui.app import SimsecApp
from simsec.ui.screens.replay import GradeDialog, ReplayScreen, SeekDialog, make_replay_app
from simsec.ui.widgets.diff import ChangesView
from simsec.ui.widgets.person_panel import PersonPanel
from simsec.ui.widgets.rubric import RubricTable
from simsec.ui.widgets.timeline import ReplayTimeline
from simsec.ui.widgets.topbar import TopBar

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "accueil_premiere_consultation.yaml"
_CACHE = WorldCache()


@pytest.fixture(scope="module")
def solution_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference solution of a shipped scenario, played and logged."""
    i18n.activate("fr")
    loaded = load_scenario(SCENARIO)
    assert loaded.scenario is not None
    solution = next(s for s in loaded.scenario.solutions if s.id == "reference")
    result = run_solution(
        loaded.scenario,
        solution,
        sha256=loaded.sha256,
        path=str(SCENARIO),
        log_dir=tmp_path_factory.mktemp("viewer-logs"),
        cache=_CACHE,
        wall_clock=fake_wall(),
    )
    assert result.ok and result.log_path is not None, result.problems
    return result.log_path


@pytest.fixture
def log(solution_log: Path, tmp_path: Path) -> Path:
    target = tmp_path / "run.jsonl"
    shutil.copyfile(solution_log, target)
    return target


def _app(settings: Settings, log: Path, **kwargs: Any) -> SimsecApp:
    kwargs.setdefault("scenario", SCENARIO)
    return make_replay_app(
        settings, log, cache=_CACHE, wall_clock=fake_wall(), fsync=False, **kwargs
    )


def _run(app: SimsecApp, body: Callable[[Pilot[Any], ReplayScreen], Awaitable[None]]) -> None:
    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await wait_for_screen(pilot, ReplayScreen)
            await pilot.app.workers.wait_for_complete()  # the log is opened in a worker
            await pilot.pause()
            assert screen.view is not None
            await body(pilot, screen)

    asyncio.run(scenario())


def _text(widget: Static) -> str:
    """What a Static shows, as plain text (Rich tables included)."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def _view(screen: ReplayScreen) -> ReplayView:
    assert screen.view is not None
    return screen.view


def _do(screen: ReplayScreen) -> str:
    return str(_view(screen).step(screen.index).record.get("do") or "")


def test_step_forward_and_back_through_a_solution_log(settings: Settings, log: Path) -> None:
    async def body(pilot: Pilot[Any], screen: ReplayScreen) -> None:
        assert screen.index == 0
        assert "Journal intègre" in _text(screen.query_one("#replay-banner", Static))
        timeline = screen.query_one(ReplayTimeline)
        assert timeline.row_count == len(verify_log(log).records)
        await pilot.press("n", "n", "n")
        await pilot.pause()
        assert screen.index == 3 and _do(screen) == "attend"
        assert "Prendre en charge" in _text(screen.query_one("#replay-step", Static))
        update = next(
            s.index for s in _view(screen).steps if s.record.get("do") == "update_patient"
        )
        screen.show_step(update - 1)
        await pilot.press("n")
        await pilot.pause()
        assert screen.index == update and timeline.cursor_row == update
        assert _do(screen) == "update_patient"
        changes = _text(screen.query_one(ChangesView))
        assert "p_giraud" in changes and "NATHALIE MARIE" in changes
        person = screen.query_one(PersonPanel)
        assert "Nathalie, Marie" in _text(person.query_one("#person-lines", Static))
        clock = _text(screen.query_one(TopBar).query_one("#tb-clock", Static))
        assert "08:40:15" in clock  # the scenario clock as it was at that step
        assert "Patients et identité" in _text(screen.query_one("#replay-module", Static))
        await pilot.press("p", "p")
        await pilot.pause()
        assert screen.index == update - 2 and _do(screen) == "ask"
        assert "Aucune modification" in _text(screen.query_one(ChangesView))
        await pilot.press("down")  # the timeline's own cursor moves the step too
        await pilot.pause()
        assert screen.index == update - 1

    _run(_app(settings, log), body)


def test_seek_a_record_number_or_a_time(settings: Settings, log: Path) -> None:
    async def body(pilot: Pilot[Any], screen: ReplayScreen) -> None:
        await pilot.press("s")
        await wait_for_screen(pilot, SeekDialog)
        await pilot.press("2", "1", "enter")
        await wait_for_screen(pilot, ReplayScreen)
        assert screen.index == 21
        await pilot.press("s")
        dialog = await wait_for_screen(pilot, SeekDialog)
        await pilot.press(*"midi", "enter")
        await pilot.pause()
        assert "n'est ni un numéro" in _text(dialog.query_one("#seek-error", Static))
        dialog.query_one(Input).value = ""
        await pilot.press(*"09:07", "enter")
        await wait_for_screen(pilot, ReplayScreen)
        assert _view(screen).step(screen.index).record.get("id") == "retour_giraud"

    _run(_app(settings, log), body)


def test_a_criterion_jumps_to_its_evidence(settings: Settings, log: Path) -> None:
    async def body(pilot: Pilot[Any], screen: ReplayScreen) -> None:
        rubric = screen.query_one(RubricTable)
        await pilot.press("r")
        row = rubric.criteria.index("droits_a_jour")
        await pilot.press(*["down"] * row, "enter")
        await pilot.pause()
        evidence = _view(screen).evidence_steps("droits_a_jour")
        assert len(evidence) > 1
        assert screen.index == evidence[0]
        assert screen.query_one(ReplayTimeline).cursor_row == evidence[0]
        assert "preuve 1 / " in _text(screen.query_one("#replay-step", Static))
        await pilot.press("j")
        await pilot.pause()
        assert screen.index == evidence[1]
        detail = _text(screen.query_one("#replay-criterion", Static))
        assert "Consulter les droits (ADRi)" in detail

    _run(_app(settings, log), body)


def test_a_manual_grade_is_appended_and_scored(
    settings: Settings, log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = log.read_bytes()

    async def body(pilot: Pilot[Any], screen: ReplayScreen) -> None:
        await pilot.press("m")
        dialog = await wait_for_screen(pilot, GradeDialog)
        assert dialog.query_one("#grade-assessor", Input).value == "Mme Lebrun"
        await pilot.press("5", "tab")  # the points, then the comment
        comment = dialog.query_one("#grade-comment", Input)
        assert pilot.app.focused is comment
        comment.value = "Accueil courtois"
        await pilot.press("tab", "enter")  # the assessor's name is there: save
        await pilot.pause()
        assert "entre 0 et 2" in _text(dialog.query_one("#grade-error", Static))
        assert log.read_bytes() == before  # nothing written
        dialog.query_one("#grade-points", Input).value = "1,5"
        await pilot.click("#grade-save")
        await wait_for_screen(pilot, ReplayScreen)
        grade = _view(screen).criterion("posture")
        assert grade is not None and grade.grade is not None
        assert str(grade.points) == "1.5" and grade.grade.assessor == "Mme Lebrun"
        assert screen.index == len(_view(screen).steps) - 1
        assert screen.query_one(ReplayTimeline).row_count == len(_view(screen).steps)
        assert "Journal intègre" in _text(screen.query_one("#replay-banner", Static))

    _run(_app(settings, log, assessor="Mme Lebrun"), body)
    report = verify_log(log)
    assert report.ok and report.records[-1].kind == "grade"
    assert report.records[-1].get("comment") == "Accueil courtois"
    from simsec.cli import main

    assert main(["score", str(log), "--scenario", str(SCENARIO)]) == 0
    assert "noté 1,5/2 par l'évaluateur" in capsys.readouterr().out


def test_an_altered_log_shows_the_banner_and_refuses_grades(settings: Settings, log: Path) -> None:
    data = log.read_bytes()
    log.write_bytes(data.replace(b'"outcome":"oriented"', b'"outcome":"done"', 1))
    altered = log.read_bytes()
    assert altered != data

    async def body(pilot: Pilot[Any], screen: ReplayScreen) -> None:
        banner = screen.query_one("#replay-banner", Static)
        assert banner.has_class("-error")
        text = _text(banner)
        bad = _view(screen).chain.first_bad_seq
        assert "JOURNAL ALTÉRÉ" in text and f"n° {bad}" in text
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReplayScreen)  # no grading dialog
        assert log.read_bytes() == altered

    _run(_app(settings, log), body)
