"""Test-wide fixtures: no randomness, no user directories, French by default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from simsec import i18n

#: the real PostgreSQL server of the database tests: session header and summary line
pytest_plugins = ["pg"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SIMSEC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SIMSEC_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    i18n.activate("fr")
    yield
