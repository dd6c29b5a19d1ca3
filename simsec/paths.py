"""Where simsec keeps its files: the user data directory (platformdirs)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "simsec"


def data_dir(override: Path | None = None) -> Path:
    """The data directory (created on demand). ``override`` wins (settings, tests)."""
    path = override if override is not None else user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_url(base: Path | None = None) -> str:
    """The embedded default database: an SQLite file in the data directory."""
    return f"sqlite:///{data_dir(base) / 'simsec.sqlite3'}"


def runs_dir(base: Path | None = None) -> Path:
    path = data_dir(base) / "runs"
    path.mkdir(parents=True, exist_ok=True)
    return path
