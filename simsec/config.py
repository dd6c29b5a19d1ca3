"""Settings (pydantic-settings): environment variables prefixed ``SIMSEC_``."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from simsec import paths


class Settings(BaseSettings):
    """Runtime settings. Built by the CLI or the tests and passed down, never global."""

    model_config = SettingsConfigDict(env_prefix="SIMSEC_", extra="ignore")

    lang: str | None = None
    data_dir: Path | None = None
    db: str | None = None

    def db_url(self) -> str:
        return self.db or paths.default_db_url(self.data_dir)

    def runs_dir(self) -> Path:
        return paths.runs_dir(self.data_dir)
