"""Shared helpers for the scenario tests: the complete example and small edits of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from simsec.scenario.errors import ScenarioError
from simsec.scenario.loader import LoadResult, load_scenario_bytes

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "exemple_complet.yaml"


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def load_text(text: str, *, semantic: bool = True) -> LoadResult:
    return load_scenario_bytes(text.encode("utf-8"), "s.yaml", semantic=semantic)


def edited(old: str, new: str) -> LoadResult:
    """Load the example with the first ``old`` replaced by ``new``."""
    text = example_text()
    assert old in text, old
    return load_text(text.replace(old, new, 1))


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` in ``text``."""
    return text[: text.index(needle)].count("\n") + 1


def only(result: LoadResult) -> ScenarioError:
    assert len(result.errors) == 1, [error.format() for error in result.errors]
    return result.errors[0]


@pytest.fixture
def example() -> str:
    return example_text()
