"""Shared helpers of the UI tests (constants, a fake wall clock, waiting for screens).

Kept out of ``conftest.py`` so that test modules import them under a unique name.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from simsec.scenario.world_cache import WorldCache

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
