"""What the app is built with: its dependencies, passed in by the factory.

ARCHITECTURE.md, habit 2: one factory builds the App with its dependencies (settings,
language, scenario folders, session options, modules), for the CLI and the tests alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simsec.ui.modules import MODULES, ModuleSpec

if TYPE_CHECKING:
    from textual.screen import Screen

    from simsec.config import Settings
    from simsec.scenario.world_cache import WorldCache

__all__ = ["AppContext", "LaunchRequest", "RestartRequest", "SessionOptions"]

WallClock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class SessionOptions:
    """How runs are started: where logs go, the clock speed, the world cache.

    ``speed``: scenario seconds per real second (1.0 real time; 0 stops the clock, for
    tests and snapshots). ``fsync``: make each record durable before the action returns
    (RUNLOG_FORMAT.md); only tests turn it off. ``cache``: the world cache (by default
    one per ``cache_dir``, else the process's). ``assessed``: False for
    ``simsec scenario play`` (a trainer trying a scenario: the header says so).
    """

    runs_dir: Path | None = None
    speed: float = 1.0
    fsync: bool = True
    cache: WorldCache | None = None
    cache_dir: Path | None = None
    """Where built t=0 databases are kept between runs (when no ``cache`` is given)."""
    wall_clock: WallClock | None = None
    assessed: bool = True


@dataclass(frozen=True, slots=True)
class LaunchRequest:
    """What to start: a scenario file, a free-practice world, or a run to resume."""

    scenario: Path | None = None
    resume: Path | None = None
    practice_seed: int | None = None
    practice_population: int = 500


@dataclass(frozen=True, slots=True)
class RestartRequest:
    """The app's return value when the trainee chose another language on the home: the
    CLI builds the app again in that language (the language is fixed for an app's life)."""

    lang: str
    trainee: str = ""


@dataclass
class AppContext:
    """The dependencies of :class:`simsec.ui.app.SimsecApp` (see the factory)."""

    settings: Settings
    lang: str
    options: SessionOptions
    scenario_dirs: tuple[Path, ...]
    practice_dir: Path
    modules: tuple[ModuleSpec, ...] = MODULES
    trainee: str = ""
    launch: LaunchRequest | None = None
    """Start a run straight away (``simsec play``) instead of showing the home."""
    theme: str = "textual-dark"
    keymap: Mapping[str, str] = field(default_factory=dict)
    tick_seconds: float = 1.0
    """Real seconds between two moves of the scenario clock."""

    def first_screen(self) -> Screen[Any]:
        """The screen shown first: the home, or the launch of the run asked for on the
        command line. Another screen (a subclass may open one) is shown over the home,
        which stays at the bottom of the screen stack."""
        if self.launch is not None:
            from simsec.ui.screens.launch import LaunchScreen

            return LaunchScreen(self.launch, trainee=self.trainee)
        from simsec.ui.screens.home import HomeScreen

        return HomeScreen()
