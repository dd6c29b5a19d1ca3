"""The records of a run log ``simsec/run@1`` (RUNLOG_FORMAT.md).

Every record has ``seq`` (0, 1, 2... with no gap), ``kind``, ``t`` (scenario time, local
ISO date-time), ``wall`` (UTC ISO with milliseconds, for the assessor only, never for
scoring), ``prev`` (the previous record's ``hash``, ``""`` for the header) and ``hash``.
The other fields depend on the kind; the ``*_body`` functions build them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

from simsec.runlog.canonical import jsonable

__all__ = [
    "COMMON_FIELDS",
    "FORMAT",
    "EndReason",
    "Record",
    "RecordKind",
    "action_body",
    "end_body",
    "event_body",
    "format_t",
    "format_wall",
    "grade_body",
    "header_body",
    "view_body",
]

FORMAT: Final = "simsec/run@1"
#: Formats this version reads (RUNLOG_FORMAT.md guarantee 4: older logs stay readable).
READABLE_FORMATS: Final = frozenset({FORMAT})

COMMON_FIELDS: Final = ("seq", "kind", "t", "wall", "prev", "hash")


class RecordKind(StrEnum):
    HEADER = "header"
    EVENT = "event"
    ACTION = "action"
    VIEW = "view"
    GRADE = "grade"
    END = "end"


class EndReason(StrEnum):
    COMPLETED = "completed"
    TIME_UP = "time_up"
    ABANDONED = "abandoned"


@dataclass(frozen=True, slots=True)
class Record:
    """One record as read from a log: the common fields and the kind's own ``body``."""

    seq: int
    kind: str
    t: str
    wall: str
    prev: str
    hash: str
    body: Mapping[str, Any] = field(default_factory=dict)
    line: int = 0
    """1-based line in the file (0 when the record was not read from a file)."""

    def get(self, name: str, default: Any = None) -> Any:
        """A field of the body (``do``, ``with``, ``result``...)."""
        return self.body.get(name, default)

    def as_dict(self) -> dict[str, Any]:
        """The record as written (common fields and body)."""
        return {
            **self.body,
            "seq": self.seq,
            "kind": self.kind,
            "t": self.t,
            "wall": self.wall,
            "prev": self.prev,
            "hash": self.hash,
        }

    @property
    def scenario_time(self) -> datetime | None:
        """``t`` as a naive local datetime (None when unreadable)."""
        try:
            return datetime.fromisoformat(self.t)
        except ValueError:
            return None


def format_t(value: datetime | str) -> str:
    """Scenario time: local ISO date-time, to the second (milliseconds if any)."""
    if isinstance(value, str):
        return value
    spec = "seconds" if value.microsecond == 0 else "milliseconds"
    return value.replace(tzinfo=None).isoformat(timespec=spec)


def format_wall(value: datetime) -> str:
    """Wall-clock time: UTC ISO with milliseconds, ``2026-03-02T07:45:10.123Z``.

    A naive datetime is taken as UTC.
    """
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def header_body(
    *,
    simsec_version: str,
    scenario_id: str,
    scenario_sha256: str,
    scenario_path: str,
    seed: int,
    trainee: str,
    locale: str,
    guidance: str,
    started: datetime,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The fields of a ``header`` record."""
    return {
        "format": FORMAT,
        "simsec_version": simsec_version,
        "scenario": {"id": scenario_id, "sha256": scenario_sha256, "path": scenario_path},
        "seed": seed,
        "trainee": trainee,
        "locale": locale,
        "guidance": guidance,
        "started": format_wall(started),
        **jsonable(dict(extra or {})),
    }


def event_body(event_id: str, event_kind: str, shown: Mapping[str, Any]) -> dict[str, Any]:
    """A timeline event firing: its ``id``, its kind (``event_kind``) and what was shown."""
    return {"id": event_id, "event_kind": event_kind, "shown": jsonable(dict(shown))}


def action_body(
    do: str,
    with_: Mapping[str, Any],
    result: Mapping[str, Any],
    as_: str | None = None,
) -> dict[str, Any]:
    """An action: ``do``, ``with`` (entity references as stable keys), ``as`` if any, and
    ``result``: ``{ok: true, ...data}`` or ``{ok: false, error: {code, message}}``."""
    outcome = jsonable(dict(result))
    if not isinstance(outcome.get("ok"), bool):
        raise ValueError("an action result needs ok: true or false")
    body: dict[str, Any] = {"do": do, "with": jsonable(dict(with_)), "result": outcome}
    if as_ is not None:
        body["as"] = as_
    return body


def view_body(entity: str, key: str, detail: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What the trainee opened (a patient record, an agenda day, a request): not replayed,
    but checks and assessors see it (confidentiality: who looked at what)."""
    body: dict[str, Any] = {"entity": entity, "key": key}
    if detail:
        body["detail"] = jsonable(dict(detail))
    return body


def grade_body(criterion: str, points: Any, comment: str, assessor: str) -> dict[str, Any]:
    """An assessor's manual grade or comment (appended by the replay viewer)."""
    return {
        "criterion": criterion,
        "points": jsonable(points),
        "comment": comment,
        "assessor": assessor,
    }


def end_body(reason: EndReason | str, score: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The end of the run: ``reason`` and the automatic score summary."""
    return {"reason": str(EndReason(reason)), "score": jsonable(dict(score or {}))}
