"""Positioned scenario errors: ``file:line:column: key.path: message``.

SCENARIO_FORMAT.md, "General rules": every error names ``file:line:column``, the key
path and what was expected, in French by default; all errors of a file are reported at
once. Each error carries a stable ``code`` (for tools and tests) and its parameters;
the message is rendered in the current language by :mod:`simsec.texts.scenario`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from simsec.texts.scenario import render

__all__ = [
    "ErrorCode",
    "Path",
    "Position",
    "ScenarioError",
    "ScenarioInvalidError",
    "format_path",
    "sort_errors",
    "suggest",
    "value_error_params",
]

#: A key path in the YAML document: mapping keys and list indexes.
Path = tuple[str | int, ...]


class ErrorCode(StrEnum):
    """Stable codes of the loader and of the semantic validator.

    Schema errors use ``schema.<pydantic error type>`` (``schema.missing``,
    ``schema.extra_forbidden``, ``schema.simsec_time``...).
    """

    # reading and YAML
    UNREADABLE = "io.unreadable"
    TOO_LARGE = "yaml.too_large"
    ENCODING = "yaml.encoding"
    SYNTAX = "yaml.syntax"
    EMPTY = "yaml.empty"
    MULTIPLE_DOCUMENTS = "yaml.multiple_documents"
    TAG = "yaml.tag"
    ANCHOR = "yaml.anchor"
    ALIAS = "yaml.alias"
    DUPLICATE_KEY = "yaml.duplicate_key"
    COMPLEX_KEY = "yaml.complex_key"
    TOO_DEEP = "yaml.too_deep"
    TOO_MANY_NODES = "yaml.too_many_nodes"
    # meaning
    REF_UNKNOWN = "ref.unknown"
    REF_FOUND_OUTSIDE_SOLUTION = "ref.found_outside_solution"
    KEY_DUPLICATE = "key.duplicate"
    AS_SHADOWS = "key.as_shadows"
    AS_NOTHING_CREATED = "key.as_nothing_created"
    TIME_OUTSIDE = "time.outside"
    TIME_BACKWARDS = "time.backwards"
    HOURS_OVERLAP = "hours.overlap"
    PERIOD_ORDER = "period.order"
    NIR_INVALID = "nir.invalid"
    NIR_INCOHERENT = "nir.incoherent"
    RPPS_INVALID = "rpps.invalid"
    COMPETENCY_UNKNOWN = "competency.unknown"
    DOCUMENT_FIELD = "document.field"
    DOCUMENT_DATES = "document.dates"
    APPOINTMENT_TYPE = "appointment.type"
    MATCH_FIELD_UNKNOWN = "check.field_unknown"
    MATCH_VALUE_INVALID = "check.value_invalid"
    MATCH_OPERATOR = "check.operator"
    STATE_FIELD_UNKNOWN = "check.state_field_unknown"
    EVENT_KIND = "check.event_kind"
    NO_SOLUTION = "solution.none"
    EXPECT_BOTH = "solution.expect_both"
    WAIT_OUTSIDE_SOLUTION = "action.wait_outside_solution"
    PATIENT_DATES = "patient.dates"
    WAITLIST_TYPE = "waitlist.type"
    WAITLIST_SINCE = "waitlist.since"


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A 1-based line and column in the file."""

    line: int
    column: int


def format_path(path: Iterable[str | int]) -> str:
    """``("people", 0, "documents", 1, "kind")`` → ``people[0].documents[1].kind``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass(frozen=True, slots=True)
class ScenarioError:
    """One finding, positioned. ``message`` is rendered when the error is built."""

    file: str
    line: int
    column: int
    path: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    message: str = ""

    @classmethod
    def build(
        cls,
        file: str,
        position: Position,
        path: Iterable[str | int],
        code: str,
        params: Mapping[str, Any] | None = None,
    ) -> ScenarioError:
        """An error whose message is rendered now, in the current language."""
        values = dict(params or {})
        return cls(
            file=file,
            line=position.line,
            column=position.column,
            path=format_path(path),
            code=str(code),
            params=values,
            message=render(str(code), values),
        )

    def format(self) -> str:
        """``file:line:column: path: message`` (the path is omitted at the top level)."""
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "code": self.code,
            "message": self.message,
        }


def sort_errors(errors: Iterable[ScenarioError]) -> list[ScenarioError]:
    """Errors in file order, without duplicates."""
    unique: dict[tuple[int, int, str, str], ScenarioError] = {}
    for error in errors:
        unique.setdefault((error.line, error.column, error.path, error.message), error)
    return sorted(unique.values(), key=lambda e: (e.file, e.line, e.column, e.path, e.code))


class ScenarioInvalidError(Exception):
    """Raised by :func:`simsec.scenario.loader.load_scenario_or_raise` with every error."""

    def __init__(self, errors: list[ScenarioError]) -> None:
        self.errors = errors
        super().__init__("\n".join(error.format() for error in errors))


def suggest(word: Any, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word`` (a likely typo), or None."""
    if not isinstance(word, str):
        return None
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _quoted_values(text: str) -> list[str]:
    """``"'a', 'b' or 'c'"`` → ``["a", "b", "c"]``."""
    return re.findall(r"'([^']*)'", text)


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def value_error_params(
    error_type: str, ctx: Mapping[str, Any], msg: str, value: Any
) -> tuple[str, dict[str, Any]]:
    """The message code and parameters for a pydantic error about ``value``.

    The code is ``schema.<error type>``; lists of allowed values lose pydantic's quotes
    and come with a suggestion for a likely typo.
    """
    params: dict[str, Any] = {key: _short(item) for key, item in ctx.items()}
    params["detail"] = _short(msg, 120)
    params["input"] = _short(value)
    code = "schema." + error_type
    if error_type in ("literal_error", "enum"):
        allowed = _quoted_values(str(ctx.get("expected", "")))
        params["expected"] = ", ".join(allowed) or str(ctx.get("expected", ""))
        params["suggestion"] = suggest(value, allowed)
    elif error_type in ("union_tag_invalid", "union_tag_not_found"):
        params["discriminator"] = str(ctx.get("discriminator", "")).strip("'")
        if error_type == "union_tag_invalid":
            tags = _quoted_values(str(ctx.get("expected_tags", "")))
            params["expected_tags"] = ", ".join(tags)
            params["tag"] = _short(ctx.get("tag", ""))
            params["suggestion"] = suggest(ctx.get("tag"), tags)
            if len(tags) > 12:
                code = "schema.union_tag_invalid_long"
    elif error_type == "simsec_check_kind":
        from simsec.scenario.model import CHECK_KINDS

        params["kinds"] = ", ".join(sorted(CHECK_KINDS))
        if isinstance(value, dict):
            keys = [key for key in value if key != "count"]
            if len(keys) == 1:
                params["suggestion"] = suggest(keys[0], CHECK_KINDS)
    elif error_type == "simsec_action_name":
        from simsec.actions.catalogue import ACTION_NAMES

        params["suggestion"] = suggest(value, ACTION_NAMES)
    return code, params
