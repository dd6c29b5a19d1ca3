"""Writing and reading a run log (RUNLOG_FORMAT.md)."""

from __future__ import annotations

import itertools
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from simsec.runlog.canonical import canonical_bytes, record_hash
from simsec.runlog.reader import IssueCode, LogIssue, iter_log, read_log
from simsec.runlog.records import FORMAT, Record, format_wall
from simsec.runlog.verify import verify_log
from simsec.runlog.writer import RunLogError, RunLogWriter, log_file_name, safe_name
from tests.runlog.conftest import START, fake_clock, write_sample


def test_file_name_is_scenario_trainee_and_compact_utc_start() -> None:
    started = datetime(2026, 3, 2, 8, 45, 7, tzinfo=UTC)
    assert (
        log_file_name("accueil_premiere_consultation", "Émilie D'Aubigné", started)
        == "accueil_premiere_consultation_emilie-d-aubigne_20260302T084507Z.jsonl"
    )
    assert safe_name("../../etc/passwd") == "etc-passwd"
    assert safe_name("   ") == "anonyme"
    assert len(safe_name("x" * 300)) == 40


def test_a_second_run_in_the_same_second_gets_its_own_file(tmp_path: Path) -> None:
    clock = lambda: datetime(2026, 3, 2, 7, 45, tzinfo=UTC)  # noqa: E731
    first = RunLogWriter.create(tmp_path, scenario_id="s", trainee="t", wall_clock=clock)
    second = RunLogWriter.create(tmp_path, scenario_id="s", trainee="t", wall_clock=clock)
    assert first.path != second.path
    assert second.path.name == "s_t_20260302T074500Z-2.jsonl"
    first.close()
    second.close()


def test_records_follow_the_format(tmp_path: Path) -> None:
    path = write_sample(tmp_path)
    lines = path.read_bytes().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["seq"] for r in records] == list(range(len(records)))
    assert [r["kind"] for r in records] == [
        "header", "event", "action", "action", "view", "action", "event", "end",
    ]  # fmt: skip
    header = records[0]
    assert header["prev"] == ""
    assert header["format"] == FORMAT
    assert header["scenario"] == {
        "id": "exemple_complet",
        "sha256": "ab" * 32,
        "path": "scenarios/exemple_complet.yaml",
    }
    assert {"simsec_version", "seed", "trainee", "locale", "guidance", "started"} <= set(header)
    assert header["t"] == "2026-03-02T08:45:00"
    stamp = path.name.rsplit("_", 1)[1].removesuffix(".jsonl")
    assert header["started"].startswith(
        f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]}"
    )
    assert header["wall"].endswith("Z") and len(header["wall"]) == len("2026-03-02T07:45:01.500Z")
    for previous, record in itertools.pairwise(records):
        assert record["prev"] == previous["hash"]
    for line, record in zip(lines, records, strict=True):
        assert line == canonical_bytes(record)
        assert record["hash"] == record_hash(record)
    assert records[2]["with"] == {"person": "v_dupont"} and records[2]["result"] == {"ok": True}
    assert records[3]["as"] == "recherche1"
    assert records[5]["result"]["error"]["code"] == "agenda.conflict"
    assert records[1]["event_kind"] == "visitor" and records[1]["id"] == "arrivee_dupont"
    assert records[7]["reason"] == "completed"
    assert "« ici »".encode() in lines[6]


def test_canonical_json_is_sorted_compact_and_not_ascii_escaped() -> None:
    assert canonical_bytes({"b": 1, "a": "é", "c": [1, {"z": None, "y": True}]}) == (
        '{"a":"é","b":1,"c":[1,{"y":true,"z":null}]}'.encode()
    )
    with pytest.raises(ValueError):
        canonical_bytes({"a": float("nan")})


def test_every_record_is_fsynced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    with RunLogWriter.create(
        tmp_path, scenario_id="s", trainee="t", wall_clock=fake_clock()
    ) as log:
        before = len(synced)
        log.append("header", START, {"format": FORMAT})
        log.append("event", START, {"id": "e"})
        assert len(synced) - before == 2


def test_the_wall_clock_is_injected(tmp_path: Path) -> None:
    moments = iter([datetime(2026, 1, 1, 12, 0, 0, 123000, tzinfo=UTC)] * 3)
    with RunLogWriter.create(
        tmp_path, scenario_id="s", trainee="t", wall_clock=lambda: next(moments), fsync=False
    ) as log:
        record = log.append("header", START, {"format": FORMAT})
    assert record.wall == "2026-01-01T12:00:00.123Z"
    assert format_wall(datetime(2026, 1, 1, 13, 0, tzinfo=UTC).astimezone()) == (
        "2026-01-01T13:00:00.000Z"
    )


def test_reserved_fields_and_a_missing_header_are_refused(tmp_path: Path) -> None:
    with RunLogWriter.create(
        tmp_path, scenario_id="s", trainee="t", wall_clock=fake_clock()
    ) as log:
        with pytest.raises(ValueError):
            log.append("event", START, {"id": "e"})
        with pytest.raises(ValueError):
            log.append("header", START, {"seq": 3})


def test_reader_yields_records_in_order(tmp_path: Path) -> None:
    log = read_log(write_sample(tmp_path))
    assert log.issues == []
    assert [record.seq for record in log.records] == list(range(8))
    assert log.header is not None and log.header.get("trainee") == "Émilie Durand"
    assert log.end is not None and log.end.get("reason") == "completed"
    assert [r.get("do") for r in log.of_kind("action")] == [
        "attend", "search_patients", "book_appointment",
    ]  # fmt: skip


def test_a_truncated_last_line_is_a_warning_and_skipped(tmp_path: Path) -> None:
    path = write_sample(tmp_path)
    data = path.read_bytes()
    cut = data[: len(data) - 25]
    items = list(iter_log(cut))
    assert all(isinstance(item, Record) for item in items[:-1])
    warning = items[-1]
    assert isinstance(warning, LogIssue) and warning.code == IssueCode.TRUNCATED
    assert warning.is_warning and warning.line == 8
    assert "incomplète" in warning.message
    report = verify_log_bytes(cut)
    assert report.ok and report.last_seq == 6 and not report.complete


def verify_log_bytes(data: bytes):  # type: ignore[no-untyped-def]
    from simsec.runlog.verify import verify_bytes

    return verify_bytes(data)


def test_corrupt_middle_lines_are_reported_with_their_line(tmp_path: Path) -> None:
    data = write_sample(tmp_path).read_bytes().splitlines(keepends=True)
    data[2] = b"not json\n"
    data[4] = b"[1, 2]\n"
    data[5] = b'{"seq": 5}\n'
    log = read_log(b"".join(data))
    assert [(issue.line, issue.code) for issue in log.errors] == [
        (3, IssueCode.NOT_JSON),
        (5, IssueCode.NOT_OBJECT),
        (6, IssueCode.MISSING_FIELD),
    ]
    assert len(log.records) == 5


def test_an_unreadable_file_is_an_issue(tmp_path: Path) -> None:
    (issue,) = read_log(tmp_path / "absent.jsonl").issues
    assert issue.code == IssueCode.UNREADABLE_FILE
    assert not verify_log(tmp_path / "absent.jsonl").ok


def test_extend_appends_grades_to_the_chain(tmp_path: Path) -> None:
    path = write_sample(tmp_path)
    with RunLogWriter.extend(path, wall_clock=fake_clock(), fsync=False) as log:
        record = log.grade(START, "posture", 2, "Accueil chaleureux", "M. Jury")
    assert record.seq == 8
    report = verify_log(path)
    assert report.ok and report.last_seq == 8
    assert report.records[-1].get("criterion") == "posture"


def test_extend_cuts_a_truncated_tail_first(tmp_path: Path) -> None:
    path = write_sample(tmp_path)
    path.write_bytes(path.read_bytes()[:-30])
    with RunLogWriter.extend(path, wall_clock=fake_clock(), fsync=False) as log:
        log.grade(START, "posture", 1, "", "M. Jury")
    report = verify_log(path)
    assert report.ok and report.warnings == [] and report.last_seq == 7


def test_extend_refuses_a_broken_log(tmp_path: Path) -> None:
    path = write_sample(tmp_path)
    data = bytearray(path.read_bytes())
    data[100] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(RunLogError):
        RunLogWriter.extend(path, wall_clock=fake_clock())
