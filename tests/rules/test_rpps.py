"""RPPS numbers: 11 digits, Luhn key; deterministic generation from a seed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from simsec.rules.rpps import RppsIssueCode, check_rpps, is_valid_rpps, make_rpps


def luhn_ok(number: str) -> bool:
    """Luhn written out, independently of the module: doubled every second digit from the right."""
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


@pytest.mark.parametrize("number", ["10003456786", "10000000009", "1 0000 0000 09"])
def test_valid_numbers(number: str) -> None:
    assert luhn_ok(number.replace(" ", ""))
    check = check_rpps(number)
    assert check.valid
    assert check.issues == ()
    assert check.value == number.replace(" ", "")


def test_wrong_key() -> None:
    check = check_rpps("10003456789")
    assert not check.valid
    assert [issue.code for issue in check.issues] == [RppsIssueCode.KEY]
    assert check.issues[0].params == {"expected": "6", "found": "9"}


@pytest.mark.parametrize("number", ["", "1000345678", "100034567888"])
def test_wrong_length(number: str) -> None:
    check = check_rpps(number)
    assert [issue.code for issue in check.issues] == [RppsIssueCode.LENGTH]
    assert check.issues[0].params == {"length": str(len(number))}


@pytest.mark.parametrize("number", ["1000345678A", "10003-56786", "１0003456786"])
def test_forbidden_characters(number: str) -> None:
    assert [issue.code for issue in check_rpps(number).issues] == [RppsIssueCode.CHARACTERS]


@given(st.integers(0, 10**12))
def test_made_numbers_are_valid(seed: int) -> None:
    number = make_rpps(seed)
    assert len(number) == 11
    assert number.startswith("10")
    assert is_valid_rpps(number)
    assert luhn_ok(number)
    assert luhn.is_valid(number)


def test_make_is_deterministic_and_distinct_for_distinct_seeds() -> None:
    numbers = [make_rpps(seed) for seed in range(5_000)]
    assert numbers == [make_rpps(seed) for seed in range(5_000)]
    assert len(set(numbers)) == len(numbers)
    assert make_rpps(0) != make_rpps(1)


def test_negative_seed_is_refused() -> None:
    with pytest.raises(ValueError):
        make_rpps(-1)


@given(st.integers(0, 10**8 - 1), st.integers(0, 10), st.sampled_from("0123456789"))
def test_any_single_digit_change_is_rejected(seed: int, position: int, digit: str) -> None:
    number = make_rpps(seed)
    mutated = number[:position] + digit + number[position + 1 :]
    assert is_valid_rpps(mutated) is (mutated == number)
