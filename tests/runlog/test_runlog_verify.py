"""Tamper evidence: a changed byte, a removed record, a swapped pair are found, with the
first bad ``seq`` (RUNLOG_FORMAT.md, guarantee 1)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from simsec.runlog.verify import ProblemCode, verify_bytes
from tests.runlog.conftest import write_sample

with tempfile.TemporaryDirectory() as _directory:
    SAMPLE = write_sample(Path(_directory)).read_bytes()
LINES = SAMPLE.splitlines(keepends=True)
N = len(LINES)


def seq_of_byte(offset: int) -> int:
    """The record a byte belongs to (its newline included)."""
    return SAMPLE[:offset].count(b"\n")


def test_the_sample_verifies() -> None:
    report = verify_bytes(SAMPLE)
    assert report.ok and report.complete and report.last_seq == N - 1
    assert report.first_bad_seq is None


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_any_changed_byte_is_found_at_its_record(data: st.DataObject) -> None:
    offset = data.draw(st.integers(min_value=0, max_value=len(SAMPLE) - 1))
    value = data.draw(st.integers(min_value=0, max_value=255).filter(lambda b: b != SAMPLE[offset]))
    changed = bytearray(SAMPLE)
    changed[offset] = value
    report = verify_bytes(bytes(changed))
    assert not report.ok
    assert report.first_bad_seq == seq_of_byte(offset)
    assert report.problem is not None and str(report.first_bad_seq) in report.problem.message


@given(st.integers(min_value=0, max_value=N - 2))
def test_a_removed_record_is_found(index: int) -> None:
    report = verify_bytes(b"".join(LINES[:index] + LINES[index + 1 :]))
    assert report.first_bad_seq == index
    assert report.problem is not None and report.problem.code == ProblemCode.SEQ


def test_removing_the_last_record_leaves_an_incomplete_run() -> None:
    report = verify_bytes(b"".join(LINES[:-1]))
    assert report.ok and not report.complete


@given(st.integers(min_value=0, max_value=N - 1), st.integers(min_value=0, max_value=N - 1))
def test_a_swapped_pair_is_found(i: int, j: int) -> None:
    if i == j:
        return
    lines = list(LINES)
    lines[i], lines[j] = lines[j], lines[i]
    report = verify_bytes(b"".join(lines))
    assert report.first_bad_seq == min(i, j)


def test_a_recomputed_hash_still_breaks_the_next_link() -> None:
    import json

    from simsec.runlog.canonical import canonical_bytes, record_hash

    record = json.loads(LINES[3])
    record["with"] = {"birth_name": "MARTIN"}
    record["hash"] = record_hash(record)
    forged = [*LINES[:3], canonical_bytes(record) + b"\n", *LINES[4:]]
    report = verify_bytes(b"".join(forged))
    assert report.first_bad_seq == 4
    assert report.problem is not None and report.problem.code == ProblemCode.PREV


def test_a_log_must_start_with_its_header() -> None:
    assert verify_bytes(b"").problem is not None
    report = verify_bytes(b"".join(LINES[1:]))
    assert report.first_bad_seq == 0
