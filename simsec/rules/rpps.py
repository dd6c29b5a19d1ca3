"""RPPS: the 11-digit identifier of a health professional.

The RPPS number (répertoire partagé des professionnels intervenant dans le système de
santé, run by the ANS) has 11 digits, the last one a Luhn check digit (domain notes
``nir.md`` § RPPS; ``stdnum.luhn``). Numbers issued so far start with ``10`` [not
verified]: :func:`make_rpps` follows that shape, :func:`check_rpps` does not require it.

Pure: no clock, no I/O, no hidden randomness.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from stdnum import luhn

__all__ = [
    "RPPS_LENGTH",
    "RppsCheck",
    "RppsIssue",
    "RppsIssueCode",
    "check_rpps",
    "compact_rpps",
    "is_valid_rpps",
    "make_rpps",
]

RPPS_LENGTH: Final = 11
_PREFIX: Final = "10"
_BODY_SPACE: Final = 10**8
#: Odd and not a multiple of 5, so ``seed ↦ seed × M + C (mod 10⁸)`` is a bijection:
#: distinct seeds below 10⁸ give distinct numbers that do not look sequential.
_MULTIPLIER: Final = 48_271
_OFFSET: Final = 3_141_592


class RppsIssueCode(StrEnum):
    """Stable codes of what :func:`check_rpps` finds (French text in ``simsec.texts.nir``)."""

    LENGTH = "rpps.length"
    CHARACTERS = "rpps.characters"
    KEY = "rpps.key"


@dataclass(frozen=True, slots=True)
class RppsIssue:
    code: RppsIssueCode
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RppsCheck:
    """The result of :func:`check_rpps`."""

    value: str
    """The input without whitespace."""
    issues: tuple[RppsIssue, ...]

    @property
    def valid(self) -> bool:
        return not self.issues


def compact_rpps(value: str) -> str:
    """``value`` without whitespace."""
    return "".join(value.split())


def check_rpps(value: str) -> RppsCheck:
    """Check an RPPS number: 11 digits whose last one is the Luhn key of the first 10."""
    compact = compact_rpps(value)
    if len(compact) != RPPS_LENGTH:
        return RppsCheck(compact, (RppsIssue(RppsIssueCode.LENGTH, {"length": str(len(compact))}),))
    if not (compact.isascii() and compact.isdigit()):
        return RppsCheck(compact, (RppsIssue(RppsIssueCode.CHARACTERS),))
    expected = luhn.calc_check_digit(compact[:-1])
    if compact[-1] != expected:
        issue = RppsIssue(RppsIssueCode.KEY, {"expected": expected, "found": compact[-1]})
        return RppsCheck(compact, (issue,))
    return RppsCheck(compact, ())


def is_valid_rpps(value: str) -> bool:
    return check_rpps(value).valid


def make_rpps(seed: int) -> str:
    """A valid RPPS number derived from ``seed`` (deterministic).

    ``10`` + 8 digits + Luhn key; seeds 0 to 10⁸ − 1 give distinct numbers (larger seeds
    wrap around). Raises ValueError for a negative seed.
    """
    if seed < 0:
        raise ValueError(f"seed must be >= 0, not {seed}")
    body = f"{_PREFIX}{(seed * _MULTIPLIER + _OFFSET) % _BODY_SPACE:08d}"
    return body + luhn.calc_check_digit(body)
