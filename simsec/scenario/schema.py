"""The JSON Schema of the scenario format, exported from the pydantic models.

ARCHITECTURE.md, habit 8: trainers get completion and checking in their editor
(``# yaml-language-server: $schema=...`` in the file, as the YAML language server
reads it). The schema describes the shape; ``simsec scenario validate`` also checks the
meaning (references, times, NIR keys...).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Final

from simsec.scenario.model import FORMAT, Scenario

__all__ = ["JSON_SCHEMA_DIALECT", "SCHEMA_FILE_NAME", "scenario_json_schema", "schema_text"]

JSON_SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE_NAME: Final = "simsec-scenario.schema.json"
"""The file name ``simsec scenario new`` writes next to a template."""


@cache
def _schema() -> str:
    schema: dict[str, Any] = Scenario.model_json_schema(by_alias=True, mode="validation")
    document = {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": FORMAT,
        **{key: value for key, value in schema.items() if key != "title"},
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``simsec/scenario@1``, as a fresh dict."""
    result: dict[str, Any] = json.loads(_schema())
    return result


def schema_text() -> str:
    """The JSON Schema as indented UTF-8 JSON text (ends with a newline)."""
    return _schema() + "\n"
