"""Fixtures of the UI tests: the app built by the factory on the test scenarios, a
frozen scenario clock, no fsync, one world cache per process, and Pilot helpers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ui_support import _CACHE, DATA, fake_wall

from simsec.config import Settings
from simsec.scenario.world_cache import WorldCache
from simsec.ui.app import SimsecApp
from simsec.ui.factory import make_app


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
