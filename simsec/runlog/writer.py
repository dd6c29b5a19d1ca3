"""Write a run log: one canonical JSON line per record, flushed and fsync'd, hash-chained.

RUNLOG_FORMAT.md: JSON Lines, UTF-8, one record per line, appended and flushed (and
fsync'd) after each record, so that a crash loses at most the record being written;
one file per run under the user data directory (``runs/``), named
``<scenario id>_<trainee>_<UTC start, compact>.jsonl``. ``wall`` comes from the clock
given to the writer (a callable), so that tests and replays control it; scenario time
``t`` is always passed in by the caller.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

from simsec.runlog.canonical import canonical_bytes, record_hash
from simsec.runlog.reader import IssueCode, split_lines
from simsec.runlog.records import (
    COMMON_FIELDS,
    EndReason,
    Record,
    RecordKind,
    action_body,
    end_body,
    event_body,
    format_t,
    format_wall,
    grade_body,
    header_body,
    view_body,
)
from simsec.runlog.verify import verify_bytes

__all__ = ["RunLogError", "RunLogWriter", "WallClock", "log_file_name", "safe_name"]

#: A callable giving the current wall-clock time (aware, or naive meaning UTC).
WallClock = Callable[[], datetime]

_SAFE_RE: Final = re.compile(r"[^a-z0-9_-]+")
_MAX_NAME: Final = 40


class RunLogError(Exception):
    """The log cannot be written or extended (a message for the user, already French)."""


def safe_name(value: str, default: str = "anonyme") -> str:
    """A file-name-safe form of a trainee name or scenario id.

    Accents removed, lower case, anything but ``a-z 0-9 _ -`` becomes ``-``, at most 40
    characters: ``"Émilie D'Aubigné"`` → ``"emilie-d-aubigne"``.
    """
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    text = _SAFE_RE.sub("-", ascii_text.lower()).strip("-_")[:_MAX_NAME].strip("-_")
    return text or default


def log_file_name(scenario_id: str, trainee: str, started: datetime) -> str:
    """``<scenario id>_<trainee>_<UTC start, compact>.jsonl``, e.g.
    ``accueil_premiere_consultation_emilie-durand_20260302T074500Z.jsonl``."""
    moment = started.replace(tzinfo=UTC) if started.tzinfo is None else started.astimezone(UTC)
    stamp = moment.strftime("%Y%m%dT%H%M%SZ")
    return f"{safe_name(scenario_id, 'scenario')}_{safe_name(trainee)}_{stamp}.jsonl"


def _fsync_directory(directory: Path) -> None:
    """Make a new file's directory entry durable (POSIX; a no-op where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class RunLogWriter:
    """Appends records to one log file. Use :meth:`create` for a new run, :meth:`extend`
    to append to an existing log (an assessor's grades)."""

    def __init__(
        self,
        path: Path,
        fd: int,
        *,
        wall_clock: WallClock,
        next_seq: int = 0,
        prev: str = "",
        fsync: bool = True,
    ) -> None:
        self.path = path
        self._fd: int | None = fd
        self._wall_clock = wall_clock
        self._fsync = fsync
        self.next_seq = next_seq
        self.prev = prev
        self.started: datetime | None = None
        """The wall-clock start the file is named after (set by :meth:`create`)."""

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        directory: Path,
        *,
        scenario_id: str,
        trainee: str,
        wall_clock: WallClock,
        fsync: bool = True,
    ) -> Self:
        """A new, empty log file in ``directory`` (created if needed), named after the run.

        The name uses the clock's current time; if that file exists already, ``-2``,
        ``-3``... is added before ``.jsonl``.
        """
        directory.mkdir(parents=True, exist_ok=True)
        started = wall_clock()
        name = log_file_name(scenario_id, trainee, started)
        stem = name.removesuffix(".jsonl")
        for attempt in range(1, 1000):
            path = directory / (name if attempt == 1 else f"{stem}-{attempt}.jsonl")
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
            except FileExistsError:
                continue
            if fsync:
                _fsync_directory(directory)
            writer = cls(path, fd, wall_clock=wall_clock, fsync=fsync)
            writer.started = started
            return writer
        raise RunLogError(f"no free file name for {name} in {directory}")

    @classmethod
    def extend(cls, path: Path, *, wall_clock: WallClock, fsync: bool = True) -> Self:
        """Open an existing log to append to its chain (the replay viewer's grades).

        The log must verify; a truncated last line (a killed run) is cut off first, so
        that the new records follow the last complete one. Raises :class:`RunLogError`.
        """
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RunLogError(str(exc)) from None
        report = verify_bytes(data)
        if not report.ok or not report.records:
            message = report.problem.message if report.problem is not None else ""
            raise RunLogError(message)
        _lines, tail = split_lines(data)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        if tail and any(w.code == IssueCode.TRUNCATED for w in report.warnings):
            os.ftruncate(fd, len(data) - len(tail))
        elif tail:  # a complete last record without its newline
            os.write(fd, b"\n")
        last = report.records[-1]
        return cls(
            path, fd, wall_clock=wall_clock, next_seq=last.seq + 1, prev=last.hash, fsync=fsync
        )

    # -- writing -----------------------------------------------------------------------

    def append(self, kind: RecordKind | str, t: datetime | str, body: Mapping[str, Any]) -> Record:
        """Append one record and make it durable before returning it."""
        if self._fd is None:
            raise RunLogError("the log is closed")
        clash = set(body) & set(COMMON_FIELDS)
        if clash:
            raise ValueError(f"fields reserved for every record: {sorted(clash)}")
        if self.next_seq == 0 and str(kind) != RecordKind.HEADER:
            raise ValueError("the first record of a log is its header")
        record: dict[str, Any] = {
            **body,
            "seq": self.next_seq,
            "kind": str(kind),
            "t": format_t(t),
            "wall": format_wall(self._wall_clock()),
            "prev": self.prev,
        }
        record["hash"] = record_hash(record)
        line = canonical_bytes(record) + b"\n"
        self._write(line)
        self.next_seq += 1
        self.prev = record["hash"]
        common = {name: record[name] for name in COMMON_FIELDS}
        return Record(body=dict(body), line=self.next_seq, **common)

    def _write(self, line: bytes) -> None:
        assert self._fd is not None
        view = memoryview(line)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        if self._fsync:
            os.fsync(self._fd)

    def header(
        self,
        t: datetime | str,
        *,
        simsec_version: str,
        scenario_id: str,
        scenario_sha256: str,
        scenario_path: str,
        seed: int,
        trainee: str,
        locale: str,
        guidance: str,
        extra: Mapping[str, Any] | None = None,
    ) -> Record:
        """The header; ``started`` is the start the file is named after (else now)."""
        body = header_body(
            simsec_version=simsec_version,
            scenario_id=scenario_id,
            scenario_sha256=scenario_sha256,
            scenario_path=scenario_path,
            seed=seed,
            trainee=trainee,
            locale=locale,
            guidance=guidance,
            started=self.started if self.started is not None else self._wall_clock(),
            extra=extra,
        )
        return self.append(RecordKind.HEADER, t, body)

    def event(
        self, t: datetime | str, event_id: str, event_kind: str, shown: Mapping[str, Any]
    ) -> Record:
        return self.append(RecordKind.EVENT, t, event_body(event_id, event_kind, shown))

    def action(
        self,
        t: datetime | str,
        do: str,
        with_: Mapping[str, Any],
        result: Mapping[str, Any],
        as_: str | None = None,
    ) -> Record:
        return self.append(RecordKind.ACTION, t, action_body(do, with_, result, as_))

    def view(
        self, t: datetime | str, entity: str, key: str, detail: Mapping[str, Any] | None = None
    ) -> Record:
        return self.append(RecordKind.VIEW, t, view_body(entity, key, detail))

    def grade(
        self, t: datetime | str, criterion: str, points: Any, comment: str, assessor: str
    ) -> Record:
        return self.append(RecordKind.GRADE, t, grade_body(criterion, points, comment, assessor))

    def end(
        self, t: datetime | str, reason: EndReason | str, score: Mapping[str, Any] | None = None
    ) -> Record:
        return self.append(RecordKind.END, t, end_body(reason, score))

    # -- closing -----------------------------------------------------------------------

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
