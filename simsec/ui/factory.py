"""The one place where the TUI is built: :func:`make_app` (CLI, server and tests).

Nothing happens at import time; the language is activated, the folders are resolved
and the world cache is chosen here, from what the caller passes in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from simsec import i18n
from simsec.ui.context import AppContext, LaunchRequest, SessionOptions
from simsec.ui.modules import MODULES, ModuleSpec

if TYPE_CHECKING:
    from simsec.config import Settings
    from simsec.scenario.world_cache import WorldCache
    from simsec.ui.app import SimsecApp

__all__ = ["default_scenario_dirs", "make_app"]


def default_scenario_dirs(settings: Settings) -> tuple[Path, ...]:
    """Where the home looks for scenarios: ``./scenarios``, the scenarios shipped next
    to the package (a source checkout), and ``scenarios/`` in the user data directory."""
    from simsec import paths

    shipped = Path(__file__).resolve().parents[2] / "scenarios"
    candidates = [
        Path.cwd() / "scenarios",
        shipped,
        paths.data_dir(settings.data_dir) / "scenarios",
    ]
    unique: list[Path] = []
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved not in unique:
            unique.append(resolved)
    return tuple(unique)


def make_app(
    settings: Settings,
    *,
    lang: str | None = None,
    trainee: str = "",
    scenario: Path | None = None,
    resume: Path | None = None,
    scenario_dirs: Sequence[Path] | None = None,
    runs_dir: Path | None = None,
    speed: float = 1.0,
    tick_seconds: float = 1.0,
    fsync: bool = True,
    assessed: bool = True,
    cache: WorldCache | None = None,
    wall_clock: Callable[[], datetime] | None = None,
    modules: tuple[ModuleSpec, ...] = MODULES,
    keymap: Mapping[str, str] | None = None,
    theme: str = "textual-dark",
) -> SimsecApp:
    """Build the app.

    ``scenario`` (``simsec play``) or ``resume`` starts that run at once instead of
    showing the home. ``runs_dir`` defaults to the settings' (the user data
    directory's ``runs/``); ``speed`` is the scenario clock's speed (scenario seconds per
    real second; 0 stops it: tests, snapshots); ``tick_seconds`` how often it moves.
    The language is ``lang``, else the settings', else French.
    """
    from simsec import paths
    from simsec.ui.app import SimsecApp

    chosen = i18n.normalise_lang(lang or settings.lang) or i18n.DEFAULT_LANG
    i18n.activate(chosen)
    data_dir = paths.data_dir(settings.data_dir)
    options = SessionOptions(
        runs_dir=runs_dir if runs_dir is not None else settings.runs_dir(),
        speed=speed,
        fsync=fsync,
        cache=cache,
        cache_dir=data_dir / "worlds",
        wall_clock=wall_clock,
        assessed=assessed,
    )
    launch = None
    if scenario is not None or resume is not None:
        launch = LaunchRequest(scenario=scenario, resume=resume)
    context = AppContext(
        settings=settings,
        lang=chosen,
        options=options,
        scenario_dirs=tuple(scenario_dirs)
        if scenario_dirs is not None
        else default_scenario_dirs(settings),
        practice_dir=data_dir / "practice",
        modules=modules,
        trainee=trainee,
        launch=launch,
        theme=theme,
        keymap=dict(keymap or {}),
        tick_seconds=tick_seconds,
    )
    return SimsecApp(context)
