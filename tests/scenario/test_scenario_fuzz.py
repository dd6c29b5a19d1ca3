"""Fuzzing the loader: any mutation of a valid file gives a scenario or positioned errors.

PRODUCT.md §6: a scenario file can never crash the program; bad YAML gives an error with
its position.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simsec.scenario.loader import load_scenario_bytes
from tests.scenario.conftest import EXAMPLE

LINES = EXAMPLE.read_bytes().splitlines(keepends=True)
JUNK = [
    b"&a ", b"*a", b"!!str ", b"!x ", b"{", b"}", b"[", b"]", b"- ", b": ", b"\t", b"\x00",
    b"\xff", b"\xc3", b"'", b'"', b"#", b"? ", b"---\n", b"...\n", b"null", b"~", b"true",
    b"yes", b"1e999", b"9" * 50, b"%YAML 1.1\n", b"<<: ", b"|\n", b">-\n", b",", b"0x1F",
    b"2026-02-30", b"2026-03-02T25:00", b"-1", b".inf", b"\xef\xbb\xbf", b"\r", b"\\u0000",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = list(LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if not lines:
            break
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "char", "junk"]))
        if operation == "delete":
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == "char":
            line = bytearray(lines[index])
            if line:
                line[draw(st.integers(min_value=0, max_value=len(line) - 1))] = draw(
                    st.integers(min_value=0, max_value=255)
                )
            lines[index] = bytes(line)
        else:
            line = lines[index]
            at = draw(st.integers(min_value=0, max_value=len(line)))
            junk = draw(st.one_of(st.sampled_from(JUNK), st.binary(max_size=8)))
            lines[index] = line[:at] + junk + line[at:]
    return b"".join(lines)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_file_gives_a_scenario_or_positioned_errors(data: bytes) -> None:
    result = load_scenario_bytes(data, "f.yaml")
    if result.scenario is not None:
        assert result.errors == []
        return
    assert result.errors
    line_count = data.count(b"\n") + 1
    for error in result.errors:
        assert 1 <= error.line <= line_count + 1
        assert error.column >= 1
        assert error.message
        assert error.format().startswith(f"f.yaml:{error.line}:{error.column}: ")
