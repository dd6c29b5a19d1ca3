"""The reference solutions of the shipped scenarios, replayed with the keyboard.

Issue "Trainee workspace I", acceptance: Pilot tests drive the UI with keystrokes only and
reproduce the reference solution of every shipped scenario that uses only the desk, the
patients and the insurance modules; each run gets the same score and the same database
hash as the headless solution.

Each case plays a solution headless (the engine fed from the scenario), then plays the
same actions in the TUI with the keyboard (:class:`identity_driver.KeyDriver`), ends the
run with F10 and compares: the score (points, percent, every criterion), the canonical
database hash, and the actions logged (what was done, with which fields, accepted or
refused).

The cases:

- the reference solution of every scenario of ``scenarios/*.yaml`` whose actions all
  belong to those modules;
- the *projection* of the other shipped reference solutions: their actions of the desk,
  patients and insurance modules, in order, at their times, the others (agenda,
  admission, access, documents, messages) left out. Other modules are written by other
  people; the projection still covers every identity and insurance step of every
  shipped scenario, with its rubric.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from identity_driver import (
    DRIVEN,
    IDENTITY_MODULES,
    KeyDriver,
    normalised_actions,
)
from ui_support import SIZE, fake_wall, wait_for_screen

from simsec.actions.catalogue import CATALOGUE
from simsec.scenario.loader import load_scenario
from simsec.scenario.run import Run
from simsec.scenario.world_cache import WorldCache
from simsec.ui.app import SimsecApp
from simsec.ui.screens.workspace import WorkspaceScreen

SHIPPED = Path(__file__).resolve().parents[2] / "scenarios"
#: Actions that leave the identity and the coverage untouched: a projection keeping only
#: these proves little (and costs a minute).
_DESK_ONLY = frozenset(
    {"attend", "ask", "request_document", "say", "end_interaction", "wait", "search_patients"}
)


def _names(value: Any) -> set[str]:
    """Every string in ``value`` (a binding name may hide in a nested field)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, Mapping):
        return set().union(*(_names(v) for v in value.values())) if value else set()
    if isinstance(value, list | tuple):
        return set().union(*(_names(v) for v in value)) if value else set()
    return set()


def project(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The actions the keyboard driver can play, in order: an ``at`` of a left-out
    action moves to the next kept one; an action naming what a left-out one bound
    (``as``) is left out too."""
    kept: list[dict[str, Any]] = []
    lost: set[str] = set()
    pending_at: Any = None
    for action in actions:
        do = str(action.get("do"))
        if do not in DRIVEN or _names(action.get("with")) & lost:
            if action.get("as"):
                lost.add(str(action["as"]))
            pending_at = action.get("at", pending_at)
            continue
        action = dict(action)
        if pending_at is not None and "at" not in action:
            action["at"] = pending_at
        pending_at = None
        kept.append(action)
    return kept


def _case(path: Path, solution_id: str, projected: bool) -> Any:
    case_id = f"{path.stem}-{solution_id}" + ("-projection" if projected else "")
    return pytest.param(path, solution_id, projected, id=case_id)


def _cases() -> list[Any]:
    cases: list[Any] = []
    for path in sorted(SHIPPED.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for solution in data.get("solutions") or []:
            if solution["id"] != "reference":
                continue
            actions = solution.get("actions") or []
            if all(str(a.get("do")) in DRIVEN for a in actions):
                cases.append(_case(path, solution["id"], False))
            else:
                kept = project(actions)
                if any(str(a.get("do")) not in _DESK_ONLY for a in kept):
                    cases.append(_case(path, solution["id"], True))
    return cases


def _scenario_file(source: Path, solution_id: str, projected: bool, folder: Path) -> Path:
    """The scenario with only the solution played (projected when asked)."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    solution = next(s for s in data["solutions"] if s["id"] == solution_id)
    if projected:
        solution = {**solution, "actions": project(solution["actions"]), "expect": {}}
    data["solutions"] = [solution]
    target = folder / source.name
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _headless(path: Path, cache: WorldCache) -> Run:
    loaded = load_scenario(path)
    assert loaded.scenario is not None, loaded.errors[:1]
    scenario = loaded.scenario
    run = Run.start(
        scenario,
        sha256=loaded.sha256,
        path=str(path),
        cache=cache,
        wall_clock=fake_wall(),
        fsync=False,
    )
    for action in scenario.solutions[0].actions:
        run.perform(action, at=action.at)
    run.end("completed")
    return run


def _criteria(report: Any) -> list[tuple[str, bool | None]]:
    return [(c.id, c.passed) for c in report.criteria]


@pytest.mark.parametrize(("source", "solution_id", "projected"), _cases())
def test_solution_replayed_with_the_keyboard(
    source: Path,
    solution_id: str,
    projected: bool,
    tmp_path: Path,
    build_app: Callable[..., SimsecApp],
    world_cache: WorldCache,
) -> None:
    path = _scenario_file(source, solution_id, projected, tmp_path)
    reference = _headless(path, world_cache)
    assert reference.report is not None
    played = [r for r in reference.records if r.get("kind") == "action"]
    assert all(r["do"] in CATALOGUE for r in played)

    async def scenario() -> None:
        app = build_app(
            scenario=path, trainee="clavier", modules=IDENTITY_MODULES, runs_dir=tmp_path / "runs"
        )
        async with app.run_test(size=SIZE) as pilot:
            workspace: WorkspaceScreen = await wait_for_screen(pilot, WorkspaceScreen)
            driver = KeyDriver(pilot)
            for record in played:
                await driver.play(record)
            session = workspace.session
            await pilot.press("f10", "enter")
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 30
            while session.report is None and loop.time() < deadline:
                await pilot.pause(0.05)
            report = session.report
            assert report is not None, "the run was not scored"
            # what was done, field for field, accepted or refused alike
            assert normalised_actions(session.run.records) == normalised_actions(reference.records)
            assert _criteria(report) == _criteria(reference.report)
            assert (report.points, report.percent) == (
                reference.report.points,
                reference.report.percent,
            )
            assert session.run.final_hash == reference.final_hash

    asyncio.run(scenario())


def test_there_is_something_to_replay() -> None:
    """Every shipped scenario that touches identity or coverage is covered."""
    cases = _cases()
    assert len(cases) >= 4, [c.id for c in cases]
    assert any("projection" not in c.id for c in cases), "no scenario of these modules alone"


def test_projection_keeps_order_times_and_drops_what_depends_on_dropped_actions() -> None:
    actions = [
        {"at": "10s", "do": "attend", "with": {"person": "v"}},
        {"at": "1m", "do": "find_slots", "with": {"type": "C"}, "as": "creneaux"},
        {"do": "book_appointment", "with": {"patient": "p", "start": "creneaux"}},
        {"do": "search_patients", "with": {"birth_date": "2000-01-01"}, "as": "s"},
        {"at": "5m", "do": "mark_arrived", "with": {"appointment": "rdv"}},
        {"do": "call_insi", "with": {"patient": {"found": "s", "rank": 1}, "mode": "traits"}},
    ]
    assert project(actions) == [
        {"at": "10s", "do": "attend", "with": {"person": "v"}},
        {"at": "1m", "do": "search_patients", "with": {"birth_date": "2000-01-01"}, "as": "s"},
        {
            "at": "5m",
            "do": "call_insi",
            "with": {"patient": {"found": "s", "rank": 1}, "mode": "traits"},
        },
    ]
