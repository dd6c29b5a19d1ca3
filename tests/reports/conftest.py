"""Fixtures of the report tests: the solution logs, played once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from reports_helpers import PlayedLog, play_solutions, scenario_files

from simsec.cli import cohort, report
from simsec.i18n import activate
from simsec.scenario.world_cache import WorldCache


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built worlds kept on disk, so that cohort workers read them instead of building."""
    return tmp_path_factory.mktemp("world-cache")


@pytest.fixture(scope="session")
def world_cache(cache_dir: Path) -> WorldCache:
    return WorldCache(cache_dir)


@pytest.fixture(scope="session")
def played(tmp_path_factory: pytest.TempPathFactory, world_cache: WorldCache) -> list[PlayedLog]:
    """Every solution of every shipped scenario, played headless (fixed wall clock), the
    reference ones graded by an assessor."""
    activate("fr")
    directory = tmp_path_factory.mktemp("solution-logs")
    return play_solutions(scenario_files(), directory, world_cache)


@pytest.fixture
def cli() -> Iterator[click.Group]:
    """A root group with ``report`` and ``cohort`` (as the lead registers them)."""

    @click.group()
    def root() -> None:
        pass

    report.register(root)
    cohort.register(root)
    yield root
