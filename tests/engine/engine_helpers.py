"""Helpers of the engine tests (imported by the tests and by ``conftest.py``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from simsec.scenario.loader import LoadResult, load_scenario_bytes
from simsec.scenario.model import Check

DATA = Path(__file__).parent / "data"
SCENARIO_FILE = DATA / "accueil.yaml"

_CHECK: TypeAdapter[Any] = TypeAdapter(Check)


def fake_wall() -> Callable[[], datetime]:
    """A wall clock that never reads the real clock."""
    state = {"now": datetime(2026, 3, 2, 7, 45, tzinfo=UTC)}

    def now() -> datetime:
        state["now"] += timedelta(milliseconds=250)
        return state["now"]

    return now


def parse_check(data: Mapping[str, Any]) -> Any:
    """A rubric check from its YAML-like form."""
    return _CHECK.validate_python(data)


def variant(text: str, *replacements: tuple[str, str]) -> bytes:
    """The test scenario's text with ``old → new`` replacements (each must apply once)."""
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode("utf-8")


def load_variant(data: bytes, name: str = "variant.yaml") -> LoadResult:
    result = load_scenario_bytes(data, name)
    assert result.ok, [str(e) for e in result.errors]
    return result
