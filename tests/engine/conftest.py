"""Fixtures of the engine tests: the small test scenario, one world cache per process,
and a way to start runs on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import click
import pytest
from engine_helpers import SCENARIO_FILE, fake_wall

from simsec.cli import scenario_test, score
from simsec.scenario.loader import LoadResult, load_scenario
from simsec.scenario.model import Scenario
from simsec.scenario.run import Run
from simsec.scenario.world_cache import WorldCache

_CACHE = WorldCache()


@pytest.fixture(scope="session")
def cache() -> WorldCache:
    return _CACHE


@pytest.fixture(scope="session")
def loaded() -> LoadResult:
    result = load_scenario(SCENARIO_FILE)
    assert result.ok, [str(e) for e in result.errors]
    return result


@pytest.fixture(scope="session")
def scenario(loaded: LoadResult) -> Scenario:
    assert loaded.scenario is not None
    return loaded.scenario


@pytest.fixture(scope="session")
def scenario_text() -> str:
    return SCENARIO_FILE.read_text(encoding="utf-8")


@pytest.fixture
def start_run(loaded: LoadResult, cache: WorldCache) -> Callable[..., Run]:
    """``start_run(scenario=None, **kwargs)``: a new run on a fresh t=0 database."""

    def start(scenario: Scenario | None = None, **kwargs: Any) -> Run:
        chosen = scenario or loaded.scenario
        assert chosen is not None
        kwargs.setdefault("sha256", loaded.sha256 if scenario is None else None)
        kwargs.setdefault("wall_clock", fake_wall())
        kwargs.setdefault("fsync", False)
        return Run.start(chosen, cache=cache, **kwargs)

    return start


@pytest.fixture
def cli() -> Iterator[click.Group]:
    """A root group with ``score`` and ``scenario test`` (as the lead will register them)."""

    @click.group()
    def root() -> None:
        pass

    score.register(root)

    @root.group()
    def scenario() -> None:
        pass

    scenario_test.add_test_command(scenario)
    yield root
