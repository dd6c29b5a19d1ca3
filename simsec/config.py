"""Settings: environment variables prefixed ``SIMSEC_`` (``SIMSEC_LANG``, ``SIMSEC_DATA_DIR``,
``SIMSEC_DB``), or values passed explicitly by the CLI and the tests.

A plain frozen dataclass rather than pydantic-settings: three optional strings need no
validation framework, and importing one would cost the TUI a fifth of its cold start
(measured by ``make bench ARGS=ui``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from simsec import paths

ENV_PREFIX = "SIMSEC_"


def _env(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    value = (os.environ if environ is None else environ).get(ENV_PREFIX + name, "").strip()
    return value or None


def _env_path(name: str) -> Path | None:
    value = _env(name)
    return Path(value).expanduser() if value else None


@dataclass(frozen=True)
class Settings:
    """Runtime settings. Built by the CLI or the tests and passed down, never global.

    Omitted fields come from the environment at construction time.
    """

    lang: str | None = field(default_factory=lambda: _env("LANG"))
    data_dir: Path | None = field(default_factory=lambda: _env_path("DATA_DIR"))
    db: str | None = field(default_factory=lambda: _env("DB"))

    def db_url(self) -> str:
        return self.db or paths.default_db_url(self.data_dir)

    def runs_dir(self) -> Path:
        return paths.runs_dir(self.data_dir)
