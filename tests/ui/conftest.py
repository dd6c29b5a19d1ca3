"""Fixtures of the UI tests: the app built by the factory on the test scenarios, a
frozen scenario clock, no fsync, one world cache per process, and Pilot helpers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from simsec.config import Settings
from simsec.scenario.world_cache import WorldCache
from simsec.ui.app import SimsecApp
from simsec.ui.factory import make_app

DATA = Path(__file__).parent / "data"
SCENARIO = DATA / "accueil.yaml"
SIZE = (140, 42)

_CACHE = WorldCache()


def fake_wall() -> Callable[[], datetime]:
    """A wall clock that never reads the real one."""
    state = {"now": datetime(2026, 3, 2, 7, 45, tzinfo=UTC)}

    def now() -> datetime:
        state["now"] += timedelta(milliseconds=250)
        return state["now"]

    return now


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def world_cache() -> WorldCache:
    return _CACHE


@pytest.fixture
def build_app(settings: Settings, world_cache: WorldCache) -> Callable[..., SimsecApp]:
    """``build_app(**make_app kwargs)``: the app on the test scenarios, clock stopped."""

    def build(**kwargs: Any) -> SimsecApp:
        kwargs.setdefault("scenario_dirs", [DATA])
        kwargs.setdefault("speed", 0)
        kwargs.setdefault("fsync", False)
        kwargs.setdefault("cache", world_cache)
        kwargs.setdefault("wall_clock", fake_wall())
        return make_app(settings, **kwargs)

    return build


async def wait_for_screen(pilot: Pilot[Any], kind: type[Screen[Any]], timeout: float = 20.0) -> Any:
    """Wait until the app's current screen is a ``kind`` (workers run meanwhile)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not isinstance(pilot.app.screen, kind):
        if loop.time() > deadline:
            raise AssertionError(f"{kind.__name__} not shown; current: {pilot.app.screen!r}")
        await pilot.pause(0.05)
    await pilot.pause()
    return pilot.app.screen


async def settle(pilot: Pilot[Any]) -> None:
    """Let the workers finish and the screen refresh."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
