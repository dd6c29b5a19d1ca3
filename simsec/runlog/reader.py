"""Read a run log: records, and positioned issues instead of exceptions.

RUNLOG_FORMAT.md, "File": a crash loses at most the record being written; a truncated
last line is reported and ignored by readers, everything before it stays valid. Other
damage (a line that is not JSON, a missing field) is reported with its line number.
Reading checks the shape of each record; :mod:`simsec.runlog.verify` checks the chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from simsec.runlog.records import COMMON_FIELDS, Record, RecordKind
from simsec.texts.runlog import issue_message

__all__ = [
    "IssueCode",
    "LogIssue",
    "RunLog",
    "iter_log",
    "parse_line",
    "read_log",
    "split_lines",
]

_TYPES: Final[Mapping[str, type]] = {
    "seq": int,
    "kind": str,
    "t": str,
    "wall": str,
    "prev": str,
    "hash": str,
}


class IssueCode(StrEnum):
    """What can be wrong with a line (French text in :mod:`simsec.texts.runlog`)."""

    TRUNCATED = "runlog.truncated"
    NO_FINAL_NEWLINE = "runlog.no_final_newline"
    UNREADABLE_FILE = "runlog.unreadable_file"
    NOT_UTF8 = "runlog.not_utf8"
    NOT_JSON = "runlog.not_json"
    NOT_OBJECT = "runlog.not_object"
    MISSING_FIELD = "runlog.missing_field"
    BAD_FIELD = "runlog.bad_field"


WARNINGS: Final = frozenset({IssueCode.TRUNCATED, IssueCode.NO_FINAL_NEWLINE})


@dataclass(frozen=True, slots=True)
class LogIssue:
    """A problem of one line (``line`` is 1-based); warnings do not invalidate the log."""

    line: int
    code: IssueCode
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_warning(self) -> bool:
        return self.code in WARNINGS

    @property
    def message(self) -> str:
        return issue_message(str(self.code), {"line": self.line, **self.params})


def split_lines(data: bytes) -> tuple[list[bytes], bytes]:
    """The complete (newline-terminated) lines, and the unterminated tail (maybe empty)."""
    parts = data.split(b"\n")
    return parts[:-1], parts[-1]


def parse_line(raw: bytes, line: int) -> Record | LogIssue:
    """One line as a :class:`Record`, or the issue that prevents it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return LogIssue(line, IssueCode.NOT_UTF8, {"column": exc.start + 1})
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        column = getattr(exc, "colno", 0)
        return LogIssue(line, IssueCode.NOT_JSON, {"column": column})
    if not isinstance(value, dict):
        return LogIssue(line, IssueCode.NOT_OBJECT)
    return record_from_mapping(value, line)


def record_from_mapping(value: Mapping[str, Any], line: int = 0) -> Record | LogIssue:
    """A :class:`Record` from a decoded JSON object, or the issue with its fields."""
    for name in COMMON_FIELDS:
        if name not in value:
            return LogIssue(line, IssueCode.MISSING_FIELD, {"field": name})
        expected = _TYPES[name]
        item = value[name]
        if not isinstance(item, expected) or (expected is int and isinstance(item, bool)):
            return LogIssue(line, IssueCode.BAD_FIELD, {"field": name})
    body = {key: item for key, item in value.items() if key not in COMMON_FIELDS}
    return Record(
        seq=value["seq"],
        kind=value["kind"],
        t=value["t"],
        wall=value["wall"],
        prev=value["prev"],
        hash=value["hash"],
        body=body,
        line=line,
    )


def _is_complete_json(raw: bytes) -> bool:
    try:
        json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return False
    return True


def classify_tail(tail: bytes, line: int) -> Record | LogIssue | None:
    """The unterminated last line: a complete record (with a warning elsewhere), a
    truncated write (a warning), or damage (an error). None when there is no tail.

    A crash while writing leaves a *prefix* of a record: not complete JSON. A complete
    JSON line followed by one stray byte is not a prefix: that is damage (a changed
    newline), not a truncation.
    """
    if not tail:
        return None
    parsed = parse_line(tail, line)
    if isinstance(parsed, Record):
        return parsed
    if _is_complete_json(tail[:-1]):
        return LogIssue(line, IssueCode.NOT_JSON, {"column": len(tail)})
    return LogIssue(line, IssueCode.TRUNCATED, {"bytes": len(tail)})


def iter_log(source: Path | str | bytes) -> Iterator[Record | LogIssue]:
    """Yield every record of a log in order, and an issue for each damaged line.

    A truncated last line yields a warning issue (``TRUNCATED``) and is skipped; a last
    record without its final newline yields the record, then a ``NO_FINAL_NEWLINE``
    warning. Never raises for bad content; an unreadable file yields one issue.
    """
    if isinstance(source, bytes):
        data = source
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            yield LogIssue(0, IssueCode.UNREADABLE_FILE, {"reason": exc.strerror or str(exc)})
            return
    lines, tail = split_lines(data)
    for index, raw in enumerate(lines):
        yield parse_line(raw, index + 1)
    last = classify_tail(tail, len(lines) + 1)
    if isinstance(last, Record):
        yield last
        yield LogIssue(len(lines) + 1, IssueCode.NO_FINAL_NEWLINE)
    elif last is not None:
        yield last


@dataclass
class RunLog:
    """A whole log as read: its records and its issues."""

    records: list[Record]
    issues: list[LogIssue]

    @property
    def errors(self) -> list[LogIssue]:
        return [issue for issue in self.issues if not issue.is_warning]

    @property
    def warnings(self) -> list[LogIssue]:
        return [issue for issue in self.issues if issue.is_warning]

    @property
    def header(self) -> Record | None:
        first = self.records[0] if self.records else None
        return first if first is not None and first.kind == RecordKind.HEADER else None

    @property
    def end(self) -> Record | None:
        ends = [record for record in self.records if record.kind == RecordKind.END]
        return ends[-1] if ends else None

    def of_kind(self, kind: RecordKind | str) -> list[Record]:
        return [record for record in self.records if record.kind == str(kind)]


def read_log(source: Path | str | bytes) -> RunLog:
    """Every record and every issue of a log (see :func:`iter_log`)."""
    records: list[Record] = []
    issues: list[LogIssue] = []
    for item in iter_log(source):
        if isinstance(item, Record):
            records.append(item)
        else:
            issues.append(item)
    return RunLog(records, issues)
