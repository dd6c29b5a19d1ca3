"""Helpers of the planning modules' UI tests (agenda, admission, access, messages).

The app is built by the factory on one shipped scenario (copied alone into a folder, so
that the home lists it first), the planning modules registered, the clock stopped. The
helpers only press keys: ``fill`` clears a field and types a value.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import textual._wait
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from ui_support import SIZE, settle, wait_for_screen

from simsec.ui.app import SimsecApp
from simsec.ui.modules import MODULES, ModuleSpec
from simsec.ui.screens.workspace import WorkspaceScreen

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"

#: The planning modules, as the app registers them.
PLANNING_SPECS: tuple[ModuleSpec, ...] = tuple(
    spec for spec in MODULES if spec.id in {"agenda", "admission", "access", "messages"}
)


@pytest.fixture(autouse=True)
def fast_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pilot waits for the app to be idle after each key with 20 ms naps: 2 ms naps keep
    the same check (the process did no work during a nap) at a tenth of the cost, which
    makes typing the solutions' texts affordable. Import it in each test module."""
    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.002)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 0.0002)
    yield


def planning_modules() -> tuple[ModuleSpec, ...]:
    """The app's modules (the registry, planning modules included)."""
    return tuple(MODULES)


def scenario_dir(tmp_path: Path, name: str) -> Path:
    """A folder holding only the shipped scenario ``name`` (same bytes, same sha256)."""
    folder = tmp_path / "scenarios"
    folder.mkdir(exist_ok=True)
    shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


def planning_app(
    build_app: Callable[..., SimsecApp], tmp_path: Path, name: str, **kwargs: Any
) -> SimsecApp:
    kwargs.setdefault("modules", planning_modules())
    return build_app(scenario_dirs=[scenario_dir(tmp_path, name)], **kwargs)


async def start(pilot: Pilot[Any], trainee: str = "Emilie") -> WorkspaceScreen:
    """From the home: the trainee's name, then Enter on the (only) scenario."""
    await settle(pilot)
    await pilot.press(*trainee, "enter", "enter")
    screen: WorkspaceScreen = await wait_for_screen(pilot, WorkspaceScreen)
    await pilot.pause()
    return screen


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type the characters of ``text`` (sent in one go, as a fast typist would, then one
    wait: they all go to the focused input)."""
    driver = pilot.app._driver
    assert driver is not None
    for char in text:
        name = char if char.isalnum() else _character_to_key(char)
        event = events.Key(name, char)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await pilot.pause()


async def fill(pilot: Pilot[Any], value: str | None, *, submit: bool = True) -> None:
    """Clear the focused field, type ``value`` (nothing for None), then Enter."""
    await pilot.press("home", "ctrl+k")
    if value:
        await type_text(pilot, value)
    if submit:
        await pilot.press("enter")


async def idle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause()


async def until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str, timeout: float = 10.0
) -> None:
    """Wait until ``condition`` holds (a dialog is up, an action logged): a loaded machine
    may need more than one frame."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(
                f"{what}: screen {pilot.app.screen!r}, focus {pilot.app.focused!r}"
            )
        await pilot.pause(0.01)


async def open_dialog(pilot: Pilot[Any], key: str) -> None:
    """Press ``key`` and wait for the dialog it opens."""
    from textual.screen import ModalScreen

    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, ModalScreen), f"no dialog after {key}")
    await pilot.pause()


def run_async(coro: Any) -> None:
    asyncio.run(coro)


def actions(screen: WorkspaceScreen) -> list[tuple[str, dict[str, Any], bool]]:
    """``(do, with, ok)`` of every action record of the run."""
    return [
        (r["do"], r["with"], bool(r["result"]["ok"]))
        for r in screen.session.run.records
        if r["kind"] == "action"
    ]


__all__ = [
    "PLANNING_SPECS",
    "SIZE",
    "actions",
    "fast_keys",
    "fill",
    "idle",
    "open_dialog",
    "planning_app",
    "planning_modules",
    "run_async",
    "scenario_dir",
    "start",
    "type_text",
    "until",
]
