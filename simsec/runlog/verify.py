"""Verify a run log's integrity: canonical lines, ``seq`` continuity, ``prev`` links, hashes.

RUNLOG_FORMAT.md, guarantee 1: any change to any byte of a record, a removed record or a
reordering is reported with its ``seq``. The verifier walks the lines in order and stops
at the first record that fails; ``first_bad_seq`` is the ``seq`` that record should have
had (its position in the chain), so that a changed byte, a removed record and a swapped
pair all name the first place where the log stops being the one that was written.

What a hash chain cannot see: records removed *at the end* leave a shorter valid chain,
exactly like a run killed by a crash. The report says whether the log ends with an
``end`` record (``complete``); an external anchor (the last hash kept elsewhere, e.g. in
the database) is needed to tell a cut log from a killed run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from simsec.runlog.canonical import canonical_bytes, record_hash
from simsec.runlog.reader import (
    IssueCode,
    LogIssue,
    classify_tail,
    parse_line,
    split_lines,
)
from simsec.runlog.records import READABLE_FORMATS, Record, RecordKind
from simsec.texts.runlog import problem_message

__all__ = ["Problem", "ProblemCode", "VerifyReport", "verify_bytes", "verify_log"]


class ProblemCode(StrEnum):
    """Why a record fails verification (French text in :mod:`simsec.texts.runlog`)."""

    UNREADABLE = "verify.unreadable"
    NOT_CANONICAL = "verify.not_canonical"
    SEQ = "verify.seq"
    PREV = "verify.prev"
    HASH = "verify.hash"
    NO_HEADER = "verify.no_header"
    FORMAT = "verify.format"
    EMPTY = "verify.empty"


@dataclass(frozen=True, slots=True)
class Problem:
    """The record at ``seq`` (its place in the chain; line ``line``) is not as written."""

    seq: int
    line: int
    code: ProblemCode
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return problem_message(str(self.code), {"seq": self.seq, "line": self.line, **self.params})


@dataclass
class VerifyReport:
    """The outcome of :func:`verify_log`."""

    records: list[Record]
    """The records verified, in order (all of them when ``ok``)."""
    problem: Problem | None
    """The first failure, if any (verification stops there)."""
    warnings: list[LogIssue]
    """A truncated last line (a killed run), a missing final newline."""

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def first_bad_seq(self) -> int | None:
        return None if self.problem is None else self.problem.seq

    @property
    def last_seq(self) -> int | None:
        return self.records[-1].seq if self.records else None

    @property
    def complete(self) -> bool:
        """The run ended normally (an ``end`` record is present)."""
        return any(record.kind == RecordKind.END for record in self.records)

    @property
    def header(self) -> Record | None:
        return self.records[0] if self.records else None


def _check(raw: bytes, line: int, seq: int, prev: str) -> Record | Problem:
    """Check one line against its expected place in the chain."""
    parsed = parse_line(raw, line)
    if isinstance(parsed, LogIssue):
        return Problem(seq, line, ProblemCode.UNREADABLE, {"detail": parsed.message})
    whole = dict(parsed.body) | {
        "seq": parsed.seq,
        "kind": parsed.kind,
        "t": parsed.t,
        "wall": parsed.wall,
        "prev": parsed.prev,
        "hash": parsed.hash,
    }
    try:
        canonical = canonical_bytes(whole) == raw
    except (ValueError, TypeError):
        canonical = False
    if not canonical:
        return Problem(seq, line, ProblemCode.NOT_CANONICAL)
    if parsed.seq != seq:
        return Problem(seq, line, ProblemCode.SEQ, {"found": parsed.seq})
    if parsed.prev != prev:
        return Problem(seq, line, ProblemCode.PREV)
    if record_hash(whole) != parsed.hash:
        return Problem(seq, line, ProblemCode.HASH)
    if seq == 0:
        if parsed.kind != RecordKind.HEADER:
            return Problem(seq, line, ProblemCode.NO_HEADER, {"kind": parsed.kind})
        if parsed.get("format") not in READABLE_FORMATS:
            return Problem(seq, line, ProblemCode.FORMAT, {"format": str(parsed.get("format"))})
    return parsed


def verify_bytes(data: bytes) -> VerifyReport:
    """Verify a log held in memory (see :func:`verify_log`)."""
    lines, tail = split_lines(data)
    records: list[Record] = []
    warnings: list[LogIssue] = []
    prev = ""
    for index, raw in enumerate(lines):
        checked = _check(raw, index + 1, len(records), prev)
        if isinstance(checked, Problem):
            return VerifyReport(records, checked, warnings)
        records.append(checked)
        prev = checked.hash
    last = classify_tail(tail, len(lines) + 1)
    if isinstance(last, Record):
        checked = _check(tail, len(lines) + 1, len(records), prev)
        if isinstance(checked, Problem):
            return VerifyReport(records, checked, warnings)
        records.append(checked)
        warnings.append(LogIssue(len(lines) + 1, IssueCode.NO_FINAL_NEWLINE))
    elif isinstance(last, LogIssue):
        if last.is_warning:
            warnings.append(last)
        else:
            problem = Problem(
                len(records), last.line, ProblemCode.UNREADABLE, {"detail": last.message}
            )
            return VerifyReport(records, problem, warnings)
    if not records:
        return VerifyReport(records, Problem(0, 1, ProblemCode.EMPTY), warnings)
    return VerifyReport(records, None, warnings)


def verify_log(path: Path | str) -> VerifyReport:
    """Verify the log at ``path``: every hash, every ``prev`` link, ``seq`` continuity.

    Never raises for bad content; an unreadable file is reported as a problem at seq 0.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        issue = LogIssue(0, IssueCode.UNREADABLE_FILE, {"reason": exc.strerror or str(exc)})
        problem = Problem(0, 0, ProblemCode.UNREADABLE, {"detail": issue.message})
        return VerifyReport([], problem, [])
    return verify_bytes(data)
